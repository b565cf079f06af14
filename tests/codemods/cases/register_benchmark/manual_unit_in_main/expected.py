"""A summing benchmark next to a snippet timer that has to stay manual."""
import argparse
import time
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SNIPPET = "sorted(range(100, 0, -1))"


def bench_sum(n=1000):
    for _ in range(3):
        sum(range(n))
    times = []
    for _ in range(20):
        start = time.perf_counter()
        sum(range(n))
        times.append(time.perf_counter() - start)
    print("sum", sum(times) / len(times))


def time_snippet(runs=100):
    start = time.perf_counter()
    for _ in range(runs):
        exec(SNIPPET)
    print("snippet", (time.perf_counter() - start) / runs)


@BenchmarkRegistry.register(
    name="benchmarks.manual_unit_in_main.bench_sum",
    category="migrated",
    hardware=["cpu"],
    warmup=3,
    repeats=20,
    legacy_source="benchmarks/manual_unit_in_main.py:8",
    tier="native",
)
class SumBenchmark(BenchmarkBase):
    """bench_sum, migrated by benchmig (native)."""

    def setup(self):
        n = 1000
        self.n = n

    def execute(self):
        return sum(range(self.n))


if __name__ == "__main__":
    exit_status = run_legacy_main(
        [
            "benchmarks.manual_unit_in_main.bench_sum",
        ],
        description=__doc__,
    )
    time_snippet(5)  # a quick look first
    raise SystemExit(exit_status)
