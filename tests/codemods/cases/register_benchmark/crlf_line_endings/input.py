#!/usr/bin/env python3
"""Repeat loop collecting samples, then mean/std/percentiles and a throughput figure."""
import argparse
import json
import time

import numpy as np


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


if __name__ == "__main__":
    main()
