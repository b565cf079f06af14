"""Geometry of the dashboard's SVG trend charts (see :mod:`benchmig.reports.dashboard`).

Only numbers computed here reach SVG attributes; every text (titles, labels) is passed to the
autoescaping template as data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from benchmig.framework._history import HistoryPoint
from benchmig.framework._steps import StepChange

__all__ = ["fmt", "short", "trend_chart"]

_WIDTH, _HEIGHT = 640, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 16, 26, 34

Scale = Callable[[float], float]


def fmt(value: float | None) -> str:
    """Four significant digits, ``-`` for a missing or non-finite value."""
    return "-" if value is None or not math.isfinite(value) else f"{value:.4g}"


def short(commit: str | None) -> str:
    """A commit hash cut to ten characters (empty when unknown)."""
    return (commit or "")[:10]


def _nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    span = hi - lo
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) / step + 1e-9) + 1)]


def _y_range(points: Sequence[HistoryPoint]) -> tuple[float, float]:
    """The medians' range, widened for the CIs by at most half of it, plus a margin.

    One wild confidence interval must not flatten the line: the band is clipped to the plot.
    """
    medians = [p.median for p in points if p.median is not None]
    lo, hi = min(medians), max(medians)
    reach = (hi - lo) * 0.5 or abs(hi) * 0.1 or 1.0
    lows = [p.ci95_lo for p in points if p.ci95_lo is not None]
    highs = [p.ci95_hi for p in points if p.ci95_hi is not None]
    lo, hi = max(min([lo, *lows]), lo - reach), min(max([hi, *highs]), hi + reach)
    pad = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
    return lo - pad, hi + pad


def trend_chart(
    points: Sequence[HistoryPoint],
    changes: Sequence[StepChange],
    steps: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Coordinates of everything the SVG template draws for one case.

    ``points`` are the case's runs, oldest first; ``changes`` its steps and ``steps`` their
    views (labels, colours) from the dashboard.
    """
    values = {
        i: p.median for i, p in enumerate(points) if p.status == "ok" and p.median is not None
    }
    inner_w, inner_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    last = max(len(points) - 1, 1)

    def x(i: float) -> float:
        return round(_LEFT + inner_w * (i / last if len(points) > 1 else 0.5), 2)

    lo, hi = _y_range([points[i] for i in values]) if values else (0.0, 1.0)

    def y(v: float) -> float:
        return round(min(max(_TOP + inner_h * (1 - (v - lo) / (hi - lo)), _TOP), _TOP + inner_h), 2)

    runs = _contiguous(list(values))
    return {
        "width": _WIDTH,
        "height": _HEIGHT,
        "left": _LEFT,
        "right": _WIDTH - _RIGHT,
        "top": _TOP,
        "bottom": _HEIGHT - _BOTTOM,
        "yticks": [{"y": y(t), "label": fmt(t)} for t in _nice_ticks(lo, hi)],
        "xlabels": _x_labels(points, x),
        "bands": [_band(points, run, x, y) for run in runs if len(run) > 1],
        "lines": [" ".join(f"{x(i)},{y(values[i])}" for i in run) for run in runs],
        "dots": [_dot(points[i], x(i), y(v)) for i, v in values.items()],
        "failures": [
            {"x": x(i), "title": f"{p.run_id}, {p.started_at}: {p.status}"}
            for i, p in enumerate(points)
            if i not in values
        ],
        "levels": _levels(changes, len(points), x, y),
        "steps": [_step_mark(step, x) for step in steps],
    }


def _step_mark(step: Mapping[str, Any], x: Scale) -> dict[str, Any]:
    """Where a step's marker goes: between its last run at the old level and its first new one."""
    at = round((x(step["index"] - 1) + x(step["index"])) / 2, 2)
    anchor = "end" if at > _WIDTH - _RIGHT - 40 else ("start" if at < _LEFT + 40 else "middle")
    return dict(step) | {"x": at, "anchor": anchor}


def _contiguous(indices: Sequence[int]) -> list[list[int]]:
    """Split ascending indices into runs of consecutive numbers (a failed run breaks the line)."""
    groups: list[list[int]] = []
    for i in indices:
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _band(points: Sequence[HistoryPoint], run: Sequence[int], x: Scale, y: Scale) -> str:
    upper = [f"{x(i)},{y(_or(points[i].ci95_hi, points[i].median))}" for i in run]
    lower = [f"{x(i)},{y(_or(points[i].ci95_lo, points[i].median))}" for i in reversed(run)]
    return "M" + " L".join(upper + lower) + " Z"


def _or(value: float | None, fallback: float | None) -> float:
    chosen = value if value is not None else fallback
    return float(chosen) if chosen is not None else 0.0


def _dot(point: HistoryPoint, cx: float, cy: float) -> dict[str, Any]:
    ci = "" if point.ci95_lo is None else f" (95% CI {fmt(point.ci95_lo)} to {fmt(point.ci95_hi)})"
    commit = f" @ {short(point.git_commit)}" if point.git_commit else ""
    return {
        "x": cx,
        "y": cy,
        "title": f"{point.run_id}{commit}, {point.started_at}: {fmt(point.median)}{ci}",
    }


def _levels(changes: Sequence[StepChange], n: int, x: Scale, y: Scale) -> list[dict[str, float]]:
    """The fitted level of every segment between steps (dashed lines)."""
    if not changes:
        return []
    edges = [0, *(s.index for s in changes), n]
    values = [changes[0].before, *(s.after for s in changes)]
    return [
        {"x1": x(lo), "x2": x(hi - 1), "y": y(v)}
        for lo, hi, v in zip(edges, edges[1:], values, strict=False)
    ]


def _x_labels(points: Sequence[HistoryPoint], x: Scale) -> list[dict[str, Any]]:
    """The start time (to the minute) of the first, middle and last run."""
    if not points:
        return []
    chosen = sorted({0, len(points) // 2, len(points) - 1})
    anchors = {0: "start", len(points) - 1: "end"} if len(points) > 1 else {}
    return [
        {
            "x": x(i),
            "label": points[i].started_at[:16].replace("T", " "),
            "anchor": anchors.get(i, "middle"),
        }
        for i in chosen
    ]
