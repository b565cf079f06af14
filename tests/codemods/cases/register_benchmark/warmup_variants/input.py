"""Warm-up written three ways: a constant, a keyword argument, and one bare call."""
import time

import numpy as np

WARMUP = 3


def bench_dot(n=64, warmup_runs=2, runs=10):
    a = np.random.rand(n, n)
    for _ in range(WARMUP):
        a @ a
    for i in range(warmup_runs):
        a @ a
    latencies = []
    for _ in range(runs):
        t = time.perf_counter()
        a @ a
        latencies.append(time.perf_counter() - t)
    return min(latencies)


def bench_inverse(n=32, iterations=5):
    a = np.random.rand(n, n) + n * np.eye(n)
    np.linalg.inv(a)
    start = time.perf_counter()
    for _ in range(iterations):
        np.linalg.inv(a)
    return (time.perf_counter() - start) / iterations


if __name__ == "__main__":
    print(bench_dot(), bench_inverse())
