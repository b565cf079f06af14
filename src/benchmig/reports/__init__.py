"""Reports of analyses and benchmark results: HTML pages, Markdown summaries, graph files.

Every renderer treats names and messages as hostile data (jinja2 autoescape for HTML, a
Markdown-escaping ``finalize`` for Markdown, quoted strings in DOT, escaped JSON in pages).
Names are imported on first use, so ``import benchmig.reports.results_text`` (what
``migrate run`` needs) does not load jinja2 and networkx.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchmig.reports._outputs import document_kind as document_kind
    from benchmig.reports._outputs import parse_formats as parse_formats
    from benchmig.reports._outputs import render_analysis_reports as render_analysis_reports
    from benchmig.reports._outputs import render_report_file as render_report_file
    from benchmig.reports._outputs import render_results_reports as render_results_reports
    from benchmig.reports.analysis_html import render_analysis_html as render_analysis_html
    from benchmig.reports.analysis_markdown import (
        render_analysis_markdown as render_analysis_markdown,
    )
    from benchmig.reports.graph_export import graphml_text as graphml_text
    from benchmig.reports.graph_export import to_dot as to_dot
    from benchmig.reports.results_html import comparison_html_text as comparison_html_text
    from benchmig.reports.results_html import render_comparison_html as render_comparison_html
    from benchmig.reports.results_html import render_results_html as render_results_html
    from benchmig.reports.results_markdown import (
        render_comparison_markdown as render_comparison_markdown,
    )
    from benchmig.reports.results_markdown import (
        render_results_markdown as render_results_markdown,
    )

_EXPORTS = {
    "document_kind": "_outputs",
    "parse_formats": "_outputs",
    "render_analysis_reports": "_outputs",
    "render_report_file": "_outputs",
    "render_results_reports": "_outputs",
    "render_analysis_html": "analysis_html",
    "render_analysis_markdown": "analysis_markdown",
    "graphml_text": "graph_export",
    "to_dot": "graph_export",
    "comparison_html_text": "results_html",
    "render_comparison_html": "results_html",
    "render_results_html": "results_html",
    "render_comparison_markdown": "results_markdown",
    "render_results_markdown": "results_markdown",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'benchmig.reports' has no attribute {name!r}")
    return getattr(importlib.import_module(f"benchmig.reports.{module}"), name)
