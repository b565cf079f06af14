"""Markdown of benchmark results and comparisons, for job summaries and pull-request comments:
medians with their 95% confidence intervals, and the verdict of every compared metric."""

from __future__ import annotations

from pathlib import Path

from benchmig.framework._compare import Comparison
from benchmig.framework._results import RunResults
from benchmig.reports._render import render_template, write_text_file
from benchmig.reports._results_view import (
    case_rows,
    comparison_rows,
    environment_items,
    params_text,
    verdict_counts,
)

__all__ = ["render_comparison_markdown", "render_results_markdown", "write_results_markdown"]


def render_results_markdown(run: RunResults) -> str:
    """One table row per case: status, median latency with its CI, throughput, memory."""
    return render_template(
        "results.md.j2", run=run, rows=case_rows(run), environment=environment_items(run)
    )


def write_results_markdown(run: RunResults, path: Path) -> Path:
    """Render and write ``path`` atomically; return it."""
    return write_text_file(path, render_results_markdown(run))


def render_comparison_markdown(comparison: Comparison) -> str:
    """Verdict counts, then every row, regressions first."""
    return render_template(
        "comparison.md.j2",
        comparison=comparison,
        rows=comparison_rows(comparison),
        counts=verdict_counts(comparison),
        params_text=params_text,
    )
