"""Kernels timed by one helper that takes the callable and its arguments."""
import time

import numpy as np

SIZES = [32, 64]


def time_us(fn, *args, repeats=20, **kwargs):
    """Median-free mean of `repeats` calls, in microseconds."""
    for _ in range(2):  # warm-up
        fn(*args, **kwargs)
    start = time.perf_counter()
    for _ in range(repeats):
        fn(*args, **kwargs)
    return (time.perf_counter() - start) / repeats * 1e6


def run_experiment(size):
    a = np.random.rand(size, size)
    dot_us = time_us(np.dot, a, a)
    sort_us = time_us(np.sort, a, axis=0, repeats=5)
    return {"size": size, "dot_us": dot_us, "sort_us": sort_us}


def main():
    for size in SIZES:
        print(run_experiment(size))


if __name__ == "__main__":
    main()
