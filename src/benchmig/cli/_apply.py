"""`migrate apply`: a thin wrapper over benchmig.codemods.apply_paths.

Exit codes: 0 done (or nothing to change), 1 ``--check`` found changes, 2 usage or input error
(including ``--in-place`` on files with uncommitted changes), 3 some files failed (the rest
were written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from benchmig.cli import guarded, main
from benchmig.cli._progress import ProgressLine
from benchmig.errors import EXIT_FINDING, EXIT_PARTIAL


class _Progress(ProgressLine):
    """``applied N/M files``, plus each failed file."""

    def __init__(self, quiet: bool) -> None:
        super().__init__("applied", quiet)

    def __call__(self, done: int, total: int, result: Any) -> None:
        outcome = result.outcome
        if outcome.status == "error":
            self.message(f"error: {outcome.path}: {outcome.error}")
        self.update(done, total)


def _mode(diff: bool, check: bool, out_dir: Path | None, in_place: bool) -> str:
    chosen = [
        name
        for name, on in (
            ("diff", diff),
            ("check", check),
            ("out", out_dir is not None),
            ("in-place", in_place),
        )
        if on
    ]
    if len(chosen) != 1:
        raise click.UsageError("choose exactly one of --diff, --check, --out DIR, --in-place")
    return chosen[0]


@main.command("apply")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--diff", is_flag=True, help="Print a unified diff; write nothing.")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write the whole migrated tree (untouched files included) under this folder.",
)
@click.option("--in-place", is_flag=True, help="Rewrite the files themselves (git-clean only).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
@click.option(
    "--codemod",
    "codemods",
    multiple=True,
    help="Run only this codemod (repeatable); default: all, in order.",
)
@click.option(
    "--analysis",
    type=click.Path(path_type=Path),
    help="analysis.json of the same tree (default: analyse it now).",
)
@click.option("--report", type=click.Path(path_type=Path), help="Also write the report as JSON.")
@click.option("--allow-dirty", is_flag=True, help="--in-place even on uncommitted files.")
@click.option("--no-cache", is_flag=True, help="Do not use the analyzer's cache.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--verbose-report", is_flag=True, help="List every unit and every warning.")
@guarded
def apply_command(
    paths: tuple[Path, ...],
    diff: bool,
    check: bool,
    out_dir: Path | None,
    in_place: bool,
    jobs: int | None,
    codemods: tuple[str, ...],
    analysis: Path | None,
    report: Path | None,
    allow_dirty: bool,
    no_cache: bool,
    quiet: bool,
    verbose_report: bool,
) -> None:
    """Rewrite the legacy benchmarks under PATHS onto the framework."""
    from benchmig.codemods import ApplyOptions, apply_paths, format_report, write_report

    mode = _mode(diff, check, out_dir, in_place)
    options = ApplyOptions(
        mode=mode,  # type: ignore[arg-type]
        out_dir=out_dir,
        jobs=jobs,
        codemods=codemods,
        analysis=analysis,
        allow_dirty=allow_dirty,
        use_cache=not no_cache,
    )
    result = apply_paths(list(paths), options, progress=_Progress(quiet))
    if mode == "diff":
        sys.stdout.write(result.diff)
    click.echo(format_report(result, verbose=verbose_report), err=mode == "diff")
    if report is not None:
        write_report(result, report)
        click.echo(f"wrote {report}", err=True)
    if mode == "out":
        click.echo(f"wrote the migrated tree to {out_dir}", err=True)
    if result.errors or result.problems:
        sys.exit(EXIT_PARTIAL)
    if mode == "check" and result.changed:
        sys.exit(EXIT_FINDING)
