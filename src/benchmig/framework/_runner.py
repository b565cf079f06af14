"""The benchmark runner: measures planned cases (isolated by default) and assembles results.

Each case is measured in ``settings.processes`` rounds. A round runs every benchmark once in a
fresh worker process, so the samples of one case come from several processes spread over the
whole run: between-process and slow between-moment noise become visible in the results
(``sample_groups``), which is what lets ``migrate compare`` tell noise from a regression.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmig.framework._assemble import assemble_case
from benchmig.framework._hardware import HardwareInfo, detect_hardware
from benchmig.framework._isolation import CaseOutcome, WorkerCase, run_in_workers
from benchmig.framework._measure import measure_case
from benchmig.framework._planning import PlannedCase, plan_cases, target_for_spec
from benchmig.framework._registry import BenchmarkRegistry
from benchmig.framework._results import CaseResult, RunResults
from benchmig.framework._results_io import write_results
from benchmig.framework._settings import RunnerSettings

__all__ = ["BenchmarkRunner", "RunProgress"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunProgress:
    """A progress event: ``done`` of ``total`` measurements, and the case that just finished."""

    done: int
    total: int
    case: PlannedCase
    round_index: int
    outcome: CaseOutcome


@dataclass
class _CaseState:
    planned: PlannedCase
    rounds: list[CaseOutcome] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        failed = any(o.status != "ok" for o in self.rounds)
        return failed or len(self.rounds) >= self.planned.settings.processes


class BenchmarkRunner:
    """Runs registered benchmarks and keeps their results.

    ``isolation=True`` (the default) measures every case in worker processes with a timeout;
    ``isolation=False`` measures in this process (no timeout; for debugging and notebooks).
    """

    def __init__(
        self,
        registry: BenchmarkRegistry | None = None,
        *,
        settings: RunnerSettings | None = None,
        isolation: bool = True,
        hardware_info: HardwareInfo | None = None,
        output_dir: Path | None = None,
        environment: Mapping[str, Any] | None = None,
        progress: Callable[[RunProgress], None] | None = None,
    ) -> None:
        self.registry = registry if registry is not None else BenchmarkRegistry.default()
        self.settings = settings or RunnerSettings()
        self.isolation = isolation
        self._hardware_info = hardware_info
        self.output_dir = output_dir
        self.environment = dict(environment or {})
        self.progress = progress
        self.results: list[CaseResult] = []
        self.run_id = uuid.uuid4().hex[:12]
        self.started_at = _now()
        self.interrupted = False

    @property
    def hardware_info(self) -> HardwareInfo:
        """What this machine has (detected once, on first use)."""
        if self._hardware_info is None:
            self._hardware_info = detect_hardware()
        return self._hardware_info

    # -- the seed API ------------------------------------------------------------------------
    def execute(self, name: str, params: Mapping[str, Any] | None = None) -> CaseResult:
        """Measure one case: ``params`` holds the benchmark's params and optionally ``hardware``."""
        values = dict(params or {})
        spec = self.registry.get(name)
        hardware = str(values.pop("hardware", spec.hardware[0]))
        grid = {k: [v] for k, v in values.items()}
        for key in spec.params:
            grid.setdefault(key, [spec.params[key][0]])
        planned = plan_cases(
            spec, self.settings, self.hardware_info, requested_hardware=[hardware], params_grid=grid
        )
        if not planned:
            planned = [
                PlannedCase(
                    spec,
                    values,
                    hardware,
                    self.settings,
                    f"benchmark {name!r} does not support {hardware}",
                )
            ]
        return self.run_cases(planned[:1])[0]

    def save_results(self, out_dir: Path | str) -> Path:
        """Write ``results.json`` with everything measured so far; returns its path."""
        return write_results(self.to_run_results(), Path(out_dir))

    def to_run_results(self) -> RunResults:
        """The run so far as a :class:`RunResults`."""
        return RunResults(
            run_id=self.run_id,
            started_at=self.started_at,
            finished_at=_now(),
            environment=self.environment,
            results=tuple(self.results),
            settings=self.settings.to_dict() | {"isolation": self.isolation},
            interrupted=self.interrupted,
        )

    # -- many cases --------------------------------------------------------------------------
    def run_cases(self, cases: Sequence[PlannedCase]) -> list[CaseResult]:
        """Measure every case (skipped ones are recorded with their reason), in rounds.

        Results are appended to :attr:`results` and, with an ``output_dir``, written after every
        benchmark, so a crash or Ctrl-C keeps what finished. ``KeyboardInterrupt`` propagates
        after the partial results were recorded.
        """
        states = [_CaseState(c) for c in cases]
        to_measure = [s for s in states if s.planned.skip_reason is None]
        total = sum(s.planned.settings.processes for s in to_measure)
        done = [0]
        try:
            for round_index in range(
                max((s.planned.settings.processes for s in to_measure), default=0)
            ):
                for group in _by_benchmark(s for s in to_measure if not s.finished):
                    self._measure_round(group, round_index, done, total)
                    self._checkpoint(states)
        except KeyboardInterrupt:
            self.interrupted = True
            self._finish(states, interrupted=True)
            raise
        return self._finish(states, interrupted=False)

    def _measure_round(
        self, group: list[_CaseState], round_index: int, done: list[int], total: int
    ) -> None:
        def record(state: _CaseState, outcome: CaseOutcome) -> None:
            state.rounds.append(outcome)
            done[0] += 1
            if self.progress is not None:
                self.progress(RunProgress(done[0], total, state.planned, round_index, outcome))

        spec = group[0].planned.spec
        target = target_for_spec(spec) if self.isolation else None
        if target is None:
            for index, state in enumerate(group):
                record(state, _measure_here(state.planned, index))
            return
        worker_cases = [_worker_case(i, s.planned) for i, s in enumerate(group)]
        timeout = max(s.planned.settings.timeout for s in group)
        run_in_workers(
            target,
            spec.name,
            worker_cases,
            timeout=timeout,
            on_outcome=lambda o: record(group[o.index], o),
        )

    def _checkpoint(self, states: list[_CaseState]) -> None:
        if self.output_dir is None:
            return
        partial = [assemble_case(s.planned, s.rounds) for s in states if s.finished]
        snapshot = RunResults(
            self.run_id,
            self.started_at,
            _now(),
            self.environment,
            tuple(self.results) + tuple(partial),
            self.settings.to_dict() | {"isolation": self.isolation},
            interrupted=True,
        )
        write_results(snapshot, self.output_dir)

    def _finish(self, states: list[_CaseState], *, interrupted: bool) -> list[CaseResult]:
        finished = [
            assemble_case(s.planned, s.rounds, interrupted=interrupted)
            for s in states
            if s.planned.skip_reason is not None or s.rounds
        ]
        self.results.extend(finished)
        if self.output_dir is not None:
            self.save_results(self.output_dir)
        return finished


def _worker_case(index: int, planned: PlannedCase) -> WorkerCase:
    settings = planned.settings
    return WorkerCase(
        index,
        planned.params,
        planned.hardware,
        settings.to_dict(),
        budget=settings.max_time / settings.processes,
    )


def _measure_here(planned: PlannedCase, index: int) -> CaseOutcome:
    settings = planned.settings
    try:
        measurement = measure_case(
            planned.spec.cls,
            planned.params,
            planned.hardware,
            settings,
            budget=settings.max_time / settings.processes,
        )
    except Exception as exc:
        logger.debug("case failed", exc_info=True)
        return CaseOutcome(index, "failed", error=f"{type(exc).__name__}: {exc}")
    return CaseOutcome(index, "ok", measurement)


def _by_benchmark(states: Iterable[_CaseState]) -> list[list[_CaseState]]:
    groups: dict[str, list[_CaseState]] = defaultdict(list)
    for state in states:
        groups[state.planned.spec.name].append(state)
    return list(groups.values())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
