"""Benchmarks of the runner's own accuracy and overhead (see docs/performance.md).

migrate run perf/runner_benchmarks.py --output-dir perf-results/runner --no-history
"""

from __future__ import annotations

import time

from benchmig.framework import BenchmarkBase, BenchmarkRegistry

WORK_UNIT = 10_000


def busy_work(units: int) -> int:
    """Pure-Python work proportional to ``units``."""
    total = 0
    for i in range(units * WORK_UNIT):
        total ^= i
    return total


@BenchmarkRegistry.register(name="perf_sleep_5ms", category="micro")
class Sleep5ms(BenchmarkBase):
    """time.sleep(5 ms): the runner must report ~5 ms (plus the OS's wake-up latency)."""

    def execute(self) -> None:
        time.sleep(0.005)


@BenchmarkRegistry.register(name="perf_work", category="micro", params={"units": [1, 4]})
class Work(BenchmarkBase):
    """A call doing ``units`` times the work: 4 units must report 3-5x the time of 1."""

    def execute(self) -> int:
        return busy_work(self.config["units"])


@BenchmarkRegistry.register(name="perf_empty_call", category="micro")
class EmptyCall(BenchmarkBase):
    """An empty call: its median is the runner's per-call cost (timeit measures the same method)."""

    def execute(self) -> None:
        pass
