"""Latency of a small matrix product over sizes, with progress bars around the loops."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

try:
    from tqdm.auto import tqdm as progress, trange
except ImportError:  # the bars are optional

    def progress(items, **kwargs):
        return items

    def trange(*args, **kwargs):
        return range(*args)


SIZES = [16, 32]
WARMUP = 2


def bench_matmul(n, iterations=10):
    a = np.random.rand(n, n)
    for _ in trange(WARMUP, desc="warm-up"):
        a @ a
    start = time.perf_counter()
    for _ in progress(range(iterations), leave=False):
        a @ a
    return (time.perf_counter() - start) / iterations


def main():
    for size in progress(SIZES, desc="sizes"):
        print(size, bench_matmul(size))


@BenchmarkRegistry.register(
    name="benchmarks.progress_bars.bench_matmul",
    category="migrated",
    hardware=["cpu"],
    params={"size": [16, 32]},
    warmup=2,
    repeats=10,
    legacy_source="benchmarks/progress_bars.py:21",
    tier="native",
)
class MatmulBenchmark(BenchmarkBase):
    """bench_matmul, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        n = size
        a = np.random.rand(n, n)
        self.a = a

    def execute(self):
        return self.a @ self.a


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.progress_bars.bench_matmul",
            ],
            description=__doc__,
        )
    )
