"""`migrate history`, `dashboard` and `export`: the history store and results, for people and CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from benchmig.cli import guarded, main

_STORE_HELP = "History store (default: $BENCHMIG_HISTORY or .benchmig/history.sqlite)."


def _store_name(store: Path | None) -> str:
    from benchmig.framework._history import default_history_path

    return str(store if store is not None else default_history_path())


def _parse_params(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        params = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"is not valid JSON (col {exc.colno}: {exc.msg}); write e.g. '{{\"batch_size\": 8}}'"
        raise click.BadParameter(msg, param_hint="--params") from exc
    if not isinstance(params, dict):
        raise click.BadParameter("must be a JSON object of param values", param_hint="--params")
    return params


def _align(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


@main.command("history")
@click.argument("benchmark", required=False)
@click.option("--store", "--history", "store", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Most recent runs."
)
@click.option("--params", "params_json", help="One params combination as JSON: '{\"n\": 8}'.")
@click.option("--hardware", help="Only this hardware (cpu, cuda, ...).")
@click.option("--metric", default="latency_ms", show_default=True, help="Metric to follow.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@guarded
def history_command(
    benchmark: str | None,
    store: Path | None,
    limit: int,
    params_json: str | None,
    hardware: str | None,
    metric: str,
    as_json: bool,
) -> None:
    """List recorded runs, or show BENCHMARK over time (with detected step changes)."""
    from benchmig.framework._history import open_history_store

    history = open_history_store(store)
    if benchmark is None:
        if params_json is not None or hardware is not None:
            raise click.UsageError("--params and --hardware need a BENCHMARK")
        runs = history.list_runs(limit=limit)
        click.echo(json.dumps(_runs_document(runs), indent=2) if as_json else _runs_table(runs))
        return
    from benchmig.errors import InputError
    from benchmig.reports.dashboard import case_trends

    params = _parse_params(params_json)
    points = history.case_history(
        benchmark, params=params, hardware=hardware, metric=metric, limit=limit
    )
    points = [p for p in points if p.status != "skipped"]
    if not points:
        raise InputError(
            f"no recorded run of benchmark {benchmark!r} (params {params_json or 'any'}, "
            f"hardware {hardware or 'any'}) in the history store {_store_name(store)}; "
            "`migrate history` lists the recorded runs"
        )
    trends = case_trends(points, metric=metric)
    if as_json:
        click.echo(json.dumps(_trends_document(benchmark, metric, trends), indent=2))
    else:
        click.echo("\n\n".join(_trend_table(trend) for trend in trends))


def _runs_document(runs: Sequence[Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "benchmig-history-runs",
        "runs": [
            {
                "run_id": r.run_id,
                "started_at": r.started_at,
                "finished_at": r.finished_at,
                "git_commit": r.git_commit,
                "counts": dict(r.counts),
                "interrupted": r.interrupted,
            }
            for r in runs
        ],
    }


def _runs_table(runs: Sequence[Any]) -> str:
    if not runs:
        return "no runs recorded yet: `migrate run` records each run in the history store"
    rows = [["run", "started", "commit", "cases"]]
    for r in runs:
        counts = ", ".join(f"{n} {status}" for status, n in sorted(r.counts.items())) or "-"
        flag = " (interrupted)" if r.interrupted else ""
        rows.append([r.run_id, r.started_at, (r.git_commit or "-")[:10], counts + flag])
    return "\n".join(_align(rows))


def _trend_table(trend: Any) -> str:
    steps = {step.index: step for step in trend.steps}
    params = ", ".join(f"{k}={v}" for k, v in trend.params.items()) or "-"
    head = f"{trend.benchmark}  params: {params}  hardware: {trend.hardware}  ({trend.metric})"
    rows = [["run", "started", "commit", "status", "median", "ci95", "step"]]
    for index, p in enumerate(trend.points):
        ci = "" if p.ci95_lo is None else f"[{p.ci95_lo:.4g}, {p.ci95_hi:.4g}]"
        step = steps.get(index)
        mark = f"<- step {step.change:+.1%} (z={step.z:.1f})" if step else ""
        median = "" if p.median is None else f"{p.median:.4g}"
        rows.append(
            [p.run_id, p.started_at, (p.git_commit or "-")[:10], p.status, median, ci, mark]
        )
    found = f"{len(trend.steps)} step change(s)" if trend.steps else "no step change"
    return "\n".join([head, *_align(rows), found])


def _trends_document(benchmark: str, metric: str, trends: Sequence[Any]) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "benchmig-case-history",
        "benchmark": benchmark,
        "metric": metric,
        "cases": [
            {
                "key": t.key,
                "params": dict(t.params),
                "hardware": t.hardware,
                "points": [
                    {
                        "run_id": p.run_id,
                        "started_at": p.started_at,
                        "git_commit": p.git_commit,
                        "status": p.status,
                        "median": p.median,
                        "ci95": None if p.ci95_lo is None else [p.ci95_lo, p.ci95_hi],
                    }
                    for p in t.points
                ],
                "steps": [
                    {
                        "index": s.index,
                        "run_id": t.points[s.index].run_id,
                        "before": s.before,
                        "after": s.after,
                        "change": s.change,
                        "z": s.z,
                    }
                    for s in t.steps
                ],
            }
            for t in trends
        ],
    }


@main.command("dashboard")
@click.option("--store", "--history", "store", type=click.Path(path_type=Path), help=_STORE_HELP)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=100, show_default=True, help="Most recent runs."
)
@click.option("--metric", default="latency_ms", show_default=True, help="Metric to chart.")
@guarded
def dashboard_command(store: Path | None, out_dir: Path, limit: int, metric: str) -> None:
    """Write a static HTML dashboard of the history store to OUT/index.html."""
    from benchmig.framework._history import open_history_store
    from benchmig.reports.dashboard import collect_dashboard, write_dashboard

    data = collect_dashboard(
        open_history_store(store), store_name=_store_name(store), metric=metric, limit=limit
    )
    target = write_dashboard(data, out_dir)
    steps = sum(len(t.steps) for t in data.trends)
    click.echo(
        f"dashboard of {len(data.trends)} cases over {len(data.runs)} runs "
        f"({steps} step changes) written to {target}",
        err=True,
    )
    click.echo(str(target))


@main.command("export")
@click.argument("results", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bmf", "github-action-benchmark"]),
    required=True,
    help="bmf: Bencher Metric Format; github-action-benchmark: its custom JSON.",
)
@click.option(
    "--tool",
    type=click.Choice(["customSmallerIsBetter", "customBiggerIsBetter"]),
    default="customSmallerIsBetter",
    show_default=True,
    help="github-action-benchmark only: latency/memory (smaller) or throughput (bigger).",
)
@click.option("--out", "out_file", type=click.Path(path_type=Path), help="File (default: stdout).")
@guarded
def export_command(results: Path, fmt: str, tool: str, out_file: Path | None) -> None:
    """Convert RESULTS (a results.json) to a format CI tools read."""
    from benchmig._io import atomic_write_text
    from benchmig.framework._export import export_text
    from benchmig.framework._results_io import load_results

    text = export_text(load_results(results), fmt, tool=tool)
    if out_file is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(out_file, text)
    click.echo(f"{fmt} written to {out_file}", err=True)
