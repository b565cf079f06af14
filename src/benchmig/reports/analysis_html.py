"""``report.html``: one self-contained page about an analysis (no network, no CDN).

Small sections are rendered by jinja2 (autoescape on); the big lists (files, parse failures,
clusters, unresolved imports, the migration order) travel as escaped JSON inside
``<script type="application/json">`` and are drawn by a small inline script, page by page, so a
tree of thousands of files stays a page that opens in a second. A Content-Security-Policy with
the hashes of our own script and style blocks keeps anything else from running even if a name
slipped through escaping.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmig.analyzer._model import Analysis
from benchmig.reports._analysis_view import (
    Wave,
    blocked_files,
    blocker_kinds,
    cluster_rows,
    failure_rows,
    file_rows,
    migration_waves,
    numbered_steps,
    unresolved_rows,
)
from benchmig.reports._graph_view import build_graph_view
from benchmig.reports._render import asset, gc_paused, render_template, write_text_file
from benchmig.reports.graph_svg import render_graph_svg

__all__ = ["content_security_policy", "render_analysis_html", "write_analysis_html"]

logger = logging.getLogger(__name__)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy() -> str:
    """No network at all; only our own inline script and style (by hash) may run."""
    return (
        "default-src 'none'; img-src data:; "
        f"script-src {_hash(asset('report.js'))}; style-src {_hash(asset('report.css'))}"
    )


def _order_data(waves: Sequence[Wave]) -> list[dict[str, Any]]:
    steps = numbered_steps(waves)
    return [
        {
            "n": wave.number,
            "files": wave.files,
            "cycles": wave.cycles,
            "steps": [
                {"n": n, "files": list(step.files), "cycle": step.cycle}
                for n, in_wave, step in steps
                if in_wave is wave
            ],
        }
        for wave in waves
    ]


def _context(analysis: Analysis, max_file_nodes: int) -> dict[str, Any]:
    summary = analysis.summary
    waves = migration_waves(analysis)
    view = build_graph_view(analysis, max_file_nodes=max_file_nodes)
    benchmarks = [f for f in analysis.files if f.role == "benchmark"]
    return {
        "analysis": analysis,
        "summary": summary,
        "benchmark_strategies": {
            s: sum(f.migration.strategy == s for f in benchmarks)
            for s in ("native", "adapter", "manual")
        },
        "unresolved_guarded": sum(u.guarded for u in analysis.graph.unresolved),
        "blocker_kinds": blocker_kinds(analysis),
        "blocked_files": blocked_files(analysis, 15),
        "waves": waves,
        "view": view,
        "graph_svg": render_graph_svg(view),
        "files_data": file_rows(analysis, waves),
        "failures_data": failure_rows(analysis),
        "unresolved_data": unresolved_rows(analysis),
        "clusters_data": cluster_rows(analysis),
        "order_data": _order_data(waves),
        "csp": content_security_policy(),
    }


def render_analysis_html(analysis: Analysis, *, max_file_nodes: int = 400) -> str:
    """The page as text; trees above ``max_file_nodes`` files get a folder-level graph."""
    with gc_paused():
        return render_template("analysis.html.j2", **_context(analysis, max_file_nodes))


def write_analysis_html(analysis: Analysis, path: Path) -> Path:
    """Render and write ``path`` atomically; return it."""
    text = render_analysis_html(analysis)
    logger.info("writing %s (%d bytes)", path, len(text.encode("utf-8")))
    return write_text_file(path, text)
