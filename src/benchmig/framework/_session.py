"""One ``migrate run``: load targets, select and plan cases, run them, record and compare.

The CLI parses options into a :class:`RunRequest` and maps the :class:`RunOutcome` to an exit
code; everything in between lives here so that it can be called (and tested) without click.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmig.errors import BenchmarkLoadError, InputError
from benchmig.framework._compare import Comparison, compare_runs
from benchmig.framework._environment import collect_environment
from benchmig.framework._hardware import HardwareInfo, detect_hardware, normalize_hardware
from benchmig.framework._history import open_history_store
from benchmig.framework._loader import LoadTarget, load_targets, resolve_target
from benchmig.framework._planning import PlannedCase, plan_cases, settings_for
from benchmig.framework._registry import BenchmarkRegistry
from benchmig.framework._results import RunResults
from benchmig.framework._results_io import load_results
from benchmig.framework._runner import BenchmarkRunner, RunProgress
from benchmig.framework._settings import RunnerSettings
from benchmig.framework._suites import Suite, load_suite, select_cases

__all__ = ["RunOutcome", "RunRequest", "load_registry", "plan_run", "run_benchmarks"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunRequest:
    """What the user asked ``migrate run`` for."""

    targets: tuple[str, ...] = ()
    suite: Path | None = None
    hardware: tuple[str, ...] | None = None
    pattern: str | None = None
    category: str | None = None
    explicit_settings: Mapping[str, Any] = field(default_factory=dict)
    output_dir: Path = Path("benchmark-results")
    baseline: Path | None = None
    threshold: float = 0.05
    isolation: bool = True
    history: Path | None = None
    record_history: bool = True
    keep_going: bool = False


@dataclass(frozen=True)
class RunOutcome:
    """What happened: the results, where they were written, load errors, the comparison."""

    run: RunResults
    results_path: Path
    load_errors: tuple[str, ...] = ()
    comparison: Comparison | None = None

    @property
    def failed(self) -> int:
        """Cases that failed or timed out."""
        return sum(1 for r in self.run.results if r.status in ("failed", "timeout"))


def _suite_targets(suite: Suite) -> list[str]:
    return [str(t.path) if t.path is not None else str(t.module) for t in suite.targets]


def load_registry(
    targets: Sequence[str], *, keep_going: bool = False
) -> tuple[BenchmarkRegistry, list[BenchmarkLoadError]]:
    """A fresh registry holding every benchmark the targets define."""
    registry = BenchmarkRegistry()
    to_load: list[LoadTarget] = []
    for target in targets:
        to_load.extend(resolve_target(target))
    errors = load_targets(to_load, registry, keep_going=keep_going)
    return registry, errors


def plan_run(
    request: RunRequest, registry: BenchmarkRegistry, info: HardwareInfo, suite: Suite | None
) -> list[PlannedCase]:
    """Every case the request selects, with its settings and hardware."""
    base = RunnerSettings()
    hardware = [normalize_hardware(h) for h in request.hardware] if request.hardware else None
    planned: list[PlannedCase] = []
    if suite is not None:
        for sel in select_cases(suite, registry):
            if request.pattern and not _glob(sel.spec.name, request.pattern):
                continue
            settings = settings_for(sel.spec, base, request.explicit_settings, sel.settings)
            hw = hardware or (
                [normalize_hardware(h) for h in sel.hardware] if sel.hardware else None
            )
            planned.extend(
                plan_cases(
                    sel.spec,
                    settings,
                    info,
                    requested_hardware=hw,
                    params_grid=sel.params_grid or None,
                )
            )
        return planned
    specs = registry.filter(request.pattern, request.category)
    for spec in specs:
        settings = settings_for(spec, base, request.explicit_settings)
        planned.extend(plan_cases(spec, settings, info, requested_hardware=hardware))
    return planned


def _glob(name: str, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(name, pattern)


def run_benchmarks(
    request: RunRequest, progress: Callable[[RunProgress], None] | None = None
) -> RunOutcome:
    """Run what the request selects; results are written even when interrupted.

    Raises :class:`InputError` (exit 2) for bad targets, suites, hardware names or baselines,
    before anything is measured.
    """
    suite = load_suite(request.suite) if request.suite is not None else None
    targets = list(request.targets) + (_suite_targets(suite) if suite else [])
    if not targets:
        raise InputError("nothing to run: give a TARGET (file, folder or module) or --suite FILE")
    baseline = load_results(request.baseline) if request.baseline is not None else None
    registry, errors = load_registry(targets, keep_going=request.keep_going)
    info = detect_hardware()
    planned = plan_run(request, registry, info, suite)
    if not planned:
        raise InputError(
            f"no benchmark matched (targets: {', '.join(targets)}; filter: {request.pattern}); "
            "see `migrate list` for what is registered"
        )
    environment = collect_environment([Path(t) for t in targets if Path(t).exists()])
    runner = BenchmarkRunner(
        registry,
        isolation=request.isolation,
        hardware_info=info,
        output_dir=request.output_dir,
        environment=environment,
        progress=progress,
    )
    try:
        runner.run_cases(planned)
    except KeyboardInterrupt:
        _record(request, runner.to_run_results())
        raise
    run = runner.to_run_results()
    comparison = None
    if baseline is not None:
        # The noise of earlier runs only: this run's own median must not widen its margin.
        comparison = compare_runs(
            baseline, run, threshold=request.threshold, history_noise=_history_noise(request, run)
        )
    _record(request, run)
    return RunOutcome(
        run, request.output_dir / "results.json", tuple(str(e) for e in errors), comparison
    )


def _record(request: RunRequest, run: RunResults) -> None:
    if not request.record_history or not run.results:
        return
    try:
        open_history_store(request.history).record_run(run)
    except InputError as exc:  # the results file is written; a broken store must not lose it
        logger.warning("could not record the run in the history store: %s", exc)


def _history_noise(request: RunRequest, run: RunResults) -> dict[str, float]:
    if not request.record_history:
        return {}
    try:
        store = open_history_store(request.history)
        noise = {
            r.key: store.run_to_run_noise(r.key, exclude_run=run.run_id)
            for r in run.results
            if r.status == "ok"
        }
    except InputError:
        return {}
    return {k: v for k, v in noise.items() if v is not None}
