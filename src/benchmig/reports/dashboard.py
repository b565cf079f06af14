"""The history dashboard: one self-contained HTML page of trend charts built from the history store.

One chart per case (benchmark, params, hardware): the run medians of one metric joined by a line,
their 95% confidence intervals as a band, the levels found by step detection
(:mod:`benchmig.framework._steps`) as dashed lines and each step marked with its size, coloured
by whether it made the case worse or better. The charts are SVG drawn here (the page needs no
script to show them); the page's only script filters the cards by name. Everything is inline:
no CDN, no web fonts, so the file can be opened from an artifact or a mail attachment.

Every name in the store is hostile data: the template autoescapes, and the JSON embedded in the
``<script>`` element goes through Jinja's ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped), so a
benchmark called ``</script>`` stays text.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from benchmig._io import atomic_write_text
from benchmig.errors import InputError
from benchmig.framework._compare import metric_direction
from benchmig.framework._history import (
    HistoryPoint,
    HistoryStore,
    RunSummary,
    git_commit_of,
)
from benchmig.framework._results import RunResults, SampleStats
from benchmig.framework._steps import StepChange, StepSettings, detect_steps
from benchmig.reports._dashboard_chart import fmt as _fmt
from benchmig.reports._dashboard_chart import short as _short
from benchmig.reports._dashboard_chart import trend_chart

__all__ = [
    "CaseTrend",
    "DashboardData",
    "case_trends",
    "collect_dashboard",
    "points_of_run",
    "render_dashboard",
    "write_dashboard",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DashboardData:
    """What the dashboard shows: the runs (oldest first) and each case's trend."""

    generated_at: str
    store: str
    metric: str
    runs: tuple[RunSummary, ...]
    trends: tuple[CaseTrend, ...]


@dataclass(frozen=True)
class CaseTrend:
    """One case's history of one metric (points oldest first) and the steps found in it."""

    key: str
    benchmark: str
    params: Mapping[str, Any]
    hardware: str
    metric: str
    points: tuple[HistoryPoint, ...]
    steps: tuple[StepChange, ...]


def case_trends(
    points: Iterable[HistoryPoint], *, metric: str, settings: StepSettings | None = None
) -> list[CaseTrend]:
    """Group points (oldest first) by case and detect each case's steps.

    Runs where the case did not succeed stay in ``points`` (as gaps) but not in the detection.
    Cases come sorted by benchmark, hardware and params.
    """
    groups: dict[str, list[HistoryPoint]] = {}
    for point in points:
        groups.setdefault(point.key, []).append(point)
    trends = []
    for key, members in groups.items():
        values = [p.median if p.status == "ok" else None for p in members]
        cis = [
            (p.ci95_lo, p.ci95_hi) if p.ci95_lo is not None and p.ci95_hi is not None else None
            for p in members
        ]
        first = members[0]
        steps = detect_steps(values, ci=cis, settings=settings)
        trends.append(
            CaseTrend(
                key,
                first.benchmark,
                first.params,
                first.hardware,
                metric,
                tuple(members),
                tuple(steps),
            )
        )
    return sorted(trends, key=lambda t: (t.benchmark, t.hardware, t.key))


def points_of_run(run: RunResults, metric: str) -> list[HistoryPoint]:
    """One :class:`HistoryPoint` per case of ``run`` for ``metric`` (median None if absent)."""
    points = []
    for case in run.results:
        value = case.metrics.get(metric) if case.status == "ok" else None
        lo = hi = None
        if isinstance(value, SampleStats):
            median: float | None = value.median
            lo, hi = value.ci95
        else:
            median = value
        points.append(
            HistoryPoint(
                run.run_id, run.started_at, git_commit_of(run.environment), case.key,
                case.benchmark, case.params, case.hardware, case.status, median, lo, hi,
            )
        )  # fmt: skip
    return points


def collect_dashboard(
    store: HistoryStore,
    *,
    store_name: str,
    metric: str = "latency_ms",
    limit: int = 100,
    settings: StepSettings | None = None,
) -> DashboardData:
    """Read the latest ``limit`` runs of ``store`` and build every case's trend of ``metric``."""
    runs = tuple(reversed(store.list_runs(limit=limit)))
    points: list[HistoryPoint] = []
    for summary in runs:
        try:
            points += points_of_run(store.load_run(summary.run_id), metric)
        except InputError as exc:  # one corrupt or too new run must not hide the others
            logger.warning("left out of the dashboard: %s", exc)
    # Skipped cases (hardware absent) are not failures; ok cases without the metric have no point.
    kept = [
        p for p in points if p.status != "skipped" and (p.status != "ok" or p.median is not None)
    ]
    trends = case_trends(kept, metric=metric, settings=settings)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return DashboardData(now, store_name, metric, runs, tuple(trends))


def write_dashboard(data: DashboardData, out_dir: Path) -> Path:
    """Write ``out_dir/index.html`` atomically (creating the folder) and return its path."""
    if not data.runs:
        raise InputError(
            f"the history store {data.store} holds no runs: record some with `migrate run` "
            "(or point --store at the right file) before building a dashboard"
        )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create {out_dir}: {exc.strerror or exc}; choose another --out"
        raise InputError(msg) from exc
    target = out_dir / "index.html"
    atomic_write_text(target, render_dashboard(data))
    logger.info("wrote the dashboard of %d cases to %s", len(data.trends), target)
    return target


def render_dashboard(data: DashboardData) -> str:
    """The dashboard page as HTML text."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("benchmig.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["csp_hash"] = _csp_hash
    cards = [_card(index, trend) for index, trend in enumerate(data.trends)]
    steps = sorted(
        (
            step | {k: card[k] for k in ("title", "params", "hardware")} | {"card": card["id"]}
            for card in cards
            for step in card["steps"]
        ),
        key=lambda s: str(s["started_at"]),
        reverse=True,
    )
    return env.get_template("dashboard.html.j2").render(
        data=data,
        cards=cards,
        recent_steps=steps,
        runs=[_run_row(run) for run in reversed(data.runs)],
        index=[{"id": c["id"], "search": c["search"], "steps": len(c["steps"])} for c in cards],
    )


def _csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script."""
    digest = hashlib.sha256(str(script).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# -- view model -------------------------------------------------------------------------------


def _params(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


def _run_row(run: RunSummary) -> dict[str, Any]:
    counts = ", ".join(f"{n} {status}" for status, n in sorted(run.counts.items()))
    return {
        "run_id": run.run_id,
        "started_at": run.started_at,
        "commit": _short(run.git_commit),
        "counts": counts or "no cases",
        "interrupted": run.interrupted,
    }


def _card(index: int, trend: CaseTrend) -> dict[str, Any]:
    ok = [p for p in trend.points if p.status == "ok" and p.median is not None]
    latest = ok[-1] if ok else None
    direction = metric_direction(trend.metric)
    steps = [_step_view(trend, step, direction) for step in trend.steps]
    title = trend.benchmark
    params = _params(trend.params)
    return {
        "id": f"case-{index}",
        "title": title,
        "params": params,
        "hardware": trend.hardware,
        "search": " ".join([title, params, trend.hardware]).lower(),
        "latest": _fmt(latest.median) if latest else "-",
        "latest_ci": f"[{_fmt(latest.ci95_lo)}, {_fmt(latest.ci95_hi)}]"
        if latest and latest.ci95_lo is not None
        else "",
        "runs": len(trend.points),
        "failed": sum(1 for p in trend.points if p.status in ("failed", "timeout")),
        "steps": steps,
        "chart": trend_chart(trend.points, trend.steps, steps),
        "points": [_point_row(p) for p in reversed(trend.points)],
    }


def _step_view(trend: CaseTrend, step: StepChange, direction: str | None) -> dict[str, Any]:
    worse = step.change > 0 if direction == "lower" else step.change < 0
    kind = "neutral" if direction is None else ("worse" if worse else "better")
    point = trend.points[step.index]
    return {
        "index": step.index,
        "label": f"{step.change:+.1%}",
        "kind": kind,
        "run_id": point.run_id,
        "started_at": point.started_at,
        "commit": _short(point.git_commit),
        "before": _fmt(step.before),
        "after": _fmt(step.after),
        "z": f"{step.z:.1f}",
    }


def _point_row(point: HistoryPoint) -> dict[str, Any]:
    ci = "" if point.ci95_lo is None else f"[{_fmt(point.ci95_lo)}, {_fmt(point.ci95_hi)}]"
    return {
        "run_id": point.run_id,
        "started_at": point.started_at,
        "commit": _short(point.git_commit),
        "status": point.status,
        "median": _fmt(point.median),
        "ci": ci,
    }
