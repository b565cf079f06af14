"""What a migrated script's ``if __name__ == "__main__":`` block calls, and legacy metric names.

``migrate apply`` rewrites a legacy script's entry point into::

    raise SystemExit(run_legacy_main(["benchmarks.cnn.sweep"], options={"--batch-sizes": ...}))

so ``python legacy_script.py`` still measures something sensible: the named benchmarks (registered
when the script ran) are measured in this process through :class:`BenchmarkRunner` and a table is
printed. ``options`` maps the legacy command-line flags onto the benchmarks' params (a comma list
replaces that param's values), onto the runner settings ``warmup``/``repeats``, onto
``hardware``, or onto ``output_dir`` (where ``results.json`` is written).

:func:`legacy_metrics` turns the numbers a legacy function returns (adapter tier) into metric
names with units (``legacy_latency_ms``, ``legacy_throughput_per_s``...).
"""

from __future__ import annotations

import argparse
import logging
import math
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from benchmig.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, BenchmigError
from benchmig.framework._registry import BenchmarkRegistry, BenchmarkSpec
from benchmig.framework._results import CaseResult
from benchmig.framework._settings import RunnerSettings

__all__ = ["SETTING_KEYS", "legacy_metrics", "run_legacy_main"]

logger = logging.getLogger(__name__)

SETTING_KEYS = frozenset({"warmup", "repeats", "processes", "max_time"})
"""Option targets that are runner settings rather than params."""

_SPECIAL_KEYS = SETTING_KEYS | {"hardware", "output_dir"}


def _coerce(text: str, like: Sequence[Any]) -> Any:
    """Convert one command-line item to the type of the registered values."""
    sample = next((v for v in like if v is not None), None)
    if isinstance(sample, bool):
        return text.strip().lower() in {"1", "true", "yes", "on"}
    for kind in (int, float):
        if isinstance(sample, kind):
            try:
                return kind(text)
            except ValueError:
                break
    return text


def _split(value: str, like: Sequence[Any]) -> list[Any]:
    return [_coerce(item.strip(), like) for item in value.split(",") if item.strip()]


def _build_parser(options: Mapping[str, str], description: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=description or "Run this script's migrated benchmarks (benchmig).",
        epilog="Comma-separated values sweep a parameter; unknown legacy options are ignored.",
    )
    for index, (flag, key) in enumerate(options.items()):
        what = "runner setting" if key in SETTING_KEYS else "benchmark parameter"
        if key == "hardware":
            what = "hardware (comma list)"
        elif key == "output_dir":
            what = "folder for results.json"
        parser.add_argument(flag, dest=f"option_{index}", default=None, help=f"{key} ({what})")
    return parser


def _parse(
    options: Mapping[str, str], argv: Sequence[str], description: str | None
) -> tuple[dict[str, str], list[str]]:
    parser = _build_parser(options, description)
    namespace, unknown = parser.parse_known_args(list(argv))
    given: dict[str, str] = {}
    for index, key in enumerate(options.values()):
        value = getattr(namespace, f"option_{index}")
        if value is not None:
            given[key] = str(value)
    return given, unknown


def _grid(spec: BenchmarkSpec, given: Mapping[str, str]) -> dict[str, list[Any]]:
    grid = {key: list(values) for key, values in spec.params.items()}
    for key, value in given.items():
        if key in grid:
            grid[key] = _split(value, grid[key])
    return grid


def _settings(given: Mapping[str, str]) -> dict[str, Any]:
    explicit: dict[str, Any] = {}
    for key in SETTING_KEYS & set(given):
        like: list[Any] = [1.0] if key == "max_time" else [1]
        values = _split(given[key], like)
        if values:
            explicit[key] = values[0]
    return explicit


def _run_one(
    runner: Any, spec: BenchmarkSpec, given: Mapping[str, str], explicit: Mapping[str, Any]
) -> list[CaseResult]:
    from benchmig.framework._hardware import hardware_matches
    from benchmig.framework._planning import PlannedCase, plan_cases, settings_for

    hardware = _split(given["hardware"], ["cpu"]) if "hardware" in given else None
    settings = settings_for(spec, runner.settings, explicit)
    grid = _grid(spec, given)
    planned = plan_cases(
        spec, settings, runner.hardware_info, requested_hardware=hardware, params_grid=grid
    )
    for name in hardware or []:
        if not hardware_matches(spec.hardware, name):
            reason = f"{spec.name} does not support {name} (it declares {', '.join(spec.hardware)})"
            params = {key: values[0] for key, values in grid.items() if values}
            planned.append(PlannedCase(spec, params, name, settings, reason))
    results: list[CaseResult] = runner.run_cases(planned)
    return results


def _format_row(result: CaseResult) -> str:
    params = " ".join(f"{k}={v}" for k, v in result.params.items()) or "-"
    status = result.status + (" (simulated)" if result.simulated else "")
    latency = result.stats("latency_ms")
    if latency is None:
        reason = (result.error or "").splitlines()[0][:80] if result.error else ""
        return f"{result.benchmark}  {params}  {result.hardware}  {status}  {reason}".rstrip()
    extra = [f"median {latency.median:.4g} ms", f"n={latency.n}"]
    throughput = result.stats("throughput_per_s")
    if throughput is not None:
        extra.append(f"{throughput.median:.4g}/s")
    for name, value in sorted(result.metrics.items()):
        if name.startswith("legacy_") and isinstance(value, int | float):
            extra.append(f"{name}={value:.4g}")
    return f"{result.benchmark}  {params}  {result.hardware}  {status}  {'  '.join(extra)}"


def run_legacy_main(
    benchmarks: Sequence[str],
    argv: Sequence[str] | None = None,
    *,
    options: Mapping[str, str] | None = None,
    description: str | None = None,
    registry: BenchmarkRegistry | None = None,
    settings: RunnerSettings | None = None,
    stream: TextIO | None = None,
) -> int:
    """Measure ``benchmarks`` in this process, print a table, return an exit code.

    ``argv`` defaults to ``sys.argv[1:]``; ``options`` maps legacy flags (``"--batch-sizes"``) to
    a param name, a runner setting (``warmup``, ``repeats``), ``hardware`` or ``output_dir``.
    Returns 0 when every case ran or was skipped, 3 when some failed, 2 for a usage error.
    """
    out = stream if stream is not None else sys.stdout
    args = list(sys.argv[1:] if argv is None else argv)
    given, unknown = _parse(options or {}, args, description)
    if unknown:
        out.write(f"ignoring legacy options without a benchmark equivalent: {' '.join(unknown)}\n")
    from benchmig.framework._runner import BenchmarkRunner

    registry = registry if registry is not None else BenchmarkRegistry.active()
    runner = BenchmarkRunner(registry, isolation=False, settings=settings)
    results: list[CaseResult] = []
    try:
        for name in benchmarks:
            results.extend(_run_one(runner, registry.get(name), given, _settings(given)))
    except BenchmigError as exc:
        out.write(f"error: {exc}\n")
        return EXIT_USAGE
    for result in results:
        out.write(_format_row(result) + "\n")
    if "output_dir" in given:
        path = runner.save_results(Path(given["output_dir"]))
        out.write(f"results written to {path}\n")
    failed = [r for r in results if r.status in {"failed", "timeout"}]
    return EXIT_PARTIAL if failed else EXIT_OK


# -- legacy metric names ---------------------------------------------------------------------------

_LATENCY = re.compile(
    r"^(avg_|average_|mean_|median_)?(latency|inference_time|time|elapsed|duration)(_(ms|us|s))?$"
)
_THROUGHPUT = re.compile(
    r"^(throughput|throughput_items_per_second|throughput_per_s|samples_per_sec|samples_per_second"
    r"|items_per_second|items_per_sec|requests_per_second|req_per_s|qps|fps)$"
)
_MEMORY = re.compile(r"^(peak_)?(memory|mem)(_peak|_usage)?_mb$")
_TIME_FACTORS = {"s": 1000.0, "ms": 1.0, "us": 0.001, "ns": 0.000001}
_MAX_DEPTH = 4


def _metric_key(key: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "_", key).strip("_").lower()


def _flat_metrics(record: Mapping[str, Any]) -> dict[str, float]:
    metrics: dict[str, float] = {}
    for raw_key, value in record.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(float(value)):
            continue
        key = _metric_key(str(raw_key))
        latency = _LATENCY.match(key)
        if latency and latency.group(4):
            name, number = "legacy_latency_ms", float(value) * _TIME_FACTORS[latency.group(4)]
        elif _THROUGHPUT.match(key):
            name, number = "legacy_throughput_per_s", float(value)
        elif _MEMORY.match(key):
            name, number = "legacy_peak_memory_mb", float(value)
        else:
            name, number = f"legacy_{key}", float(value)
        metrics.setdefault(name, number)
    return metrics


def _unwrap(raw: Any, depth: int = 0) -> Any:
    """Descend into single-entry containers and lists of records (the last record wins)."""
    if depth >= _MAX_DEPTH:
        return raw
    if isinstance(raw, Mapping) and raw and all(isinstance(v, Mapping) for v in raw.values()):
        return _unwrap(list(raw.values())[-1], depth + 1)
    if isinstance(raw, list | tuple) and raw and isinstance(raw[-1], Mapping | list | tuple):
        return _unwrap(raw[-1], depth + 1)
    return raw


def legacy_metrics(raw: Any, time_unit: str = "s") -> dict[str, float]:
    """Metrics from what a legacy benchmark function returned (adapter tier).

    * a number is a latency in ``time_unit`` (``"s"``, ``"ms"``, ``"us"``, ``"ns"``);
    * a list of numbers is latency samples in ``time_unit`` (their median is reported);
    * a dict is a record: ``latency_ms``/``average_latency_ms``... become ``legacy_latency_ms``,
      ``throughput``/``samples_per_sec``... ``legacy_throughput_per_s``, ``memory_mb``...
      ``legacy_peak_memory_mb``; any other number ``legacy_<key>``;
    * a dict of records (keyed by batch size...) or a list of records: the last record.
    """
    factor = _TIME_FACTORS.get(time_unit)
    if factor is None:
        raise BenchmigError(f"unknown time unit {time_unit!r}: use one of s, ms, us, ns")
    value = _unwrap(raw)
    if isinstance(value, Mapping):
        return _flat_metrics(value)
    if isinstance(value, bool):
        return {}
    if isinstance(value, int | float):
        return {"legacy_latency_ms": float(value) * factor}
    if isinstance(value, list | tuple):
        numbers = sorted(float(v) for v in value if isinstance(v, int | float))
        if numbers and not isinstance(value[0], bool):
            return {"legacy_latency_ms": numbers[len(numbers) // 2] * factor}
    return {}
