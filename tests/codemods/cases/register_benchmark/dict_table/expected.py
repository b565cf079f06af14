"""Activation functions from a table of operations, timed per kernel and size."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

KERNELS = {
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
}
SIZES = [1024, 16384]


def run(number=100):
    for name, fn in KERNELS.items():
        for size in SIZES:
            x = np.random.randn(size)
            start = time.perf_counter()
            for _ in range(number):
                fn(x)
            per_call = (time.perf_counter() - start) / number
            print(f"{name:8s} {size:6d} {per_call * 1e6:.2f} us")


@BenchmarkRegistry.register(
    name="benchmarks.dict_table.run",
    category="migrated",
    hardware=["cpu"],
    params={"kernel": ["relu", "tanh", "sigmoid"], "size": [1024, 16384]},
    repeats=100,
    legacy_source="benchmarks/dict_table.py:14",
    tier="native",
)
class DictTableBenchmark(BenchmarkBase):
    """run, migrated by benchmig (native)."""

    def setup(self):
        name = self.config["kernel"]
        fn = KERNELS[name]
        size = self.config["size"]
        x = np.random.randn(size)
        self.fn = fn
        self.x = x

    def execute(self):
        return self.fn(self.x)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.dict_table.run",
            ],
            description=__doc__,
        )
    )
