"""The machine's own speed: probe it while measuring, and allow for it when comparing runs.

On shared machines a core's speed changes by tens of percent from one second to the next (a busy
neighbour on the sibling hyperthread, frequency scaling): measured on the 2-core machines this
project targets, a pure-Python loop ran at two speeds 1.6x apart, switching every few seconds,
so that two identical runs of it differed by up to 40%. The runner therefore times a small fixed
loop, the *probe*, right before every sample (``sample_probe_us``) and around every case
(``machine_probe_ms``). A comparison then either

* divides each sample by the machine speed its probe saw (:func:`speed_corrected_samples`), to
  the power the benchmark follows the probe within each run (:func:`probe_fit`: a sleep
  or a GPU wait does not get slower when the core does), or
* widens its noise margin by how much the machine drifted between the runs
  (:func:`machine_drift`) when it cannot correct.

This module stays import-light (no numpy, no scipy): workers import it.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass

from benchmig.framework._results import CaseResult

__all__ = [
    "SAMPLE_PROBE_KEY",
    "ProbeFit",
    "cpu_weight",
    "machine_drift",
    "machine_probe_ms",
    "probe_fit",
    "probe_reference",
    "sample_probe_us",
    "speed_corrected_samples",
]

SAMPLE_PROBE_KEY = "sample_probe_us"
"""``CaseResult.settings`` key: the probe time before each sample, parallel to the samples."""

_CASE_PROBE_ITERATIONS = 20_000
_SAMPLE_PROBE_ITERATIONS = 2_000  # ~60-90 us here: ~1.5% of a 5 ms sample

# The correction needs the probe to have varied within the runs (log spread; the probe's own
# jitter is about 3%), and the samples to follow it; the slope is capped near proportionality.
_MIN_PROBE_SPREAD = 0.05
_MIN_CORRELATION = 0.5
_MAX_SLOPE = 1.2

# Below this share of a core while sampling, a benchmark is mostly waiting (sleep, I/O, a GPU),
# and its CPU share says nothing about neighbours taking the core.
_CPU_BOUND_SHARE = 0.5


def _loop_ns(iterations: int) -> int:
    started = time.perf_counter_ns()
    total = 0
    for i in range(iterations):
        total += i
    return time.perf_counter_ns() - started


def machine_probe_ms(repeats: int = 5) -> float:
    """Median time of a fixed pure-Python loop (ms): how fast this machine runs *right now*.

    Taken before and after each case, it lets a comparison see that the whole machine slowed
    down between two runs (a busy neighbour) instead of blaming the benchmark.
    """
    times = sorted(_loop_ns(_CASE_PROBE_ITERATIONS) / 1e6 for _ in range(repeats))
    return times[len(times) // 2]


def sample_probe_us() -> float:
    """Time of a short fixed loop (us), taken right before each sample."""
    return _loop_ns(_SAMPLE_PROBE_ITERATIONS) / 1e3


def cpu_weight(case: CaseResult) -> float | None:
    """Median share of a core the case used while sampling, within [0, 1]; None when unknown."""
    shares = [float(x) for x in case.settings.get("cpu_share") or () if float(x) >= 0.0]
    return min(1.0, statistics.median(shares)) if shares else None


def _settings_ratio(base: CaseResult, cur: CaseResult, key: str, relevant_from: float) -> float:
    """``|log(median_cur / median_base)|`` of a per-round setting; 0 when unknown or irrelevant
    (neither side's median reaches ``relevant_from``)."""
    medians = []
    for case in (base, cur):
        values = [float(x) for x in case.settings.get(key) or () if float(x) > 0]
        if not values:
            return 0.0
        medians.append(statistics.median(values))
    if max(medians) < relevant_from:
        return 0.0
    return abs(math.log(medians[1] / medians[0]))


def machine_drift(base: CaseResult, cur: CaseResult, *, probe_weight: float | None = None) -> float:
    """How much the machine itself changed between two runs of a case, as ``|log|`` of a ratio.

    Two signals the runner records around every case: the machine probe (a fixed loop: the
    speed of the core), weighted by how much of it reaches the case (``probe_weight``; by
    default the case's CPU share: a 5 ms sleep does not get slower with the core), and the CPU
    share a CPU-bound benchmark got while sampling (neighbours taking the core). 0 when neither
    is known.
    """
    share = _settings_ratio(base, cur, "cpu_share", _CPU_BOUND_SHARE)
    if probe_weight is None:
        weights = [w for w in (cpu_weight(base), cpu_weight(cur)) if w is not None]
        probe_weight = max(weights) if weights else 1.0
    return max(_settings_ratio(base, cur, "machine_probe_ms", 0.0) * probe_weight, share)


def _sample_probes(case: CaseResult, name: str) -> list[float] | None:
    probes = case.settings.get(SAMPLE_PROBE_KEY) or ()
    samples = case.samples.get(name, ())
    if not samples or len(probes) != len(samples) or min(float(p) for p in probes) <= 0.0:
        return None
    return [float(p) for p in probes]


def probe_reference(base: CaseResult, cur: CaseResult, name: str) -> float | None:
    """The median sample probe of both runs (the speed corrections are relative to it), or None
    when either run lacks a probe per sample of metric ``name``."""
    sides = [_sample_probes(case, name) for case in (base, cur)]
    if sides[0] is None or sides[1] is None:
        return None
    return statistics.median([*sides[0], *sides[1]])


@dataclass(frozen=True)
class ProbeFit:
    """How metric samples follow the probe within their runs (see :func:`probe_fit`).

    ``slope``: of ``log(sample)`` on ``log(probe)``, about 1 for a CPU-bound time, -1 for a rate
    derived from it, 0 for a sleep or a benchmark the core's speed does not drive; capped to
    ``[-1.2, 1.2]``. ``correlation``: how closely they follow it.
    """

    slope: float
    correlation: float

    @property
    def corrects(self) -> bool:
        """Whether the samples follow the probe closely enough to be corrected by it."""
        return abs(self.correlation) >= _MIN_CORRELATION

    @property
    def drift_weight(self) -> float:
        """How much of the machine's drift between runs reaches this metric (0 to 1)."""
        return min(1.0, abs(self.slope))


def probe_fit(base: CaseResult, cur: CaseResult, name: str) -> ProbeFit | None:
    """Fit how metric ``name`` follows the sample probe, within each run, pooled over both.

    Each run's means are removed first, so a change of the code between the runs cannot leak
    into the fit. None when it cannot be told: a run has no probe per sample, or the probe
    varied too little within the runs (every sample at one speed).
    """
    dx: list[float] = []
    dp: list[float] = []
    for case in (base, cur):
        probes = _sample_probes(case, name)
        if probes is None:
            return None
        logs_x = [math.log(x) for x in case.samples[name]]
        logs_p = [math.log(p) for p in probes]
        mean_x, mean_p = statistics.fmean(logs_x), statistics.fmean(logs_p)
        dx.extend(x - mean_x for x in logs_x)
        dp.extend(p - mean_p for p in logs_p)
    spread_p = math.sqrt(statistics.fmean([d * d for d in dp]))
    spread_x = math.sqrt(statistics.fmean([d * d for d in dx]))
    if spread_p < _MIN_PROBE_SPREAD:
        return None
    covariance = statistics.fmean([a * b for a, b in zip(dx, dp, strict=True)])
    slope = max(-_MAX_SLOPE, min(_MAX_SLOPE, covariance / spread_p**2))
    correlation = covariance / (spread_p * spread_x) if spread_x > 0.0 else 0.0
    return ProbeFit(slope=slope, correlation=correlation)


def speed_corrected_samples(
    case: CaseResult, name: str, slope: float, reference: float
) -> tuple[float, ...] | None:
    """The samples of metric ``name`` as if every one had run at the ``reference`` probe time.

    A sample whose probe took ``p`` is scaled by ``(reference / p) ** slope``, ``slope`` being
    :attr:`ProbeFit.slope`. None when the run has no probe per sample.
    """
    probes = _sample_probes(case, name)
    if probes is None:
        return None
    samples = case.samples[name]
    return tuple(x * (reference / p) ** slope for x, p in zip(samples, probes, strict=True))
