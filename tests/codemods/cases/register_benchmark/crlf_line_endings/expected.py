#!/usr/bin/env python3
"""Repeat loop collecting samples, then mean/std/percentiles and a throughput figure."""
import argparse
import json
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def benchmark_softmax(batch_size, dim, warmup_iterations, iterations):
    logits = np.random.rand(batch_size, dim)
    for _ in range(warmup_iterations):
        np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "mean_ms": float(np.mean(samples)),
        "std_ms": float(np.std(samples)),
        "p95_ms": float(np.percentile(samples, 95)),
        "p99_ms": float(np.percentile(samples, 99)),
        "samples_per_sec": batch_size / (np.mean(samples) / 1000),
    }


def main():
    parser = argparse.ArgumentParser(description="softmax latency")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--dim", type=int, default=1024)
    parser.add_argument("--warmup-iterations", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    result = benchmark_softmax(args.batch_size, args.dim, args.warmup_iterations, args.iterations)
    print(json.dumps(result, indent=2))


@BenchmarkRegistry.register(
    name="benchmarks.crlf_line_endings.benchmark_softmax",
    category="migrated",
    hardware=["cpu"],
    params={"batch_size": [16], "dim": [1024]},
    warmup=5,
    repeats=50,
    legacy_source="benchmarks/crlf_line_endings.py:10",
    tier="native",
)
class SoftmaxBenchmark(BenchmarkBase):
    """benchmark_softmax, migrated by benchmig (native)."""

    items_per_call = "batch_size"

    def setup(self):
        batch_size = self.config["batch_size"]
        dim = self.config["dim"]
        logits = np.random.rand(batch_size, dim)
        self.logits = logits

    def execute(self):
        return np.exp(self.logits) / np.exp(self.logits).sum(axis=1, keepdims=True)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.crlf_line_endings.benchmark_softmax",
            ],
            options={
                "--batch-size": "batch_size",
                "--dim": "dim",
                "--warmup-iterations": "warmup",
                "--iterations": "repeats",
            },
            description=__doc__,
        )
    )
