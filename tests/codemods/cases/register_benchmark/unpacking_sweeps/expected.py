"""Matrix products over shapes: loops that unpack each value into several names."""
import itertools
import time
from itertools import product as grid

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main

SHAPES = [(64, 64, 32), (128, 64, 64)]  # (m, k, n)
DTYPES = ["float32", "float64"]
SIZES = [16, 32]
LABELS = ["small", "large"]


def bench_shapes():
    for m, k, n in SHAPES:
        a = np.random.rand(m, k)
        b = np.random.rand(k, n)
        start = time.perf_counter()
        for _ in range(10):
            a @ b
        print(m, k, n, (time.perf_counter() - start) / 10)


def bench_grid():
    # every dtype with every size: the runner's own params grid
    for dtype, size in grid(DTYPES, SIZES):
        x = np.ones((size, size), dtype=dtype)
        start = time.perf_counter()
        for _ in range(5):
            x @ x
        print(dtype, size, (time.perf_counter() - start) / 5)


def bench_labelled():
    for label, size in zip(LABELS, SIZES):
        x = np.ones((size, size))
        start = time.perf_counter()
        x @ x
        print(label, size, time.perf_counter() - start)


def bench_nested_unpacking():
    results = []
    for (m, k), n in itertools.product([(8, 8)], SIZES):
        x = np.ones((m, k))
        start = time.perf_counter()
        x @ x
        results.append({"m": m, "k": k, "n": n, "latency": time.perf_counter() - start})
    return results


@BenchmarkRegistry.register(
    name="benchmarks.unpacking_sweeps.bench_shapes",
    category="migrated",
    hardware=["cpu"],
    params={"m_k_n": [[64, 64, 32], [128, 64, 64]]},
    repeats=10,
    legacy_source="benchmarks/unpacking_sweeps.py:14",
    tier="native",
)
class ShapesBenchmark(BenchmarkBase):
    """bench_shapes, migrated by benchmig (native)."""

    def setup(self):
        m, k, n = self.config["m_k_n"]
        a = np.random.rand(m, k)
        b = np.random.rand(k, n)
        self.a = a
        self.b = b

    def execute(self):
        return self.a @ self.b


@BenchmarkRegistry.register(
    name="benchmarks.unpacking_sweeps.bench_grid",
    category="migrated",
    hardware=["cpu"],
    params={"precision": ["float32", "float64"], "size": [16, 32]},
    repeats=5,
    legacy_source="benchmarks/unpacking_sweeps.py:24",
    tier="native",
)
class GridBenchmark(BenchmarkBase):
    """bench_grid, migrated by benchmig (native)."""

    def setup(self):
        dtype = self.config["precision"]
        size = self.config["size"]
        x = np.ones((size, size), dtype=dtype)
        self.x = x

    def execute(self):
        return self.x @ self.x


@BenchmarkRegistry.register(
    name="benchmarks.unpacking_sweeps.bench_labelled",
    category="migrated",
    hardware=["cpu"],
    params={"label_size": [["small", 16], ["large", 32]]},
    legacy_source="benchmarks/unpacking_sweeps.py:34",
    tier="native",
)
class LabelledBenchmark(BenchmarkBase):
    """bench_labelled, migrated by benchmig (native)."""

    def setup(self):
        label, size = self.config["label_size"]
        x = np.ones((size, size))
        self.x = x

    def execute(self):
        return self.x @ self.x


@BenchmarkRegistry.register(
    name="benchmarks.unpacking_sweeps.bench_nested_unpacking",
    category="migrated",
    hardware=["cpu"],
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="benchmarks/unpacking_sweeps.py:42",
    tier="adapter",
)
class NestedUnpackingBenchmark(BenchmarkBase):
    """bench_nested_unpacking, migrated by benchmig (adapter)."""

    def setup(self):
        pass

    def execute(self):
        return bench_nested_unpacking()

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="s")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.unpacking_sweeps.bench_shapes",
                "benchmarks.unpacking_sweeps.bench_grid",
                "benchmarks.unpacking_sweeps.bench_labelled",
                "benchmarks.unpacking_sweeps.bench_nested_unpacking",
            ],
            description=__doc__,
        )
    )
