"""Kernels timed by one helper that takes the callable and its arguments."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SIZES = [32, 64]


def time_us(fn, *args, repeats=20, **kwargs):
    """Median-free mean of `repeats` calls, in microseconds."""
    for _ in range(2):  # warm-up
        fn(*args, **kwargs)
    start = time.perf_counter()
    for _ in range(repeats):
        fn(*args, **kwargs)
    return (time.perf_counter() - start) / repeats * 1e6


def run_experiment(size):
    a = np.random.rand(size, size)
    dot_us = time_us(np.dot, a, a)
    sort_us = time_us(np.sort, a, axis=0, repeats=5)
    return {"size": size, "dot_us": dot_us, "sort_us": sort_us}


def main():
    for size in SIZES:
        print(run_experiment(size))


@BenchmarkRegistry.register(
    name="benchmarks.helper_star_args.time_us",
    category="migrated",
    hardware=["cpu"],
    params={"size": [32, 64]},
    warmup=2,
    repeats=20,
    legacy_source="benchmarks/helper_star_args.py:9",
    tier="native",
)
class UsBenchmark(BenchmarkBase):
    """time_us, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        a = np.random.rand(size, size)
        fn = np.dot
        args = (a, a)
        kwargs = {}
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def execute(self):
        return self.fn(*self.args, **self.kwargs)


@BenchmarkRegistry.register(
    name="benchmarks.helper_star_args.time_us_2",
    category="migrated",
    hardware=["cpu"],
    params={"size": [32, 64]},
    warmup=2,
    repeats=5,
    legacy_source="benchmarks/helper_star_args.py:9",
    tier="native",
)
class MigratedUsBenchmark(BenchmarkBase):
    """time_us, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        a = np.random.rand(size, size)
        fn = np.sort
        args = (a,)
        kwargs = {"axis": 0}
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def execute(self):
        return self.fn(*self.args, **self.kwargs)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.helper_star_args.time_us",
                "benchmarks.helper_star_args.time_us_2",
            ],
            description=__doc__,
        )
    )
