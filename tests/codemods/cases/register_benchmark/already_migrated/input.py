#!/usr/bin/env python3
"""Batch size sweep of a numpy MLP layer, timed with time.time() deltas."""
import sys
import time
import argparse

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def sweep(batch_sizes, iterations, device):
    weights = np.random.rand(256, 512).astype(np.float32)
    results = {}
    for bs in batch_sizes:
        x = np.random.rand(bs, 256).astype(np.float32)
        times = []
        for _ in range(iterations):
            start = time.time()
            np.maximum(x @ weights, 0)
            times.append(time.time() - start)
        results[bs] = {"latency_ms": np.mean(times) * 1000, "throughput": bs / np.mean(times)}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,2,4,8,16,32")
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    for bs, r in sweep([int(b) for b in args.batch_sizes.split(",")], args.iterations, args.device).items():
        print(bs, r)


@BenchmarkRegistry.register(
    name="benchmarks.time_time_delta.sweep",
    category="migrated",
    hardware=["cpu"],
    params={"batch_size": [1, 2, 4, 8, 16, 32]},
    repeats=20,
    legacy_source="benchmarks/time_time_delta.py:10",
    tier="native",
)
class SweepBenchmark(BenchmarkBase):
    """sweep, migrated by benchmig (native)."""

    items_per_call = "batch_size"

    def setup(self):
        weights = np.random.rand(256, 512).astype(np.float32)
        bs = self.config["batch_size"]
        x = np.random.rand(bs, 256).astype(np.float32)
        self.weights = weights
        self.x = x

    def execute(self):
        return np.maximum(self.x @ self.weights, 0)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.time_time_delta.sweep",
            ],
            options={
                "--batch-sizes": "batch_size",
                "--iterations": "repeats",
                "--device": "hardware",
            },
            description=__doc__,
        )
    )
