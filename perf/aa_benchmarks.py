"""Benchmarks for the A/A and slowdown experiments of docs/performance.md.

``BENCHMIG_PERF_SLOWDOWN`` (default 1.0) multiplies the work of the CPU-bound loop and the length
of the sleep, so the same file serves identical runs (A/A) and an injected real slowdown.
"""

from __future__ import annotations

import os
import time

from benchmig.framework import BenchmarkBase, BenchmarkRegistry

_SLOWDOWN = float(os.environ.get("BENCHMIG_PERF_SLOWDOWN", "1.0"))
LOOP_ITERATIONS = 20_000


def python_loop(iterations: int) -> int:
    """A CPU-bound pure-Python loop (the case pytest-benchmark false-alarms on)."""
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


@BenchmarkRegistry.register(name="aa_python_loop", category="micro")
class PythonLoop(BenchmarkBase):
    """The CPU-bound loop, scaled by the slowdown factor."""

    def execute(self) -> int:
        return python_loop(int(LOOP_ITERATIONS * _SLOWDOWN))


@BenchmarkRegistry.register(name="aa_sleep_5ms", category="micro")
class Sleep5ms(BenchmarkBase):
    """A 5 ms sleep, scaled by the slowdown factor."""

    def execute(self) -> None:
        time.sleep(0.005 * _SLOWDOWN)
