#!/usr/bin/env python3
"""MLP latency on CPU or CUDA with explicit synchronisation around the timed call."""
import argparse
import time

import torch
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def benchmark_mlp(batch_sizes, warmup, runs):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 8))
    model = model.to(device).eval()
    results = {}
    for batch_size in batch_sizes:
        x = torch.randn(batch_size, 64, device=device)
        with torch.no_grad():
            for _ in range(warmup):
                model(x)
            torch.cuda.synchronize() if device == "cuda" else None
            latencies = []
            for _ in range(runs):
                start = time.perf_counter()
                model(x)
                if device == "cuda":
                    torch.cuda.synchronize()
                latencies.append((time.perf_counter() - start) * 1000)
        results[batch_size] = {
            "latency_ms": sum(latencies) / len(latencies),
            "throughput": batch_size * 1000.0 / (sum(latencies) / len(latencies)),
        }
    return results


@BenchmarkRegistry.register(
    name="benchmarks.cuda_synchronize.benchmark_mlp",
    category="migrated",
    hardware=["cpu", "cuda"],
    params={"batch_size": [1, 8]},
    warmup=2,
    repeats=10,
    legacy_source="benchmarks/cuda_synchronize.py:9",
    tier="native",
)
class MlpBenchmark(BenchmarkBase):
    """benchmark_mlp, migrated by benchmig (native)."""

    items_per_call = "batch_size"

    def setup(self):
        device = self.hardware
        model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 8))
        model = model.to(device).eval()
        batch_size = self.config["batch_size"]
        x = torch.randn(batch_size, 64, device=device)
        self.model = model
        self.x = x

    def execute(self):
        with torch.no_grad():
            return self.model(self.x)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.cuda_synchronize.benchmark_mlp",
            ],
            options={
                "--batch-sizes": "batch_size",
                "--warmup": "warmup",
                "--runs": "repeats",
            },
            description=__doc__,
        )
    )
