"""Sum timings; the script has no __main__ guard: its last lines drive the benchmark."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SIZES = [1000, 10000]
results = {}


def bench_sum(size, runs=10):
    data = np.random.rand(size)
    start = time.perf_counter()
    for _ in range(runs):
        data.sum()
    return (time.perf_counter() - start) / runs


@BenchmarkRegistry.register(
    name="benchmarks.module_level_driver.bench_sum",
    category="migrated",
    hardware=["cpu"],
    params={"size": [1000, 10000]},
    repeats=10,
    legacy_source="benchmarks/module_level_driver.py:10",
    tier="native",
)
class SumBenchmark(BenchmarkBase):
    """bench_sum, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        data = np.random.rand(size)
        self.data = data

    def execute(self):
        return self.data.sum()


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.module_level_driver.bench_sum",
            ],
            description=__doc__,
        )
    )
