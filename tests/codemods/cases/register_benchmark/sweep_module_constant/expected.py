"""Square matmuls for a few model dimensions listed in a module constant."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

MODEL_DIMS = [64, 128, 256]
REPEATS = 10


def benchmark_matmul():
    for dim in MODEL_DIMS:
        a = np.random.rand(dim, dim).astype(np.float32)
        b = np.random.rand(dim, dim).astype(np.float32)
        start = time.time()
        for _ in range(REPEATS):
            np.dot(a, b)
        elapsed = time.time() - start
        gflops = 2 * dim**3 / (elapsed / REPEATS) / 1e9
        print(f"{dim}: {elapsed / REPEATS * 1000:.4f} ms, {gflops:.2f} GFLOP/s")


@BenchmarkRegistry.register(
    name="benchmarks.sweep_module_constant.benchmark_matmul",
    category="migrated",
    hardware=["cpu"],
    params={"dim": [64, 128, 256]},
    repeats=10,
    legacy_source="benchmarks/sweep_module_constant.py:10",
    tier="native",
)
class MatmulBenchmark(BenchmarkBase):
    """benchmark_matmul, migrated by benchmig (native)."""

    def setup(self):
        dim = self.config["dim"]
        a = np.random.rand(dim, dim).astype(np.float32)
        b = np.random.rand(dim, dim).astype(np.float32)
        self.a = a
        self.b = b

    def execute(self):
        return np.dot(self.a, self.b)

    def process_results(self, raw):
        return {"gflop_per_call": 2 * self.config["dim"]**3 / 1e9}


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.sweep_module_constant.benchmark_matmul",
            ],
            description=__doc__,
        )
    )
