#!/usr/bin/env python3
"""A legacy runner whose class names clash with the framework's."""
import argparse
import time

import numpy as np
from benchmig.framework import BenchmarkBase as _BenchmarkBase, BenchmarkRegistry, run_legacy_main


class BenchmarkBase:
    """The team's own base class."""

    def __init__(self, **kwargs):
        self.results = []
        self.options = kwargs


class BenchmarkRunner(BenchmarkBase):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sizes = kwargs.get("sizes", [64, 128])
        self.iterations = kwargs.get("iterations", 5)

    def benchmark_size(self, size):
        a = np.random.rand(size, size)
        timings = []
        for _ in range(self.iterations):
            t0 = time.perf_counter()
            np.linalg.qr(a)
            timings.append(time.perf_counter() - t0)
        return {"size": size, "median_ms": 1000 * float(np.median(timings))}

    def run_all(self):
        for size in self.sizes:
            self.results.append(self.benchmark_size(size))
        return self.results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    runner = BenchmarkRunner(iterations=args.iterations)
    for row in runner.run_all():
        print(row)


@BenchmarkRegistry.register(
    name="benchmarks.class_clashing_names.BenchmarkRunner.benchmark_size",
    category="migrated",
    hardware=["cpu"],
    params={"size": [64, 128]},
    repeats=5,
    legacy_source="benchmarks/class_clashing_names.py:23",
    tier="native",
)
class BenchmarkSizeBenchmark(_BenchmarkBase):
    """BenchmarkRunner.benchmark_size, migrated by benchmig (native)."""

    def setup(self):
        runner = BenchmarkRunner(iterations=5)
        size = self.config["size"]
        a = np.random.rand(size, size)
        self.a = a

    def execute(self):
        return np.linalg.qr(self.a)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.class_clashing_names.BenchmarkRunner.benchmark_size",
            ],
            options={
                "--iterations": "repeats",
            },
            description=__doc__,
        )
    )
