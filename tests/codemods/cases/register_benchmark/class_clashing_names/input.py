#!/usr/bin/env python3
"""A legacy runner whose class names clash with the framework's."""
import argparse
import time

import numpy as np


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


if __name__ == "__main__":
    main()
