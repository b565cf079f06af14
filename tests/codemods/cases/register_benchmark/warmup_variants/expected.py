"""Warm-up written three ways: a constant, a keyword argument, and one bare call."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

WARMUP = 3


def bench_dot(n=64, warmup_runs=2, runs=10):
    a = np.random.rand(n, n)
    for _ in range(WARMUP):
        a @ a
    for i in range(warmup_runs):
        a @ a
    latencies = []
    for _ in range(runs):
        t = time.perf_counter()
        a @ a
        latencies.append(time.perf_counter() - t)
    return min(latencies)


def bench_inverse(n=32, iterations=5):
    a = np.random.rand(n, n) + n * np.eye(n)
    np.linalg.inv(a)
    start = time.perf_counter()
    for _ in range(iterations):
        np.linalg.inv(a)
    return (time.perf_counter() - start) / iterations


@BenchmarkRegistry.register(
    name="benchmarks.warmup_variants.bench_dot",
    category="migrated",
    hardware=["cpu"],
    params={"n": [64]},
    warmup=5,
    repeats=10,
    legacy_source="benchmarks/warmup_variants.py:9",
    tier="native",
)
class DotBenchmark(BenchmarkBase):
    """bench_dot, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        a = np.random.rand(n, n)
        self.a = a

    def execute(self):
        return self.a @ self.a


@BenchmarkRegistry.register(
    name="benchmarks.warmup_variants.bench_inverse",
    category="migrated",
    hardware=["cpu"],
    params={"n": [32]},
    warmup=1,
    repeats=5,
    legacy_source="benchmarks/warmup_variants.py:23",
    tier="native",
)
class InverseBenchmark(BenchmarkBase):
    """bench_inverse, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        a = np.random.rand(n, n) + n * np.eye(n)
        self.a = a

    def execute(self):
        return np.linalg.inv(self.a)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.warmup_variants.bench_dot",
                "benchmarks.warmup_variants.bench_inverse",
            ],
            description=__doc__,
        )
    )
