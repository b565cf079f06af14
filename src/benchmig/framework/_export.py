"""Export a run's results to the formats CI tools read.

* **Bencher Metric Format** (BMF, https://bencher.dev/docs/reference/bencher-metric-format):
  ``{"<benchmark>": {"<measure slug>": {"value": v, "lower_value": lo, "upper_value": hi}}}``.
  ``latency_ms`` goes to Bencher's built-in ``latency`` measure, which is in **nanoseconds**;
  ``throughput_per_s`` to the built-in ``throughput`` (per second); any other metric to a measure
  whose slug is the metric name in kebab case. Bounds are the 95% CI of the median.
* **github-action-benchmark** (``tool: customSmallerIsBetter`` / ``customBiggerIsBetter``): a JSON
  list of ``{"name", "unit", "value", "range", "extra"}``. One file holds one direction, so
  latency and memory go to the smaller-is-better file and throughput to the bigger-is-better one
  (:func:`benchmig.framework._compare.metric_direction` decides); metrics of unknown direction
  are left out. ``range`` is ``"± <half width of the 95% CI>"``, the form the action parses.

Only cases with status ``ok`` are exported, never simulated ones (their numbers are fabricated),
and never non-finite values (neither tool accepts them).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator
from typing import Any, Literal, get_args

from benchmig.errors import InputError
from benchmig.framework._compare import metric_direction
from benchmig.framework._results import CaseResult, RunResults, SampleStats

__all__ = [
    "EXPORT_FORMATS",
    "GITHUB_TOOLS",
    "ExportFormat",
    "GithubTool",
    "case_label",
    "export_text",
    "to_bmf",
    "to_github_action_benchmark",
]

logger = logging.getLogger(__name__)

ExportFormat = Literal["bmf", "github-action-benchmark"]
GithubTool = Literal["customSmallerIsBetter", "customBiggerIsBetter"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
GITHUB_TOOLS: tuple[str, ...] = get_args(GithubTool)

_BMF_MEASURES = {"latency_ms": ("latency", 1e6), "throughput_per_s": ("throughput", 1.0)}
_SLUG_MAX = 64  # Bencher's limit for a measure slug
# The unit a metric's name ends with (first match wins: rates before plain times and sizes).
_UNITS = (
    (re.compile(r"(^|_)([kmgt])i?b_(s|per_s)$"), lambda m: f"{m.group(2).upper()}B/s"),
    (re.compile(r"(^|_)([kmgtp]?)flops$"), lambda m: f"{m.group(2).upper()}FLOP/s"),
    (re.compile(r"(^|_)(qps|fps)$"), lambda m: {"qps": "queries/s", "fps": "frames/s"}[m.group(2)]),
    (re.compile(r"^throughput_per_s$|items_per"), lambda m: "items/s"),
    (re.compile(r"([a-z0-9]+)_per_(s|sec|second)$"), lambda m: f"{m.group(1)}/s"),
    (re.compile(r"(^|_)(ms|us|ns|s)$"), lambda m: m.group(2)),
    (re.compile(r"(^|_)(sec|seconds)$"), lambda m: "s"),
    (re.compile(r"(^|_)([kmgt])i?b$"), lambda m: f"{m.group(2).upper()}B"),
    (re.compile(r"(^|_)bytes$"), lambda m: "bytes"),
    (re.compile(r"(^|_)pct$"), lambda m: "%"),
)


def case_label(case: CaseResult) -> str:
    """A case's name for other tools: ``benchmark[k=v,...]@hardware`` (params sorted by key)."""
    params = ",".join(f"{k}={case.params[k]}" for k in sorted(case.params))
    return (
        f"{case.benchmark}[{params}]@{case.hardware}"
        if params
        else f"{case.benchmark}@{case.hardware}"
    )


def _exportable(run: RunResults) -> Iterator[CaseResult]:
    for case in run.results:
        if case.status != "ok":
            continue
        if case.simulated:
            logger.warning("%s: simulated numbers are not exported", case_label(case))
            continue
        yield case


def _finite(*values: float) -> bool:
    return all(math.isfinite(v) for v in values)


def _slug(metric: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", metric.lower()).strip("-")[:_SLUG_MAX] or "metric"


def to_bmf(run: RunResults) -> dict[str, dict[str, dict[str, float]]]:
    """The run in Bencher Metric Format (see the module docstring for measures and units)."""
    document: dict[str, dict[str, dict[str, float]]] = {}
    for case in _exportable(run):
        measures: dict[str, dict[str, float]] = {}
        for metric, value in case.metrics.items():
            slug, scale = _BMF_MEASURES.get(metric, (_slug(metric), 1.0))
            entry = _bmf_entry(value, scale)
            if entry is None:
                continue
            if slug in measures:
                logger.warning(
                    "%s: metric %r maps to measure %r twice; kept the first",
                    case_label(case),
                    metric,
                    slug,
                )
                continue
            measures[slug] = entry
        if measures:
            document.setdefault(case_label(case), {}).update(measures)
    return document


def _bmf_entry(value: SampleStats | float, scale: float) -> dict[str, float] | None:
    if isinstance(value, SampleStats):
        lo, hi = value.ci95
        if not _finite(value.median, lo, hi):
            return None
        return {"value": value.median * scale, "lower_value": lo * scale, "upper_value": hi * scale}
    return {"value": float(value) * scale} if _finite(float(value)) else None


def _unit(metric: str) -> str:
    """The unit in a metric's name (``bandwidth_gb_s`` -> ``GB/s``), else ``"value"``."""
    normalized = re.sub(r"[^a-z0-9]+", "_", metric.lower())
    for pattern, unit in _UNITS:
        match = pattern.search(normalized)
        if match:
            return unit(match)
    return "value"


def _number(value: float) -> str:
    """A number the action's range parser reads (``\\d.+``: never a single digit alone)."""
    text = format(value, ".6g")
    return text if any(c in text for c in ".e") else f"{text}.0"


def to_github_action_benchmark(run: RunResults, tool: GithubTool) -> list[dict[str, Any]]:
    """Entries for github-action-benchmark's ``customSmallerIsBetter``/``customBiggerIsBetter``."""
    if tool not in GITHUB_TOOLS:
        raise InputError(
            f"unknown github-action-benchmark tool {tool!r}; use one of {GITHUB_TOOLS}"
        )
    wanted = "lower" if tool == "customSmallerIsBetter" else "higher"
    entries: list[dict[str, Any]] = []
    for case in _exportable(run):
        for metric, value in case.metrics.items():
            if metric_direction(metric) != wanted:
                continue
            entry = _github_entry(run, case, metric, value)
            if entry is not None:
                entries.append(entry)
    return entries


def _github_entry(
    run: RunResults, case: CaseResult, metric: str, value: SampleStats | float
) -> dict[str, Any] | None:
    unit = _unit(metric)
    entry: dict[str, Any] = {"name": f"{case_label(case)} {metric}", "unit": unit}
    extra = [f"run {run.run_id}"]
    if isinstance(value, SampleStats):
        lo, hi = value.ci95
        if not _finite(value.median, lo, hi):
            return None
        entry["value"] = value.median
        entry["range"] = f"± {_number((hi - lo) / 2.0)}"
        extra.insert(0, f"median of {value.n} samples, 95% CI [{lo:.6g}, {hi:.6g}] {unit}")
    elif _finite(float(value)):
        entry["value"] = float(value)
    else:
        return None
    entry["extra"] = "\n".join(extra)
    return entry


def export_text(run: RunResults, fmt: str, *, tool: str = "customSmallerIsBetter") -> str:
    """The run as JSON text in format ``fmt`` (``tool`` picks the github-action-benchmark file)."""
    if fmt == "bmf":
        document: Any = to_bmf(run)
    elif fmt == "github-action-benchmark":
        if tool not in GITHUB_TOOLS:
            raise InputError(f"unknown --tool {tool!r}; use one of {', '.join(GITHUB_TOOLS)}")
        document = to_github_action_benchmark(run, tool)  # type: ignore[arg-type]
    else:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
