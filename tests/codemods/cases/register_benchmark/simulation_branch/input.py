#!/usr/bin/env python3
"""WebGPU benchmark that falls back to simulated numbers without a browser."""
import argparse
import os
import random
import time

import numpy as np

WEBGPU_SIMULATION = os.environ.get("WEBGPU_SIMULATION", "1") == "1"


def run_inference(weights, batch_size):
    x = np.random.rand(batch_size, weights.shape[0])
    return np.maximum(x @ weights, 0)


def benchmark_webgpu(batch_sizes, iterations):
    weights = np.random.rand(128, 128)
    results = {}
    for batch_size in batch_sizes:
        latencies = []
        for _ in range(iterations):
            if WEBGPU_SIMULATION:
                latency_ms = random.uniform(5.0, 15.0) * batch_size
                time.sleep(0.001)
            else:
                start = time.time()
                run_inference(weights, batch_size)
                latency_ms = (time.time() - start) * 1000
            latencies.append(latency_ms)
        results[batch_size] = {"average_latency_ms": float(np.mean(latencies)), "is_simulated": WEBGPU_SIMULATION}
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,8")
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    print(benchmark_webgpu([int(b) for b in args.batch_sizes.split(",")], args.iterations))


if __name__ == "__main__":
    main()
