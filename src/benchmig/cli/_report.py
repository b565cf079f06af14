"""`migrate report`: re-render a saved analysis.json or results.json (thin wrapper over
benchmig.reports). ``render_analysis_reports`` is what `migrate analyze` calls after writing
analysis.json."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from benchmig.cli import guarded, main

if TYPE_CHECKING:
    from benchmig.analyzer import Analysis

__all__ = ["render_analysis_reports", "report_command"]


def render_analysis_reports(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write report.html, report.md and dependency-graph.dot of ``analysis`` into ``out_dir``.

    See :func:`benchmig.reports.render_analysis_reports` (imported on call: the CLI starts fast).
    """
    from benchmig.reports._outputs import render_analysis_reports as render

    return render(analysis, out_dir)


@main.command("report")
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the reports (default: the folder of DOCUMENT).",
)
@click.option(
    "--format",
    "formats",
    default="html,md",
    show_default=True,
    help="Comma-separated: html, md, json; for an analysis also graphml, dot.",
)
@guarded
def report_command(document: Path, out_dir: Path | None, formats: str) -> None:
    """Render DOCUMENT (an analysis.json or a results.json) as HTML, Markdown and more."""
    from benchmig.reports._outputs import parse_formats, render_report_file

    written = render_report_file(document, out_dir or document.parent, parse_formats(formats))
    for path in written:
        click.echo(str(path))
