"""Peak GPU memory of a forward pass, measured with max_memory_allocated."""
import time

import torch
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def benchmark_forward(batch_size=8, runs=5):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = torch.nn.Linear(256, 256).to(device)
    x = torch.randn(batch_size, 256, device=device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    for _ in range(runs):
        model(x)
    latency = (time.time() - t0) / runs
    peak_mb = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else 0.0
    return {"latency_ms": latency * 1000, "peak_memory_mb": peak_mb}


@BenchmarkRegistry.register(
    name="benchmarks.max_memory_allocated.benchmark_forward",
    category="migrated",
    hardware=["cpu", "cuda"],
    params={"batch_size": [8]},
    repeats=5,
    legacy_source="benchmarks/max_memory_allocated.py:7",
    tier="native",
)
class ForwardBenchmark(BenchmarkBase):
    """benchmark_forward, migrated by benchmig (native)."""

    def setup(self):
        batch_size = self.config["batch_size"]
        device = self.hardware
        model = torch.nn.Linear(256, 256).to(device)
        x = torch.randn(batch_size, 256, device=device)
        self.model = model
        self.x = x

    def execute(self):
        return self.model(self.x)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.max_memory_allocated.benchmark_forward",
            ],
            description=__doc__,
        )
    )
