"""GPU matmul timed with a wall clock around synchronize() calls; the device is written in."""
import time

import torch
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def bench(n, iters=100):
    a = torch.randn(n, n, device="cuda:0")
    w = torch.nn.Linear(n, n).cuda().half()
    torch.cuda.synchronize()
    t0 = time.time()
    for i in range(iters):
        c = w(a.half())
    torch.cuda.synchronize()
    t1 = time.time()
    print(f"{(t1 - t0) / iters * 1e3:.3f} ms")


@BenchmarkRegistry.register(
    name="benchmarks.hardcoded_cuda.bench",
    category="migrated",
    hardware=["cuda"],
    params={"size": [1024, 4096]},
    repeats=100,
    legacy_source="benchmarks/hardcoded_cuda.py:7",
    tier="native",
)
class HardcodedCudaBenchmark(BenchmarkBase):
    """bench, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["size"]
        a = torch.randn(n, n, device="cuda:0")
        w = torch.nn.Linear(n, n).cuda().half()
        self.a = a
        self.w = w

    def execute(self):
        return self.w(self.a.half())


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.hardcoded_cuda.bench",
            ],
            description=__doc__,
        )
    )
