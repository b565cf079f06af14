"""Three kernels timed one after the other in one function (the last reads the second's result)."""
import time

import numpy as np


def bench(n=128, runs=30):
    a = np.random.rand(n, n)
    start = time.perf_counter()
    for _ in range(runs):
        np.sort(a)
    print("sort", (time.perf_counter() - start) / runs)
    start = time.perf_counter()
    for _ in range(runs):
        b = a @ a
    print("matmul", (time.perf_counter() - start) / runs)
    start = time.perf_counter()
    for _ in range(runs):
        np.linalg.norm(b)
    print("norm", (time.perf_counter() - start) / runs)


if __name__ == "__main__":
    bench()
