"""Matrix products over shapes: loops that unpack each value into several names."""
import itertools
import time
from itertools import product as grid

import numpy as np

SHAPES = [(64, 64, 32), (128, 64, 64)]  # (m, k, n)
DTYPES = ["float32", "float64"]
SIZES = [16, 32]
LABELS = ["small", "large"]


def bench_shapes():
    for m, k, n in SHAPES:
        a = np.random.rand(m, k)
        b = np.random.rand(k, n)
        start = time.perf_counter()
        for _ in range(10):
            a @ b
        print(m, k, n, (time.perf_counter() - start) / 10)


def bench_grid():
    # every dtype with every size: the runner's own params grid
    for dtype, size in grid(DTYPES, SIZES):
        x = np.ones((size, size), dtype=dtype)
        start = time.perf_counter()
        for _ in range(5):
            x @ x
        print(dtype, size, (time.perf_counter() - start) / 5)


def bench_labelled():
    for label, size in zip(LABELS, SIZES):
        x = np.ones((size, size))
        start = time.perf_counter()
        x @ x
        print(label, size, time.perf_counter() - start)


def bench_nested_unpacking():
    results = []
    for (m, k), n in itertools.product([(8, 8)], SIZES):
        x = np.ones((m, k))
        start = time.perf_counter()
        x @ x
        results.append({"m": m, "k": k, "n": n, "latency": time.perf_counter() - start})
    return results


if __name__ == "__main__":
    bench_shapes()
    bench_grid()
    bench_labelled()
    bench_nested_unpacking()
