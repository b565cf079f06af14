"""The same two benchmarks under pytest-benchmark, for the A/A comparison of docs/performance.md.

Run by perf/aa_experiment.py only (not part of the test suite: perf/ is outside testpaths).
"""

from __future__ import annotations

import os
import time
from typing import Any

_SLOWDOWN = float(os.environ.get("BENCHMIG_PERF_SLOWDOWN", "1.0"))
LOOP_ITERATIONS = 20_000


def _python_loop(iterations: int) -> int:
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def test_python_loop(benchmark: Any) -> None:
    benchmark(_python_loop, int(LOOP_ITERATIONS * _SLOWDOWN))


def test_sleep_5ms(benchmark: Any) -> None:
    benchmark(time.sleep, 0.005 * _SLOWDOWN)
