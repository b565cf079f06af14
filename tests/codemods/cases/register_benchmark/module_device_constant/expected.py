"""Matmul latency; the device is chosen once, at module level, for every run."""
import time

import torch
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
dtype = torch.float32


def bench_matmul(size, runs=20):
    a = torch.randn(size, size, dtype=dtype, device=DEVICE)
    b = torch.randn(size, size, dtype=dtype)
    start = time.perf_counter()
    for _ in range(runs):
        torch.matmul(a, b.to(DEVICE))
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / runs


@BenchmarkRegistry.register(
    name="benchmarks.module_device_constant.bench_matmul",
    category="migrated",
    hardware=["cpu", "cuda"],
    params={"size": [32, 64]},
    repeats=20,
    legacy_source="benchmarks/module_device_constant.py:10",
    tier="native",
)
class MatmulBenchmark(BenchmarkBase):
    """bench_matmul, migrated by benchmig (native)."""

    def setup(self):
        DEVICE = torch.device(self.hardware)
        size = self.config["size"]
        a = torch.randn(size, size, dtype=dtype, device=DEVICE)
        b = torch.randn(size, size, dtype=dtype)
        self.DEVICE = DEVICE
        self.a = a
        self.b = b

    def execute(self):
        return torch.matmul(self.a, self.b.to(self.DEVICE))


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.module_device_constant.bench_matmul",
            ],
            description=__doc__,
        )
    )
