"""Small static SVG charts for results pages: horizontal bars with error bars, baseline vs
current pairs, and a forest plot of changes with the noise margin of each verdict.

Pure Python, no JavaScript; every label is escaped (benchmark names and params are data).
The axis is logarithmic when the values span more than two decades, so a 50 µs case and a
2 s case can share one chart. Colours come from CSS classes of the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

__all__ = ["Bar", "Change", "Pair", "bar_chart", "change_chart", "paired_bar_chart"]

_ROW = 22.0
_PAIR_ROW = 30.0
_CHAR = 6.3
_PLOT = 520.0
_VALUE_COLUMN = 150.0
_TOP = 28.0


def _e(value: object) -> str:
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Bar:
    """One value with its confidence interval (``lo``/``hi``, may be ``None``)."""

    label: str
    value: float
    lo: float | None = None
    hi: float | None = None
    css: str = ""
    text: str = ""  # shown right of the bar; the value itself when empty


@dataclass(frozen=True)
class Pair:
    """Baseline and current of one case and metric."""

    label: str
    baseline: Bar
    current: Bar


@dataclass(frozen=True)
class Change:
    """A relative change (``0.1`` = +10%), oriented so that positive is worse.

    ``lo``/``hi`` bound it from the two runs' confidence intervals; ``margin`` is the change the
    verdict had to exceed (threshold plus twice the run-to-run noise).
    """

    label: str
    worse: float
    lo: float | None
    hi: float | None
    margin: float | None
    verdict: str
    text: str


class _Scale:
    """Maps values to x positions over ``[x0, x0 + width]``."""

    def __init__(self, values: Sequence[float], x0: float, width: float, *, zero: bool = True):
        positive = [v for v in values if v > 0 and math.isfinite(v)]
        top = max(positive, default=1.0)
        bottom = min(positive, default=1.0)
        self.log = top / bottom > 100.0
        if self.log:
            self.lo, self.hi = math.log10(bottom) - 0.1, math.log10(top) + 0.05
        else:
            self.lo, self.hi = (0.0 if zero else bottom), top * 1.08 or 1.0
        self.x0, self.width = x0, width

    def x(self, value: float) -> float:
        v = math.log10(max(value, 10**self.lo)) if self.log else value
        span = (self.hi - self.lo) or 1.0
        return self.x0 + max(0.0, min(1.0, (v - self.lo) / span)) * self.width

    def ticks(self) -> list[float]:
        if self.log:
            return [10.0**k for k in range(math.ceil(self.lo), math.floor(self.hi) + 1)]
        step = _nice_step(self.hi - self.lo)
        return [k * step for k in range(int(self.lo // step), int(self.hi // step) + 1)]


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _label_width(labels: Sequence[str]) -> float:
    return min(360.0, max(80.0, max((len(s) for s in labels), default=0) * _CHAR + 12))


def _label(text: str, width: float, y: float) -> str:
    room = int((width - 12) / _CHAR)
    shown = text if len(text) <= room else text[: room - 1] + "…"
    return (
        f'<text x="{width - 8:.1f}" y="{y:.1f}" text-anchor="end"><title>{_e(text)}</title>'
        f"{_e(shown)}</text>"
    )


def _axis(scale: _Scale, top: float, bottom: float, unit: str) -> Iterator[str]:
    yield '<g class="grid">'
    for tick in scale.ticks():
        x = scale.x(tick)
        yield f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}"/>'
    yield '</g><g class="axis">'
    for tick in scale.ticks():
        yield (
            f'<text class="tick" x="{scale.x(tick):.1f}" y="{top - 8:.1f}" '
            f'text-anchor="middle">{_num(tick)}</text>'
        )
    scale_name = "log scale" if scale.log else ""
    yield (
        f'<text class="tick" x="{scale.x0 + scale.width:.1f}" y="{bottom + 16:.1f}" '
        f'text-anchor="end">{_e(unit)} {scale_name}</text></g>'
    )


def _bar(scale: _Scale, bar: Bar, y: float, h: float, css: str) -> Iterator[str]:
    x0 = scale.x0 if not scale.log else scale.x(10**scale.lo)
    x1 = scale.x(bar.value)
    yield (
        f'<rect class="bar {css} {_e(bar.css)}" x="{x0:.1f}" y="{y:.1f}" '
        f'width="{max(1.0, x1 - x0):.1f}" height="{h:.1f}">'
        f"<title>{_e(bar.label)}: {_num(bar.value)}</title></rect>"
    )
    if bar.lo is not None and bar.hi is not None:
        a, b, m = scale.x(bar.lo), scale.x(bar.hi), y + h / 2
        yield (
            f'<path class="err" d="M{a:.1f},{m:.1f}H{b:.1f}M{a:.1f},{y + 2:.1f}V{y + h - 2:.1f}'
            f'M{b:.1f},{y + 2:.1f}V{y + h - 2:.1f}"/>'
        )


def _svg(width: float, height: float, body: Iterator[str] | list[str], title: str) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{_e(title)}">' + "".join(body) + "</svg>"
    )


def bar_chart(bars: Sequence[Bar], unit: str, title: str = "") -> Markup:
    """One horizontal bar per row with its 95% CI as an error bar."""
    left = _label_width([b.label for b in bars])
    values = [v for b in bars for v in (b.value, b.lo, b.hi) if v is not None]
    scale = _Scale(values, left, _PLOT)
    bottom = _TOP + len(bars) * _ROW
    parts = list(_axis(scale, _TOP, bottom, unit))
    for i, bar in enumerate(bars):
        y = _TOP + i * _ROW
        parts.append(_label(bar.label, left, y + 15))
        parts.extend(_bar(scale, bar, y + 4, _ROW - 8, ""))
        text = bar.text or _num(bar.value)
        parts.append(f'<text x="{left + _PLOT + 8:.1f}" y="{y + 15:.1f}">{_e(text)}</text>')
    return _svg(left + _PLOT + _VALUE_COLUMN, bottom + 24, parts, title or unit)


def paired_bar_chart(pairs: Sequence[Pair], unit: str, title: str = "") -> Markup:
    """Baseline (grey) over current (coloured by verdict) for each case, on one scale."""
    left = _label_width([p.label for p in pairs])
    values = [
        v
        for p in pairs
        for b in (p.baseline, p.current)
        for v in (b.value, b.lo, b.hi)
        if v is not None
    ]
    scale = _Scale(values, left, _PLOT)
    bottom = _TOP + len(pairs) * _PAIR_ROW
    parts = list(_axis(scale, _TOP, bottom, unit))
    for i, pair in enumerate(pairs):
        y = _TOP + i * _PAIR_ROW
        parts.append(_label(pair.label, left, y + 19))
        parts.extend(_bar(scale, pair.baseline, y + 4, 10, "baseline"))
        parts.extend(_bar(scale, pair.current, y + 15, 10, "current"))
        text = pair.current.text or _num(pair.current.value)
        parts.append(f'<text x="{left + _PLOT + 8:.1f}" y="{y + 19:.1f}">{_e(text)}</text>')
    return _svg(left + _PLOT + _VALUE_COLUMN, bottom + 24, parts, title or unit)


def _change_scale(changes: Sequence[Change], threshold: float) -> float:
    extent = [abs(v) for c in changes for v in (c.worse, c.lo, c.hi, c.margin) if v is not None]
    return min(1.0, max([2 * threshold, 0.02, *extent]) * 1.1)


def change_chart(changes: Sequence[Change], threshold: float, title: str = "") -> Markup:
    """A forest plot: each change with its interval, the threshold band and its noise margin."""
    left = _label_width([c.label for c in changes])
    span = _change_scale(changes, threshold)
    mid = left + _PLOT / 2

    def x(v: float) -> float:
        return mid + max(-1.0, min(1.0, v / span)) * _PLOT / 2

    bottom = _TOP + len(changes) * _ROW
    parts = [
        f'<rect class="band" x="{x(-threshold):.1f}" y="{_TOP:.1f}" '
        f'width="{x(threshold) - x(-threshold):.1f}" height="{bottom - _TOP:.1f}"/>',
        f'<line class="zero" x1="{mid:.1f}" y1="{_TOP - 4:.1f}" x2="{mid:.1f}" y2="{bottom:.1f}"/>',
        f'<text class="tick" x="{left:.1f}" y="{_TOP - 10:.1f}">← better</text>',
        f'<text class="tick" x="{left + _PLOT:.1f}" y="{_TOP - 10:.1f}" '
        'text-anchor="end">worse →</text>',
        f'<text class="tick" x="{mid:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">'
        f"grey: ±{threshold:.1%} threshold · whiskers: 95% CI · ticks: noise margin</text>",
    ]
    for i, change in enumerate(changes):
        y = _TOP + i * _ROW + _ROW / 2
        parts.append(_label(change.label, left, y + 4))
        if change.margin is not None:
            a, b = x(-change.margin), x(change.margin)
            ticks = f"M{a:.1f},{y - 6:.1f}V{y + 6:.1f}M{b:.1f},{y - 6:.1f}V{y + 6:.1f}"
            parts.append(f'<path class="err" d="{ticks}"/>')
        if change.lo is not None and change.hi is not None:
            parts.append(f'<path class="err" d="M{x(change.lo):.1f},{y:.1f}H{x(change.hi):.1f}"/>')
        parts.append(
            f'<circle class="dot {_e(change.verdict)}" cx="{x(change.worse):.1f}" '
            f'cy="{y:.1f}" r="4.5">'
            f"<title>{_e(change.label)}: {_e(change.text)} ({_e(change.verdict)})</title></circle>"
        )
        parts.append(f'<text x="{left + _PLOT + 8:.1f}" y="{y + 4:.1f}">{_e(change.text)}</text>')
    return _svg(left + _PLOT + _VALUE_COLUMN + 60, bottom + 24, parts, title or "changes")
