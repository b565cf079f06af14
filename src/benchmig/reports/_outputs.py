"""Which files a report run writes: what ``migrate analyze`` adds to ``analysis.json``, and
``migrate report FILE.json`` (re-rendering a saved analysis or results document).

A document is recognised by its ``kind`` (``benchmig-analysis`` or ``benchmig-results``; a
results file of schema 0 has none and is recognised by its ``results`` list) and then read by
its own loader, which checks the schema version: an unknown kind or a future version is an
:class:`~benchmig.errors.InputError` (exit 2).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from benchmig.analyzer._analysis import ANALYSIS_KIND, load_analysis, write_analysis
from benchmig.analyzer._model import Analysis
from benchmig.errors import InputError
from benchmig.framework._results import RunResults
from benchmig.framework._results_io import RESULTS_KIND, load_results, write_results
from benchmig.reports.analysis_html import write_analysis_html
from benchmig.reports.analysis_markdown import write_analysis_markdown
from benchmig.reports.graph_export import write_dot, write_graphml
from benchmig.reports.results_html import write_results_html
from benchmig.reports.results_markdown import write_results_markdown

__all__ = [
    "ANALYSIS_FORMATS",
    "DEFAULT_FORMATS",
    "RESULTS_FORMATS",
    "document_kind",
    "parse_formats",
    "render_analysis_reports",
    "render_report_file",
    "render_results_reports",
]

logger = logging.getLogger(__name__)

ANALYSIS_FORMATS = ("html", "md", "json", "graphml", "dot")
RESULTS_FORMATS = ("html", "md", "json")
DEFAULT_FORMATS = ("html", "md")
_KIND_PEEK = re.compile(rb'"kind"\s*:\s*"([^"\\]{1,64})"')
_PEEK_BYTES = 4096


def render_analysis_reports(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write ``report.html``, ``report.md`` and ``dependency-graph.dot`` into ``out_dir``.

    What ``migrate analyze`` writes after ``analysis.json`` and the GraphML
    (:func:`~benchmig.analyzer.write_analysis`). Returns the paths written.
    """
    return _write_analysis(analysis, out_dir, ("html", "md", "dot"))


def _write_analysis(analysis: Analysis, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    written: list[Path] = []
    if "json" in formats:  # analysis.json (current schema) and the GraphML beside it
        written += write_analysis(analysis, out_dir)
    if "html" in formats:
        written.append(write_analysis_html(analysis, out_dir / "report.html"))
    if "md" in formats:
        written.append(write_analysis_markdown(analysis, out_dir / "report.md"))
    if "graphml" in formats and "json" not in formats:
        written.append(write_graphml(analysis, out_dir / "dependency-graph.graphml"))
    if "dot" in formats:
        written.append(write_dot(analysis, out_dir / "dependency-graph.dot"))
    return written


def render_results_reports(run: RunResults, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write ``results.html`` / ``results.md`` / ``results.json`` (current schema) of a run."""
    written: list[Path] = []
    if "json" in formats:
        written.append(write_results(run, out_dir))
    if "html" in formats:
        written.append(write_results_html(run, out_dir / "results.html"))
    if "md" in formats:
        written.append(write_results_markdown(run, out_dir / "results.md"))
    return written


def parse_formats(text: str, allowed: Sequence[str] = ANALYSIS_FORMATS) -> tuple[str, ...]:
    """``"html,md"`` -> ``("html", "md")``; unknown names are an :class:`InputError`."""
    formats = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [f for f in formats if f not in allowed]
    if unknown or not formats:
        raise InputError(
            f"unknown report format(s) {', '.join(unknown) or '(none given)'}: "
            f"choose from {', '.join(allowed)}"
        )
    return formats


def document_kind(path: Path) -> str:
    """``benchmig-analysis`` or ``benchmig-results``, from the document's ``kind`` field.

    Both writers put ``kind`` among the first keys, so the first 4 KB usually tell; otherwise
    the whole document is parsed. Raises :class:`InputError` for anything else.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_PEEK_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    match = _KIND_PEEK.search(head)
    kind = match.group(1).decode("utf-8", "replace") if match else _full_kind(path)
    if kind not in (ANALYSIS_KIND, RESULTS_KIND):
        raise InputError(
            f"{path} is a {kind!r} document; 'migrate report' reads {ANALYSIS_KIND} "
            f"(analysis.json) and {RESULTS_KIND} (results.json) files"
        )
    return kind


def _full_kind(path: Path) -> str:
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} is not a readable JSON document: {exc}") from exc
    if not isinstance(document, dict):
        raise InputError(f"{path}: expected a JSON object at the top level")
    kind = document.get("kind")
    if kind is None and isinstance(document.get("results"), list):
        return RESULTS_KIND  # results.json of schema 0 had no kind
    return str(kind) if kind is not None else "(no kind)"


def render_report_file(path: Path, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Re-render a saved ``analysis.json`` or ``results.json`` into ``out_dir``."""
    kind = document_kind(path)
    allowed = ANALYSIS_FORMATS if kind == ANALYSIS_KIND else RESULTS_FORMATS
    wrong = [f for f in formats if f not in allowed]
    if wrong:
        raise InputError(
            f"format(s) {', '.join(wrong)} do not apply to a {kind} document: "
            f"choose from {', '.join(allowed)}"
        )
    if kind == ANALYSIS_KIND:
        logger.info("rendering the analysis %s into %s", path, out_dir)
        return _write_analysis(load_analysis(path), out_dir, formats)
    return render_results_reports(load_results(path), out_dir, formats)
