"""Three kernels timed one after the other in one function (the last reads the second's result)."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def bench(n=128, runs=30):
    a = np.random.rand(n, n)
    start = time.perf_counter()
    for _ in range(runs):
        np.sort(a)
    print("sort", (time.perf_counter() - start) / runs)
    start = time.perf_counter()
    for _ in range(runs):
        b = a @ a
    print("matmul", (time.perf_counter() - start) / runs)
    start = time.perf_counter()
    for _ in range(runs):
        np.linalg.norm(b)
    print("norm", (time.perf_counter() - start) / runs)


@BenchmarkRegistry.register(
    name="benchmarks.sequential_timings.bench",
    category="migrated",
    hardware=["cpu"],
    params={"n": [128]},
    repeats=30,
    legacy_source="benchmarks/sequential_timings.py:7",
    tier="native",
)
class SequentialTimingsBenchmark(BenchmarkBase):
    """bench, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        a = np.random.rand(n, n)
        self.a = a

    def execute(self):
        return np.sort(self.a)


@BenchmarkRegistry.register(
    name="benchmarks.sequential_timings.bench_2",
    category="migrated",
    hardware=["cpu"],
    params={"n": [128]},
    repeats=30,
    legacy_source="benchmarks/sequential_timings.py:7",
    tier="native",
)
class MigratedSequentialTimingsBenchmark(BenchmarkBase):
    """bench, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        a = np.random.rand(n, n)
        self.a = a

    def execute(self):
        return self.a @ self.a


@BenchmarkRegistry.register(
    name="benchmarks.sequential_timings.bench_3",
    category="migrated",
    hardware=["cpu"],
    params={"n": [128]},
    repeats=30,
    legacy_source="benchmarks/sequential_timings.py:7",
    tier="native",
)
class MigratedSequentialTimingsBenchmark2(BenchmarkBase):
    """bench, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        runs = 30
        a = np.random.rand(n, n)
        for _ in range(runs):
            b = a @ a
        self.b = b

    def execute(self):
        return np.linalg.norm(self.b)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.sequential_timings.bench",
                "benchmarks.sequential_timings.bench_2",
                "benchmarks.sequential_timings.bench_3",
            ],
            description=__doc__,
        )
    )
