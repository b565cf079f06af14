"""`migrate analyze`: a thin wrapper over benchmig.analyzer (and the reports it renders)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from benchmig.cli import guarded, main
from benchmig.cli._progress import ProgressLine
from benchmig.errors import EXIT_PARTIAL


@main.command("analyze")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("migration-report"),
    show_default=True,
    help="Folder for analysis.json, the reports and the graph.",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
@click.option("--exclude", "excludes", multiple=True, help="Gitignore-style pattern to skip.")
@click.option("--no-cache", is_flag=True, help="Parse every file again (ignore the cache).")
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Where the cache lives.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@guarded
def analyze_command(
    paths: tuple[Path, ...],
    out_dir: Path,
    jobs: int | None,
    excludes: tuple[str, ...],
    no_cache: bool,
    cache_dir: Path | None,
    quiet: bool,
) -> None:
    """Read PATHS statically (never importing or running them) and write the analysis."""
    from benchmig.analyzer import analyze_paths, write_analysis
    from benchmig.reports import render_analysis_reports

    analysis = analyze_paths(
        list(paths),
        jobs=jobs,
        excludes=excludes,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        progress=ProgressLine("analysed", quiet).update,
    )
    written = write_analysis(analysis, out_dir)
    written += render_analysis_reports(analysis, out_dir)
    summary = analysis.summary
    click.echo(
        f"{summary['files']} files: {summary['parsed']} parsed, {summary['parse_errors']} "
        f"parse errors, {summary['skipped']} skipped; {summary['benchmarks']} benchmarks, "
        f"{summary['helpers']} helpers"
    )
    for path in written:
        click.echo(f"wrote {path}", err=True)
    internal = [
        f.path
        for f in analysis.files
        if f.facts.error is not None and f.facts.error.reason == "internal_error"
    ]
    if internal:
        click.echo(
            f"error: the analyzer failed on {len(internal)} file(s), e.g. {internal[0]}; "
            "see analysis.json",
            err=True,
        )
        sys.exit(EXIT_PARTIAL)
