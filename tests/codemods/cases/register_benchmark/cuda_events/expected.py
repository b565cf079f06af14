"""GPU matmul timed with CUDA events."""
import torch
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SIZES = [1024, 2048]


def time_matmul(size, iters=20):
    a = torch.randn(size, size, device="cuda")
    b = torch.randn(size, size, device="cuda")
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(iters):
        torch.mm(a, b)
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iters


@BenchmarkRegistry.register(
    name="benchmarks.cuda_events.time_matmul",
    category="migrated",
    hardware=["cuda"],
    params={"size": [1024, 2048]},
    repeats=20,
    legacy_source="benchmarks/cuda_events.py:7",
    tier="native",
)
class MatmulBenchmark(BenchmarkBase):
    """time_matmul, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        a = torch.randn(size, size, device="cuda")
        b = torch.randn(size, size, device="cuda")
        self.a = a
        self.b = b

    def execute(self):
        return torch.mm(self.a, self.b)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.cuda_events.time_matmul",
            ],
            description=__doc__,
        )
    )
