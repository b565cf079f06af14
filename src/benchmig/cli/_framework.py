"""`migrate run`, `list`, `hardware` and `compare`: thin wrappers over benchmig.framework."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from benchmig.cli import guarded, main
from benchmig.errors import EXIT_FINDING, EXIT_PARTIAL
from benchmig.framework import BenchmarkSpec


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _split_list(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _progress_printer(quiet: bool) -> Callable[[Any], None] | None:
    if quiet:
        return None

    def show(event: Any) -> None:
        case, outcome = event.case, event.outcome
        params = " ".join(f"{k}={v}" for k, v in case.params.items())
        if outcome.status == "ok" and outcome.measurement is not None:
            latency = sorted(outcome.measurement.latency_ms)
            detail = f"median {latency[len(latency) // 2]:.4g} ms (n={len(latency)})"
        else:
            detail = (outcome.error or "").splitlines()[0] if outcome.error else ""
        _echo_err(
            f"[{event.done}/{event.total}] {case.spec.name} {params} {case.hardware} "
            f"(process {event.round_index + 1}/{case.settings.processes}): "
            f"{outcome.status} {detail}".rstrip()
        )

    return show


@main.command("run")
@click.argument("targets", nargs=-1)
@click.option("--suite", type=click.Path(path_type=Path), help="A suite file (JSON).")
@click.option("--hardware", help="Comma-separated hardware to run on (default: all declared).")
@click.option("--filter", "pattern", help="Only benchmarks whose name matches this glob.")
@click.option("--category", help="Only benchmarks of this category.")
@click.option("--warmup", type=click.IntRange(min=0), help="Warm-up calls per process.")
@click.option(
    "--repeats", type=click.IntRange(min=1), help="Samples per process (default: adaptive)."
)
@click.option("--processes", type=click.IntRange(min=1), help="Worker processes per case.")
@click.option(
    "--max-time",
    type=click.FloatRange(min=0, min_open=True),
    help="Time budget per case in seconds.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help="Kill a case running longer than this (seconds).",
)
@click.option(
    "--output-dir",
    type=click.Path(path_type=Path),
    default=Path("benchmark-results"),
    show_default=True,
)
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="Compare with this results.json; exit 1 on regression.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Smallest change (percent) that counts as a regression.",
)
@click.option("--no-isolation", is_flag=True, help="Measure in this process (no timeout).")
@click.option(
    "--history",
    type=click.Path(path_type=Path),
    help="History store (default: $BENCHMIG_HISTORY or .benchmig/history.sqlite).",
)
@click.option("--no-history", is_flag=True, help="Do not record this run in the history store.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Run what loads even when some benchmark files fail to import (exit 3).",
)
@click.option("--json", "as_json", is_flag=True, help="Print results.json to stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@guarded
def run_command(
    targets: tuple[str, ...],
    suite: Path | None,
    hardware: str | None,
    pattern: str | None,
    category: str | None,
    warmup: int | None,
    repeats: int | None,
    processes: int | None,
    max_time: float | None,
    timeout: float | None,
    output_dir: Path,
    baseline: Path | None,
    threshold: float,
    no_isolation: bool,
    history: Path | None,
    no_history: bool,
    keep_going: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Run benchmarks from TARGETS (.py files, folders or modules) or a --suite."""
    from benchmig.framework._compare import format_comparison_table
    from benchmig.framework._session import RunRequest, run_benchmarks
    from benchmig.reports.results_text import format_results_table

    explicit = {
        k: v
        for k, v in {
            "warmup": warmup,
            "repeats": repeats,
            "processes": processes,
            "max_time": max_time,
            "timeout": timeout,
        }.items()
        if v is not None
    }
    request = RunRequest(
        targets=targets,
        suite=suite,
        hardware=_split_list(hardware),
        pattern=pattern,
        category=category,
        explicit_settings=explicit,
        output_dir=output_dir,
        baseline=baseline,
        threshold=threshold / 100.0,
        isolation=not no_isolation,
        history=history,
        record_history=not no_history,
        keep_going=keep_going,
    )
    try:
        outcome = run_benchmarks(request, progress=_progress_printer(quiet))
    except KeyboardInterrupt:
        _echo_err(f"interrupted: finished results were written to {output_dir / 'results.json'}")
        sys.exit(EXIT_PARTIAL)
    for error in outcome.load_errors:
        _echo_err(f"error: {error}")
    if as_json:
        click.echo(json.dumps(outcome.run.to_dict(), indent=2))
    else:
        click.echo(format_results_table(outcome.run))
    _echo_err(f"results written to {outcome.results_path}")
    if outcome.comparison is not None:
        click.echo(format_comparison_table(outcome.comparison))
    if outcome.failed or outcome.load_errors:
        sys.exit(EXIT_PARTIAL)
    if outcome.comparison is not None and outcome.comparison.has_regression:
        sys.exit(EXIT_FINDING)


@main.command("list")
@click.argument("targets", nargs=-1)
@click.option("--filter", "pattern", help="Only benchmarks whose name matches this glob.")
@click.option("--category", help="Only benchmarks of this category.")
@click.option("--hardware", help="Only benchmarks supporting this hardware.")
@click.option(
    "--keep-going",
    is_flag=True,
    help="List what loads even when some files fail to import (their errors on stderr, exit 3).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@guarded
def list_command(
    targets: tuple[str, ...],
    pattern: str | None,
    category: str | None,
    hardware: str | None,
    keep_going: bool,
    as_json: bool,
) -> None:
    """List the benchmarks TARGETS register, with their metadata."""
    from benchmig.framework._hardware import normalize_hardware
    from benchmig.framework._session import load_registry

    if not targets:
        raise click.UsageError("give at least one TARGET (a .py file, a folder or a module)")
    registry, errors = load_registry(targets, keep_going=keep_going)
    wanted_hw = normalize_hardware(hardware) if hardware else None
    specs = registry.filter(pattern, category, wanted_hw)
    if as_json:
        document = {
            "schema_version": 1,
            "kind": "benchmig-benchmark-list",
            "benchmarks": [s.describe() for s in specs],
        }
        click.echo(json.dumps(document, indent=2, default=str))
    else:
        _print_specs(specs)
    for error in errors:
        _echo_err(f"error: {error}")
    if errors:
        sys.exit(EXIT_PARTIAL)


def _print_specs(specs: list[BenchmarkSpec]) -> None:
    for spec in specs:
        params = ", ".join(f"{k}={list(v)}" for k, v in spec.params.items()) or "-"
        click.echo(
            f"{spec.name}  [{spec.category}]  hardware={','.join(spec.hardware)}  "
            f"params: {params}  ({spec.location})"
        )
    _echo_err(f"{len(specs)} benchmark(s)")


@main.command("hardware")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@guarded
def hardware_command(as_json: bool) -> None:
    """Show the hardware detected here, and why any backend is unavailable."""
    from benchmig.framework._hardware import detect_hardware, format_hardware

    info = detect_hardware()
    if as_json:
        click.echo(
            json.dumps(
                {"schema_version": 1, "kind": "benchmig-hardware"} | info.to_dict(), indent=2
            )
        )
    else:
        click.echo(format_hardware(info))


@main.command("compare")
@click.argument("baseline", type=click.Path(path_type=Path))
@click.argument("current", type=click.Path(path_type=Path))
@click.option(
    "--threshold",
    type=click.FloatRange(min=0),
    default=5.0,
    show_default=True,
    help="Smallest change (percent) that counts as a regression.",
)
@click.option(
    "--history",
    type=click.Path(path_type=Path),
    help="Use run-to-run noise measured in this history store.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write an HTML report (tables and charts) to this file.",
)
@guarded
def compare_command(
    baseline: Path,
    current: Path,
    threshold: float,
    history: Path | None,
    as_json: bool,
    html_path: Path | None,
) -> None:
    """Compare two results.json files; exit 1 when a benchmark regressed."""
    from benchmig.framework._compare import compare_runs, format_comparison_table
    from benchmig.framework._history import open_history_store
    from benchmig.framework._results_io import load_results

    base_run, current_run = load_results(baseline), load_results(current)
    noise: dict[str, float] = {}
    if history is not None:
        store = open_history_store(history)
        for result in current_run.results:
            value = store.run_to_run_noise(result.key, exclude_run=current_run.run_id)
            if value is not None:
                noise[result.key] = value
    comparison = compare_runs(
        base_run, current_run, threshold=threshold / 100.0, history_noise=noise
    )
    if as_json:
        click.echo(json.dumps(comparison.to_dict(), indent=2))
    else:
        click.echo(format_comparison_table(comparison))
    if html_path is not None:
        from benchmig.reports.results_html import render_comparison_html

        _echo_err(f"wrote {render_comparison_html(comparison, base_run, current_run, html_path)}")
    if comparison.has_regression:
        sys.exit(EXIT_FINDING)
