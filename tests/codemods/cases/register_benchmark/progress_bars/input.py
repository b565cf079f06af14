"""Latency of a small matrix product over sizes, with progress bars around the loops."""
import time

import numpy as np

try:
    from tqdm.auto import tqdm as progress, trange
except ImportError:  # the bars are optional

    def progress(items, **kwargs):
        return items

    def trange(*args, **kwargs):
        return range(*args)


SIZES = [16, 32]
WARMUP = 2


def bench_matmul(n, iterations=10):
    a = np.random.rand(n, n)
    for _ in trange(WARMUP, desc="warm-up"):
        a @ a
    start = time.perf_counter()
    for _ in progress(range(iterations), leave=False):
        a @ a
    return (time.perf_counter() - start) / iterations


def main():
    for size in progress(SIZES, desc="sizes"):
        print(size, bench_matmul(size))


if __name__ == "__main__":
    main()
