"""Find step changes in a benchmark's history: the runs where its level moved and stayed moved.

The series is a case's run medians, oldest first. Run-to-run noise on shared machines is large
(identical code drifts 13-17% between runs of a pure-Python loop), so a step is only reported when
a piecewise-constant fit of ``log(median)`` pays for it:

1. ``noise``: the run-to-run noise, stdev of ``log(median)``. By default it is estimated from the
   series itself, robustly (from consecutive differences, which a few steps hardly move: see
   :func:`estimate_noise`), never below ``StepSettings.noise_floor``. A run whose own confidence
   interval is wider than that noise counts with its own, larger variance.
2. A two-sided Hampel filter replaces single-run excursions (a neighbour hogging the cores for
   one run) by the median of the runs around them, so that one bad run is not two steps.
3. Optimal partitioning (the exact search that PELT speeds up; histories are short) minimises the
   weighted squared error of the segments plus ``penalty * log(n)`` per step, in units of the
   noise variance: the only number taken from the data is the noise. Each cut is then moved to
   its best place nearby, free of the minimum segment length, and dropped when that leaves a
   level with fewer than ``min_size`` runs.
4. Steps smaller than ``min_change`` are dropped (the neighbouring segments are merged and the
   rest refitted): they may be real but are not worth a marker.
5. When the points scatter around the fitted levels much more than the noise estimate says (a
   machine flipping between two speeds from run to run hides in the differences), the fit is
   redone with the scatter as the noise.

Every segment holds at least ``min_size`` runs, so a step needs that many runs at its new level
before it is reported. Rates on synthetic data are in docs/performance.md.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from benchmig.errors import InputError

__all__ = ["StepChange", "StepSettings", "detect_steps", "estimate_noise"]

FloatArray = npt.NDArray[np.float64]

_MAD_TO_SIGMA = 1.4826  # median absolute deviation of a normal sample -> its stdev
_Z95 = 1.959964
_REFITS = 3
_REFIT_RATIO = 1.2
_KEEP = 0.9  # share of the squared differences kept by the trimmed noise estimate
# E[Z^2 | |Z| < z] for Z ~ N(0, 1) and z = the 95% quantile: the mean of the kept squares.
_TRIMMED_CHI2_MEAN = 0.6230


@dataclass(frozen=True)
class StepSettings:
    """How eager the detector is (defaults tuned on synthetic data, see docs/performance.md).

    ``penalty`` is the cost of one step in units of ``log(n)`` noise variances (higher: fewer
    false alarms, fewer small steps found); ``min_size`` the runs each level must hold;
    ``noise_floor`` the smallest relative noise assumed; ``min_change`` the smallest relative step
    reported; ``hampel_window`` and ``hampel_k`` the half-width (runs) and threshold (in noise
    units) of the outlier filter.
    """

    penalty: float = 3.0
    min_size: int = 3
    noise_floor: float = 0.005
    min_change: float = 0.02
    hampel_window: int = 3
    hampel_k: float = 4.0

    def __post_init__(self) -> None:
        if self.penalty <= 0 or self.min_size < 1 or self.noise_floor <= 0:
            msg = "penalty and noise_floor must be > 0 and min_size >= 1"
            raise InputError(f"invalid step detection settings: {msg}, got {self!r}")
        if self.min_change < 0 or self.hampel_window < 1 or self.hampel_k <= 0:
            msg = "min_change must be >= 0, hampel_window >= 1 and hampel_k > 0"
            raise InputError(f"invalid step detection settings: {msg}, got {self!r}")


@dataclass(frozen=True)
class StepChange:
    """One step: the level moved from ``before`` to ``after`` at the point ``index``.

    ``index`` is the position (in the series given, gaps included) of the first run at the new
    level; ``change`` is ``after / before - 1``; ``z`` the step in units of its standard error.
    """

    index: int
    before: float
    after: float
    change: float
    z: float


def estimate_noise(values: Sequence[float], settings: StepSettings | None = None) -> float | None:
    """Robust stdev of ``log(value)`` over a series that may hold steps; None under 3 values.

    Consecutive differences carry the noise (times sqrt 2) and each step in only one of them.
    A rough estimate (median absolute deviation) first tames single-run excursions (Hampel
    filter); the estimate is then the root mean square of the smallest 90% of the differences,
    scaled to a stdev: about twice as precise as the median absolute deviation alone.
    """
    logs = _logs(values)
    return _noise_of_logs(logs, settings or StepSettings()) if logs.size >= 3 else None


def _noise_of_logs(logs: FloatArray, conf: StepSettings) -> float:
    diffs = np.diff(logs)
    rough = _MAD_TO_SIGMA * float(np.median(np.abs(diffs - np.median(diffs)))) / math.sqrt(2.0)
    clean = _hampel(logs, np.full(logs.size, max(rough, conf.noise_floor)), conf)
    return _trimmed_rms(np.diff(clean)) / math.sqrt(2.0)


def _trimmed_rms(deviations: FloatArray) -> float:
    """Stdev of normal deviations from the smallest 90% of their squares (unbiased for normal)."""
    squares = np.sort(deviations**2)
    kept = squares[: max(1, math.ceil(_KEEP * squares.size))]
    return math.sqrt(float(np.mean(kept)) / _TRIMMED_CHI2_MEAN)


def detect_steps(
    values: Sequence[float | None],
    *,
    ci: Sequence[tuple[float, float] | None] | None = None,
    noise: float | None = None,
    settings: StepSettings | None = None,
) -> list[StepChange]:
    """The step changes of a series of run medians (oldest first), in order.

    ``values`` may hold ``None`` or non-positive values (failed runs): they are skipped and the
    reported indices still refer to ``values``. ``ci`` holds each run's 95% confidence interval
    of the median (or None). ``noise`` overrides the estimate of the run-to-run noise.
    """
    conf = settings or StepSettings()
    positions = [i for i, v in enumerate(values) if _valid(v)]
    if len(positions) < 2 * conf.min_size:
        return []
    raw = np.array([math.log(float(values[i])) for i in positions])  # type: ignore[arg-type]
    ci_variance = _ci_variance([ci[i] for i in positions]) if ci is not None else None
    sigma = _noise_of_logs(raw, conf) if noise is None else noise
    fit = _fit(raw, sigma, ci_variance, conf)
    for _ in range(_REFITS if noise is None else 0):
        # Noise the differences hide (a machine flipping between two speeds from run to run)
        # shows up around the fitted levels: refit with it rather than call each flip a step.
        residual = fit.residual_noise(raw)
        if residual <= _REFIT_RATIO * sigma:
            break
        sigma = residual
        fit = _fit(raw, sigma, ci_variance, conf)
    return [fit.describe(raw, k, positions) for k in range(len(fit.cuts))]


@dataclass(frozen=True)
class _Fit:
    logs: FloatArray  # after the outlier filter
    weights: FloatArray
    cuts: list[int]

    def residual_noise(self, raw: FloatArray) -> float:
        """Stdev of the measured points around their fitted levels, trimmed like the estimate.

        Measured, not filtered, points: the filter is tuned by the noise estimate, so it would
        hide exactly the noise the estimate missed.
        """
        edges = [0, *self.cuts, raw.size]
        levels = np.concatenate(
            [
                np.full(hi - lo, _levels(self.logs, self.weights, lo, hi)[0])
                for lo, hi in itertools.pairwise(edges)
            ]
        )
        dof = (raw.size - len(self.cuts) - 1) / raw.size
        return _trimmed_rms(raw - levels) / math.sqrt(dof) if dof > 0 else 0.0

    def describe(self, raw: FloatArray, k: int, positions: Sequence[int]) -> StepChange:
        """Step ``k``: levels on each side, relative size and z score."""
        lo, mid, hi = _bounds(self.cuts, k, raw.size)
        left, w_left = _levels(self.logs, self.weights, lo, mid)
        right, w_right = _levels(self.logs, self.weights, mid, hi)
        # The reported levels are medians of the measured values, not of the filtered ones.
        before = math.exp(float(np.median(raw[lo:mid])))
        after = math.exp(float(np.median(raw[mid:hi])))
        z = abs(right - left) / math.sqrt(1.0 / w_left + 1.0 / w_right)
        return StepChange(positions[mid], before, after, after / before - 1.0, z)


def _fit(raw: FloatArray, sigma: float, ci_variance: FloatArray | None, conf: StepSettings) -> _Fit:
    variance = np.full(raw.size, max(sigma, conf.noise_floor) ** 2)
    if ci_variance is not None:
        variance = np.maximum(variance, ci_variance)
    logs = _hampel(raw, np.sqrt(variance), conf)
    weights = 1.0 / variance
    cuts = _partition(logs, weights, conf.penalty * math.log(logs.size), conf.min_size)
    cuts = _refine(logs, weights, cuts, conf.min_size)
    return _Fit(logs, weights, _merge_small(logs, weights, cuts, conf.min_change))


def _valid(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


def _logs(values: Sequence[float] | FloatArray) -> FloatArray:
    return np.log(np.array([float(v) for v in values if _valid(v)], dtype=np.float64))


def _ci_variance(cis: Sequence[tuple[float, float] | None]) -> FloatArray:
    """Variance of ``log(median)`` implied by each run's 95% CI (0 where unknown or invalid)."""
    out = np.zeros(len(cis))
    for i, bounds in enumerate(cis):
        if bounds is not None and _valid(bounds[0]) and _valid(bounds[1]) and bounds[1] > bounds[0]:
            out[i] = ((math.log(bounds[1]) - math.log(bounds[0])) / (2 * _Z95)) ** 2
    return out


def _hampel(logs: FloatArray, scale: FloatArray, conf: StepSettings) -> FloatArray:
    """Replace single-run excursions by the median of their neighbours.

    A point is an excursion when it sits more than ``hampel_k`` noise units away from the
    median of the ``hampel_window`` runs before it *and*, on the same side, from the median of
    those after it. A step moves a point away from one side only, so steps are kept, and so are
    the first and last points (one side is missing).
    """
    out = logs.copy()
    half = conf.hampel_window
    for i in range(1, logs.size - 1):
        left, right = logs[max(0, i - half) : i], logs[i + 1 : i + 1 + half]
        d_left, d_right = logs[i] - np.median(left), logs[i] - np.median(right)
        if d_left * d_right > 0 and min(abs(d_left), abs(d_right)) > conf.hampel_k * scale[i]:
            out[i] = float(np.median(np.concatenate([left, right])))
    return out


def _partition(logs: FloatArray, weights: FloatArray, beta: float, min_size: int) -> list[int]:
    """Optimal partitioning: the cut positions minimising segment costs plus ``beta`` per cut."""
    n = logs.size
    logs = logs - np.mean(logs)  # centred: the sums of squares below stay well conditioned
    cw = np.concatenate(([0.0], np.cumsum(weights)))
    cs = np.concatenate(([0.0], np.cumsum(weights * logs)))
    cq = np.concatenate(([0.0], np.cumsum(weights * logs * logs)))
    best = np.full(n + 1, np.inf)
    best[0] = -beta
    last = np.zeros(n + 1, dtype=np.int64)
    for end in range(min_size, n + 1):
        starts = np.array([0, *range(min_size, end - min_size + 1)], dtype=np.int64)
        starts = starts[np.isfinite(best[starts])]
        w, s = cw[end] - cw[starts], cs[end] - cs[starts]
        total = best[starts] + (cq[end] - cq[starts]) - s * s / w + beta
        pick = int(np.argmin(total))
        best[end], last[end] = total[pick], starts[pick]
    cuts: list[int] = []
    end = n
    while end > 0:
        end = int(last[end])
        if end > 0:
            cuts.append(end)
    return sorted(cuts)


def _cost(logs: FloatArray, weights: FloatArray, lo: int, hi: int) -> float:
    """Weighted squared error of ``logs[lo:hi]`` around its weighted mean."""
    level = _levels(logs, weights, lo, hi)[0]
    return float(np.sum(weights[lo:hi] * (logs[lo:hi] - level) ** 2))


def _refine(logs: FloatArray, weights: FloatArray, cuts: list[int], min_size: int) -> list[int]:
    """Move each cut to its best place nearby, free of ``min_size``; drop it if a side gets short.

    The minimum segment length lets a segment straddle a step near the end of the series (two
    runs at a new level and one before it): the cut would be reported a run early. Placed freely,
    it lands on the step, and a level held by fewer than ``min_size`` runs is not reported yet.
    """
    kept: list[int] = []
    for k, cut in enumerate(cuts):
        lo = kept[-1] if kept else 0
        hi = cuts[k + 1] if k + 1 < len(cuts) else logs.size
        spots = range(max(lo + 1, cut - min_size + 1), min(hi - 1, cut + min_size - 1) + 1)
        best = min(spots, key=lambda c: _cost(logs, weights, lo, c) + _cost(logs, weights, c, hi))
        if best - lo >= min_size and hi - best >= min_size:
            kept.append(best)
    return kept


def _levels(logs: FloatArray, weights: FloatArray, lo: int, hi: int) -> tuple[float, float]:
    """Weighted mean of ``logs[lo:hi]`` and the sum of its weights."""
    w = weights[lo:hi]
    return float(np.sum(w * logs[lo:hi]) / np.sum(w)), float(np.sum(w))


def _bounds(cuts: Sequence[int], k: int, n: int) -> tuple[int, int, int]:
    edges = [0, *cuts, n]
    return edges[k], edges[k + 1], edges[k + 2]


def _merge_small(
    logs: FloatArray, weights: FloatArray, cuts: list[int], min_change: float
) -> list[int]:
    """Drop the smallest step below ``min_change`` until none is left (refitting each time)."""
    limit = math.log1p(min_change)
    while cuts:
        sizes = []
        for k in range(len(cuts)):
            lo, mid, hi = _bounds(cuts, k, logs.size)
            sizes.append(
                abs(_levels(logs, weights, mid, hi)[0] - _levels(logs, weights, lo, mid)[0])
            )
        smallest = int(np.argmin(sizes))
        if sizes[smallest] >= limit:
            break
        cuts = cuts[:smallest] + cuts[smallest + 1 :]
    return cuts
