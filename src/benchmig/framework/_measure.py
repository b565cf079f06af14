"""Measure one case in the current process: warm-up, calibration, sampling, extra metrics.

This is what a worker process runs (or the runner itself with isolation off). It stays light: no
scipy import (it costs a worker a third of a second); the statistics proper are computed by the
parent from the raw samples.
"""

from __future__ import annotations

import itertools
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmig.framework._base import BenchmarkBase
from benchmig.framework._device import (
    PeakRssTracker,
    device_memory_stats,
    device_timer,
    reset_peak_memory,
    synchronize,
)
from benchmig.framework._machine import machine_probe_ms, sample_probe_us
from benchmig.framework._settings import RunnerSettings

__all__ = ["CaseMeasurement", "measure_case"]

logger = logging.getLogger(__name__)

_MAX_INNER_LOOPS = 1_000_000


@dataclass(frozen=True)
class CaseMeasurement:
    """Raw outcome of one case in one process."""

    latency_ms: tuple[float, ...]
    inner_loops: int
    warmup_calls: int
    items_per_call: int | None = None
    extra_metrics: Mapping[str, float] = field(default_factory=dict)
    peak_rss_mb: float | None = None
    device_memory: Mapping[str, float] = field(default_factory=dict)
    machine_probe_ms: tuple[float, ...] = ()
    cpu_share: float | None = None  # process CPU time / wall time while sampling
    sample_probe_us: tuple[float, ...] = ()  # the machine probe right before each sample

    def to_dict(self) -> dict[str, Any]:
        """JSON form (worker -> parent message)."""
        return {
            "latency_ms": list(self.latency_ms),
            "inner_loops": self.inner_loops,
            "warmup_calls": self.warmup_calls,
            "items_per_call": self.items_per_call,
            "extra_metrics": dict(self.extra_metrics),
            "peak_rss_mb": self.peak_rss_mb,
            "device_memory": dict(self.device_memory),
            "machine_probe_ms": list(self.machine_probe_ms),
            "cpu_share": self.cpu_share,
            "sample_probe_us": list(self.sample_probe_us),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseMeasurement:
        """Inverse of :meth:`to_dict`."""
        return cls(
            latency_ms=tuple(float(x) for x in data["latency_ms"]),
            inner_loops=int(data["inner_loops"]),
            warmup_calls=int(data["warmup_calls"]),
            items_per_call=data.get("items_per_call"),
            extra_metrics={k: float(v) for k, v in (data.get("extra_metrics") or {}).items()},
            peak_rss_mb=data.get("peak_rss_mb"),
            device_memory={k: float(v) for k, v in (data.get("device_memory") or {}).items()},
            machine_probe_ms=tuple(float(x) for x in data.get("machine_probe_ms") or ()),
            cpu_share=data.get("cpu_share"),
            sample_probe_us=tuple(float(x) for x in data.get("sample_probe_us") or ()),
        )


def _median_ci_halfwidth(sorted_samples: list[float]) -> float:
    """Relative half-width of an approximate 95% CI of the median (normal approx. of ranks)."""
    n = len(sorted_samples)
    half = 1.96 * math.sqrt(n) / 2
    lo = max(0, math.floor(n / 2 - half))
    hi = min(n - 1, math.ceil(n / 2 + half))
    median = sorted_samples[n // 2]
    if median <= 0:
        return math.inf
    return (sorted_samples[hi] - sorted_samples[lo]) / 2 / median


class _Sampler:
    """Times ``inner_loops`` calls of ``execute`` as one sample, with device sync around them."""

    def __init__(self, bench: BenchmarkBase) -> None:
        self.bench = bench
        self.timer = device_timer(bench.hardware)
        self.last_output: Any = None

    def sample(self, inner_loops: int) -> float:
        """Seconds per call, averaged over ``inner_loops`` back-to-back calls."""
        execute = self.bench.execute
        output: Any = None
        synchronize(self.bench.hardware)
        self.timer.start()
        for _ in itertools.repeat(None, inner_loops):  # timeit's loop: no int objects
            output = execute()
        elapsed = self.timer.stop()
        self.last_output = output
        return elapsed / inner_loops


def _warm_up(sampler: _Sampler, settings: RunnerSettings) -> int:
    if settings.warmup is not None:
        for _ in range(settings.warmup):
            sampler.sample(1)
        return settings.warmup
    calls = 0
    deadline = time.perf_counter() + settings.warmup_time
    while calls < 1 or (time.perf_counter() < deadline and calls < 1000):
        sampler.sample(1)
        calls += 1
    return calls


def _calibrate(sampler: _Sampler, settings: RunnerSettings) -> int:
    """Inner loops so that one sample lasts at least ``min_sample_time``.

    With no minimum (the adapter tier: the legacy function loops itself), nothing is called:
    a legacy run can take minutes, and must run once per sample, not once more to calibrate.
    """
    inner = 1
    if settings.min_sample_time <= 0:
        return inner
    per_call = sampler.sample(1)
    while per_call * inner < settings.min_sample_time and inner < _MAX_INNER_LOOPS:
        wanted = settings.min_sample_time / max(per_call, 1e-9)
        inner = min(_MAX_INNER_LOOPS, max(inner * 2, math.ceil(wanted * 1.2)))
        per_call = sampler.sample(inner)
    return inner


def _collect(
    sampler: _Sampler, inner: int, settings: RunnerSettings, budget: float
) -> tuple[list[float], list[float]]:
    """Samples (ms per call) and, parallel to them, the machine probe taken right before each."""
    samples: list[float] = []
    probes: list[float] = []

    def take() -> None:
        probes.append(sample_probe_us())
        samples.append(sampler.sample(inner) * 1000.0)

    started = time.perf_counter()
    if settings.repeats is not None:
        for _ in range(settings.repeats):
            take()
        return samples, probes
    min_time = min(settings.min_time, budget)
    while len(samples) < settings.max_repeats:
        take()
        elapsed = time.perf_counter() - started
        if len(samples) < settings.min_repeats or elapsed < min_time:
            continue
        if elapsed >= budget or _median_ci_halfwidth(sorted(samples)) <= settings.target_precision:
            break
    return samples, probes


def _cleanup_after_failure(bench: BenchmarkBase) -> None:
    """Run cleanup() after a failure; its own error must not hide the benchmark's."""
    try:
        bench.cleanup()
    except Exception:
        logger.warning(
            "cleanup() of %s failed after an earlier error", type(bench).__name__, exc_info=True
        )


def measure_case(
    cls: type[BenchmarkBase],
    params: Mapping[str, Any],
    hardware: str,
    settings: RunnerSettings,
    *,
    budget: float | None = None,
    on_setup_done: Callable[[], None] | None = None,
) -> CaseMeasurement:
    """Run one case: setup, warm-up, calibration, sampling, process_results, cleanup.

    ``budget`` is this process' share of the case's time budget (seconds). Exceptions from the
    benchmark propagate (after ``cleanup`` ran, also when ``setup`` failed) so the caller can
    record the failure.
    """
    bench = cls(config=params, hardware=hardware)
    reset_peak_memory(hardware)
    with PeakRssTracker() as rss:
        try:  # cleanup() runs even when setup() failed half-way (it may have started workers)
            bench.setup()
            if on_setup_done is not None:
                on_setup_done()
            probe_before = machine_probe_ms()
            sampler = _Sampler(bench)
            warmup_calls = _warm_up(sampler, settings)
            inner = _calibrate(sampler, settings)
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            samples, probes = _collect(sampler, inner, settings, budget or settings.max_time)
            # A CPU-bound benchmark that got less than the whole core was sharing it: the wall
            # time it reports is inflated by the neighbours, which the comparison must know.
            cpu_share = (time.process_time() - cpu_started) / max(
                time.perf_counter() - wall_started, 1e-9
            )
            extra = bench.process_results(sampler.last_output) or {}
            probe_after = machine_probe_ms()
        except BaseException:
            _cleanup_after_failure(bench)
            raise
        bench.cleanup()
    return CaseMeasurement(
        latency_ms=tuple(samples),
        inner_loops=inner,
        warmup_calls=warmup_calls,
        items_per_call=bench.items(),
        extra_metrics={str(k): float(v) for k, v in extra.items() if isinstance(v, int | float)},
        peak_rss_mb=rss.peak_mb,
        device_memory=device_memory_stats(hardware),
        machine_probe_ms=(probe_before, probe_after),
        cpu_share=cpu_share,
        sample_probe_us=tuple(probes),
    )
