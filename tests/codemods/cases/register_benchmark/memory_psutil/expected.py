"""Latency plus the process RSS measured with psutil after the run."""
import os
import time

import numpy as np
import psutil
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

BATCH_SIZES = [1, 32]


def benchmark_norm(batch_sizes=BATCH_SIZES, runs=20):
    results = {}
    for batch_size in batch_sizes:
        x = np.random.rand(batch_size, 512)
        rss_before = psutil.Process(os.getpid()).memory_info().rss
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            np.linalg.norm(x, axis=1)
            times.append(time.perf_counter() - start)
        rss_after = psutil.Process(os.getpid()).memory_info().rss
        results[batch_size] = {
            "latency_ms": 1000 * sum(times) / len(times),
            "memory_delta_mb": (rss_after - rss_before) / 1024 / 1024,
        }
    return results


@BenchmarkRegistry.register(
    name="benchmarks.memory_psutil.benchmark_norm",
    category="migrated",
    hardware=["cpu"],
    params={"batch_size": [1, 32]},
    repeats=20,
    legacy_source="benchmarks/memory_psutil.py:11",
    tier="native",
)
class NormBenchmark(BenchmarkBase):
    """benchmark_norm, migrated by benchmig (native)."""

    def setup(self):
        batch_size = self.config["batch_size"]
        x = np.random.rand(batch_size, 512)
        self.x = x

    def execute(self):
        return np.linalg.norm(self.x, axis=1)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.memory_psutil.benchmark_norm",
            ],
            description=__doc__,
        )
    )
