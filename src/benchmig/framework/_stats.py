"""Summary statistics of benchmark samples and the between-group (run-to-run) noise estimate.

Everything here is computed with numpy/scipy; nothing is hand-rolled where a library fits.
The confidence interval of the median is distribution-free: it comes from order statistics and
the binomial distribution, so it holds for the skewed, multi-modal timings benchmarks produce.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from scipy import stats as sps

from benchmig.framework._results import SampleStats

__all__ = [
    "CI_LEVEL",
    "DRIFT_FLOOR",
    "UNKNOWN_RUN_NOISE",
    "group_samples",
    "median_ci",
    "relative_noise",
    "run_noise",
    "summarize",
]

CI_LEVEL = 0.95
"""Coverage of :attr:`SampleStats.ci95`."""

DRIFT_FLOOR = 0.05
"""Relative drift of a whole run's level that its own worker groups cannot see (log stdev).

Some drift is shared by every process of a run (neighbours on shared cores, the CPU's frequency
state over minutes): the groups agree with each other yet the next run sits elsewhere. On the
2-shared-core machines that motivated this module, identical code differs by 13-17% between runs.
In simulated pairs (4 groups 3% apart, a whole-run drift of 4%, so identical runs differ by up to
17%) this floor gives no false regression in 400 A/A pairs and catches all 400 1.5x slowdowns;
without it 8% of the A/A pairs are false regressions. Lower it
(``compare_runs(drift_floor=...)``) on quiet, dedicated machines; the history store's measured
noise raises the margin where runs really drift more.
"""

UNKNOWN_RUN_NOISE = 0.075
"""Relative noise assumed for the level of a run measured in fewer than two worker groups.

With one group the between-process part of the noise cannot be observed, and within-process
jitter says nothing about it (a process is internally consistent yet its level moves from process
to process). 7.5% per side puts the decision margin at ``log(1.05) + 2 * hypot(7.5%, 7.5%)``,
about a 30% change: above the 13-17% drift of identical runs on shared machines, well below the
1.5x slowdown that must always be caught.
"""


def summarize(samples: Sequence[float]) -> SampleStats:
    """Summarise ``samples``: location, spread, tail percentiles and a 95% CI of the median.

    ``stdev`` uses ``ddof=1`` (``0.0`` for a single sample); percentiles use numpy's linear
    interpolation. Raises :class:`ValueError` for an empty sequence or non-finite values.
    """
    arr = _as_array(samples)
    n = int(arr.size)
    q25, q50, q75, q90, q99 = np.percentile(arr, [25.0, 50.0, 75.0, 90.0, 99.0])
    return SampleStats(
        median=float(q50),
        mean=float(np.mean(arr)),
        stdev=float(np.std(arr, ddof=1)) if n > 1 else 0.0,
        min=float(np.min(arr)),
        max=float(np.max(arr)),
        p90=float(q90),
        p99=float(q99),
        iqr=float(q75 - q25),
        ci95=median_ci(arr),
        n=n,
    )


def median_ci(samples: Sequence[float] | npt.NDArray[np.float64]) -> tuple[float, float]:
    """Distribution-free two-sided confidence interval (level :data:`CI_LEVEL`) of the median.

    The interval is ``(x_(l), x_(n-l+1))`` of the sorted samples, with ``l`` the largest rank such
    that ``P(l <= B <= n-l) >= 0.95`` for ``B ~ Binomial(n, 1/2)`` (the number of samples below the
    true median). For ``n <= 5`` no pair of order statistics reaches 95% (``(min, max)`` covers
    only ``1 - 2**(1-n)``, 93.75% at ``n = 5``); the interval is then ``(min, max)``, the widest the
    data allow, and its true coverage is below the nominal level.
    """
    arr = np.sort(_as_array(samples))
    n = int(arr.size)
    tail = (1.0 - CI_LEVEL) / 2.0
    # m = the largest count with P(B <= m) <= tail; ranks m+1 and n-m (1-based) bound the median.
    m = int(sps.binom.ppf(tail, n, 0.5))
    if sps.binom.cdf(m, n, 0.5) > tail:
        m -= 1
    if m < 0:
        return float(arr[0]), float(arr[-1])
    return float(arr[m]), float(arr[n - 1 - m])


def relative_noise(groups: Mapping[int, Sequence[float]]) -> float | None:
    """Between-group spread of one run, relative: the stdev (``ddof=1``) of ``log(group median)``.

    The runner measures a case in several worker processes spread over the run, so the disagreement
    of their medians shows how far one process's level drifts (start-up, memory layout, CPU
    frequency, neighbours on shared cores) beyond the within-process jitter. For small spreads the
    value reads as a fraction (``0.05`` ~ 5%). Returns ``None`` with fewer than two non-empty
    groups, or when a group median is not positive (a log-ratio model does not apply).
    """
    medians = [float(np.median(_as_array(g))) for g in groups.values() if len(g) > 0]
    if len(medians) < 2 or min(medians) <= 0.0:
        return None
    return float(np.std(np.log(medians), ddof=1))


def run_noise(groups: Mapping[int, Sequence[float]], *, drift_floor: float = DRIFT_FLOOR) -> float:
    """Relative noise (log stdev) of one run's level, from the worker groups of one metric.

    A run's level pools ``k`` groups, so the visible part is the standard error of their mean,
    ``relative_noise / sqrt(k)``; the drift the groups share and cannot show is added as
    ``drift_floor`` (in quadrature, the two being independent). With fewer than two usable groups
    the visible part is unknown and the run gets ``max(UNKNOWN_RUN_NOISE, drift_floor)``.
    """
    spread = relative_noise(groups)
    if spread is None:
        return max(UNKNOWN_RUN_NOISE, drift_floor)
    k = sum(1 for g in groups.values() if len(g) > 0)
    return math.hypot(spread / math.sqrt(k), drift_floor)


def group_samples(samples: Sequence[float], groups: Sequence[int]) -> dict[int, list[float]]:
    """Split ``samples`` by the parallel ``groups`` labels (``CaseResult.sample_groups``).

    Raises :class:`ValueError` when the two sequences differ in length.
    """
    if len(samples) != len(groups):
        msg = f"{len(samples)} samples but {len(groups)} group labels; they must be parallel"
        raise ValueError(msg)
    out: dict[int, list[float]] = {}
    for value, group in zip(samples, groups, strict=True):
        out.setdefault(group, []).append(float(value))
    return out


def _as_array(samples: Sequence[float] | npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    arr = np.asarray(samples, dtype=np.float64).ravel()
    if arr.size == 0:
        msg = "no samples to summarise: the metric needs at least one measured value"
        raise ValueError(msg)
    if not np.all(np.isfinite(arr)):
        bad = next(x for x in arr.tolist() if not math.isfinite(x))
        msg = f"sample value {bad!r} is not finite; drop failed measurements before summarising"
        raise ValueError(msg)
    return arr
