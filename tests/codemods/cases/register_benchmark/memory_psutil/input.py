"""Latency plus the process RSS measured with psutil after the run."""
import os
import time

import numpy as np
import psutil

BATCH_SIZES = [1, 32]


def benchmark_norm(batch_sizes=BATCH_SIZES, runs=20):
    results = {}
    for batch_size in batch_sizes:
        x = np.random.rand(batch_size, 512)
        rss_before = psutil.Process(os.getpid()).memory_info().rss
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            np.linalg.norm(x, axis=1)
            times.append(time.perf_counter() - start)
        rss_after = psutil.Process(os.getpid()).memory_info().rss
        results[batch_size] = {
            "latency_ms": 1000 * sum(times) / len(times),
            "memory_delta_mb": (rss_after - rss_before) / 1024 / 1024,
        }
    return results


if __name__ == "__main__":
    print(benchmark_norm())
