"""Sum timings; the script has no __main__ guard: its last lines drive the benchmark."""
import time

import numpy as np

SIZES = [1000, 10000]
results = {}


def bench_sum(size, runs=10):
    data = np.random.rand(size)
    start = time.perf_counter()
    for _ in range(runs):
        data.sum()
    return (time.perf_counter() - start) / runs


for size in SIZES:
    results[size] = bench_sum(size)
    print(size, results[size])
