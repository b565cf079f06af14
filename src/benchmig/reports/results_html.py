"""HTML pages of benchmark results: one run (``migrate report results.json``) and a comparison
of two runs (``migrate compare BASELINE CURRENT --html FILE``).

Self-contained like the analysis page: inline CSS, a small inline script that sorts tables,
static SVG charts (:mod:`benchmig.reports.svg_charts`), and a Content-Security-Policy that
allows nothing else.
"""

from __future__ import annotations

from pathlib import Path

from benchmig.framework._compare import Comparison
from benchmig.framework._results import RunResults
from benchmig.reports._render import render_template, write_text_file
from benchmig.reports._results_view import (
    case_rows,
    change_points,
    comparison_rows,
    environment_items,
    metric_bars,
    pairs_by_metric,
    params_text,
    verdict_counts,
)
from benchmig.reports.analysis_html import content_security_policy
from benchmig.reports.svg_charts import bar_chart, change_chart, paired_bar_chart

__all__ = [
    "comparison_html_text",
    "render_comparison_html",
    "render_results_html",
    "write_results_html",
]

_UNITS = {"latency_ms": "ms per call", "throughput_per_s": "items per second"}


def render_results_html(run: RunResults) -> str:
    """The page of one run: status counts, environment, charts of medians, the table."""
    charts = []
    for metric, unit in _UNITS.items():
        bars = metric_bars(run, metric)
        if bars:
            charts.append((metric, bar_chart(bars, unit, f"{metric} median and 95% CI")))
    statuses: dict[str, int] = {}
    for case in run.results:
        statuses[case.status] = statuses.get(case.status, 0) + 1
    return render_template(
        "results.html.j2",
        run=run,
        rows=case_rows(run),
        charts=charts,
        statuses=sorted(statuses.items()),
        environment=environment_items(run),
        csp=content_security_policy(),
    )


def write_results_html(run: RunResults, path: Path) -> Path:
    """Render and write ``path`` atomically; return it."""
    return write_text_file(path, render_results_html(run))


def comparison_html_text(comparison: Comparison, baseline: RunResults, current: RunResults) -> str:
    """The comparison page: verdict counts, a forest plot of changes, paired bars, the table."""
    points = change_points(comparison, baseline, current)
    pairs = [
        (metric, paired_bar_chart(p, _UNITS.get(metric, metric), f"{metric}: baseline vs current"))
        for metric, p in pairs_by_metric(comparison, baseline, current)
    ]
    return render_template(
        "comparison.html.j2",
        comparison=comparison,
        baseline=baseline,
        current=current,
        rows=comparison_rows(comparison),
        counts=verdict_counts(comparison),
        change_svg=change_chart(points, comparison.threshold) if points else None,
        pairs=pairs,
        baseline_env=environment_items(baseline),
        current_env=environment_items(current),
        params_text=params_text,
        csp=content_security_policy(),
    )


def render_comparison_html(
    comparison: Comparison, baseline: RunResults, current: RunResults, path: Path
) -> Path:
    """Write the comparison page to ``path`` atomically (what ``migrate compare --html``
    calls); return it."""
    return write_text_file(path, comparison_html_text(comparison, baseline, current))
