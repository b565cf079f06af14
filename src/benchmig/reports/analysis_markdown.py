"""``report.md``: the analysis in a few screens of Markdown, for a pull-request comment or a
GitHub job summary: the overview, the top blockers and the migration order.

Every name and message is escaped by the Markdown environment (see ``_render``); long lists are
cut (a PR comment holds 65,536 characters) and point to ``report.html`` for the rest.
"""

from __future__ import annotations

from pathlib import Path

from benchmig.analyzer._model import Analysis
from benchmig.reports._analysis_view import (
    blocked_files,
    blocker_kinds,
    migration_waves,
    numbered_steps,
)
from benchmig.reports._render import gc_paused, render_template, write_text_file

__all__ = ["render_analysis_markdown", "write_analysis_markdown"]

MAX_BLOCKER_KINDS = 12
MAX_BLOCKED_FILES = 15
MAX_WAVES = 12
MAX_STEPS = 40
MAX_FILES_PER_CELL = 4


def render_analysis_markdown(analysis: Analysis) -> str:
    """The Markdown summary as text (ends with a newline)."""
    with gc_paused():
        return _render(analysis)


def _render(analysis: Analysis) -> str:
    waves = migration_waves(analysis)
    kinds = blocker_kinds(analysis)
    benchmarks = [f for f in analysis.files if f.role == "benchmark"]
    return render_template(
        "analysis.md.j2",
        analysis=analysis,
        summary=analysis.summary,
        benchmark_strategies={
            s: sum(f.migration.strategy == s for f in benchmarks)
            for s in ("native", "adapter", "manual")
        },
        blocker_kinds=kinds[:MAX_BLOCKER_KINDS],
        blocker_kind_count=len(kinds),
        blocked_files=blocked_files(analysis, MAX_BLOCKED_FILES),
        waves=waves,
        max_waves=MAX_WAVES,
        steps=numbered_steps(waves)[:MAX_STEPS],
        step_count=sum(len(w.steps) for w in waves),
        max_files=MAX_FILES_PER_CELL,
    )


def write_analysis_markdown(analysis: Analysis, path: Path) -> Path:
    """Render and write ``path`` atomically; return it."""
    return write_text_file(path, render_analysis_markdown(analysis))
