#!/usr/bin/env python3
"""Batch size sweep of a numpy MLP layer, timed with time.time() deltas."""
import sys
import time
import argparse

import numpy as np


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


if __name__ == "__main__":
    sys.exit(main())
