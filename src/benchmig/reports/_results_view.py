"""Rows and chart data of the results and comparison reports (shared by HTML and Markdown)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from benchmig.framework._compare import Comparison, ComparisonRow
from benchmig.framework._results import CaseResult, RunResults, SampleStats
from benchmig.reports._render import fmt_float, fmt_pct
from benchmig.reports.svg_charts import Bar, Change, Pair

__all__ = [
    "CaseRow",
    "case_label",
    "case_rows",
    "change_points",
    "comparison_rows",
    "environment_items",
    "metric_bars",
    "metric_pairs",
    "params_text",
]

VERDICT_ORDER = (
    "regression",
    "improvement",
    "inconclusive",
    "not_comparable",
    "missing_current",
    "missing_baseline",
    "unchanged",
    "info",
)
_TIMED = ("latency_ms", "throughput_per_s")


def params_text(params: Mapping[str, Any]) -> str:
    """``batch_size=8, seq=128`` (``-`` for none)."""
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "-"


def case_label(benchmark: str, params: Mapping[str, Any], hardware: str) -> str:
    """``name [k=v] hardware`` for chart rows."""
    inner = params_text(params)
    return f"{benchmark} [{inner}] {hardware}" if params else f"{benchmark} {hardware}"


@dataclass(frozen=True)
class CaseRow:
    """One case of a run as the results table shows it."""

    case: CaseResult
    params: str
    latency: SampleStats | None
    throughput: SampleStats | None
    memory: float | None
    others: str  # further metrics, ``name=value`` joined
    note: str


def case_rows(run: RunResults) -> list[CaseRow]:
    """Table rows in run order."""
    rows = []
    for case in run.results:
        memory = case.metrics.get("peak_memory_mb")
        others = ", ".join(
            f"{name}={fmt_float(value.median if isinstance(value, SampleStats) else value)}"
            for name, value in case.metrics.items()
            if name not in (*_TIMED, "peak_memory_mb")
        )
        note = (case.error or "").strip().splitlines()[0] if case.error else ""
        if case.simulated:
            note = ("simulated numbers, not a measurement. " + note).strip()
        rows.append(
            CaseRow(
                case=case,
                params=params_text(case.params),
                latency=case.stats("latency_ms"),
                throughput=case.stats("throughput_per_s"),
                memory=memory if isinstance(memory, int | float) else None,
                others=others,
                note=note,
            )
        )
    return rows


def metric_bars(run: RunResults, metric: str) -> list[Bar]:
    """Median and 95% CI of ``metric`` for every case that has it."""
    bars = []
    for case in run.results:
        stats = case.stats(metric)
        if stats is not None and case.status == "ok":
            css = "simulated" if case.simulated else ""
            label = case_label(case.benchmark, case.params, case.hardware)
            bars.append(Bar(label, stats.median, stats.ci95[0], stats.ci95[1], css))
    return bars


def environment_items(run: RunResults) -> list[tuple[str, str]]:
    """``(name, value)`` lines describing where a run happened."""
    env = run.environment
    items = [("run", run.run_id), ("started", run.started_at), ("finished", run.finished_at)]
    hardware = env.get("hardware")
    if isinstance(hardware, Mapping):
        items += [(f"hardware {k}", _plain(v)) for k, v in hardware.items() if v not in (None, "")]
    for key in ("python", "torch", "os", "platform"):
        if env.get(key):
            items.append((key, _plain(env[key])))
    git = env.get("git")
    if isinstance(git, Mapping) and git.get("commit"):
        dirty = " (dirty)" if git.get("dirty") else ""
        items.append(("git", f"{git.get('commit')} {git.get('branch') or ''}{dirty}".strip()))
    if run.interrupted:
        items.append(("interrupted", "yes: partial results"))
    return items


def _plain(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def comparison_rows(comparison: Comparison) -> list[ComparisonRow]:
    """Rows with what needs attention first: regressions, improvements, then the rest."""
    rank = {v: i for i, v in enumerate(VERDICT_ORDER)}
    return sorted(
        comparison.rows,
        key=lambda r: (rank.get(r.verdict, len(rank)), -abs(r.change or 0.0)),
    )


def verdict_counts(comparison: Comparison) -> list[tuple[str, int]]:
    """``(verdict, rows)`` in a fixed order, only verdicts that occur."""
    counts: Counter[str] = Counter(r.verdict for r in comparison.rows)
    return [(v, counts[v]) for v in VERDICT_ORDER if counts[v]] + [
        (v, n) for v, n in sorted(counts.items()) if v not in VERDICT_ORDER
    ]


def _stats_of(run: RunResults) -> dict[tuple[str, str], CaseResult]:
    return {(c.key, m): c for c in run.results for m in c.metrics}


def _ci_ratio(base: SampleStats | None, cur: SampleStats | None) -> tuple[float, float] | None:
    if base is None or cur is None or base.ci95[0] <= 0 or base.ci95[1] <= 0:
        return None
    return cur.ci95[0] / base.ci95[1] - 1.0, cur.ci95[1] / base.ci95[0] - 1.0


def change_points(
    comparison: Comparison, baseline: RunResults, current: RunResults
) -> list[Change]:
    """Forest-plot points for every row with a change and a direction (positive = worse)."""
    base_cases, cur_cases = _stats_of(baseline), _stats_of(current)
    points = []
    for row in comparison_rows(comparison):
        if row.change is None or row.direction is None or row.p_value is None:
            continue  # only what the comparison tested; scalar metrics stay in the table
        sign = 1.0 if row.direction == "lower" else -1.0
        key = (row.key, row.metric)
        base = base_cases[key].stats(row.metric) if key in base_cases else None
        cur = cur_cases[key].stats(row.metric) if key in cur_cases else None
        bounds = _ci_ratio(base, cur)
        lo, hi = (None, None) if bounds is None else sorted(sign * b for b in bounds)
        margin = None
        if row.noise is not None:
            margin = math.expm1(math.log1p(comparison.threshold) + 2.0 * row.noise)
        label = f"{case_label(row.benchmark, row.params, row.hardware)} · {row.metric}"
        text = f"{row.metric} {fmt_pct(row.change, signed=True)}"
        points.append(Change(label, sign * row.change, lo, hi, margin, row.verdict, text))
    return points


def metric_pairs(
    comparison: Comparison, baseline: RunResults, current: RunResults, metric: str
) -> list[Pair]:
    """Baseline and current medians (with CIs) of ``metric`` for every compared case."""
    base_cases, cur_cases = _stats_of(baseline), _stats_of(current)
    pairs = []
    for row in comparison_rows(comparison):
        key = (row.key, metric)
        if row.metric != metric or key not in base_cases or key not in cur_cases:
            continue
        b, c = base_cases[key].stats(metric), cur_cases[key].stats(metric)
        if b is None or c is None:
            continue
        label = case_label(row.benchmark, row.params, row.hardware)
        text = f"{fmt_float(b.median)} → {fmt_float(c.median)} ({fmt_pct(row.change, signed=True)})"
        pairs.append(
            Pair(
                label,
                Bar(label, b.median, *b.ci95),
                Bar(label, c.median, *c.ci95, css=row.verdict, text=text),
            )
        )
    return pairs


def pairs_by_metric(
    comparison: Comparison, baseline: RunResults, current: RunResults
) -> list[tuple[str, Sequence[Pair]]]:
    """``(metric, pairs)`` for the timed metrics that any case has."""
    found: list[tuple[str, Sequence[Pair]]] = []
    for metric in _TIMED:
        pairs = metric_pairs(comparison, baseline, current, metric)
        if pairs:
            found.append((metric, pairs))
    return found
