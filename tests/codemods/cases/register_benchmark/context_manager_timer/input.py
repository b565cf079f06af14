"""Timing with a context-manager timer from a shared helper module."""
import numpy as np

from common.timing import Timer


def benchmark_svd(n=128, repeats=5):
    with Timer("build matrix"):
        matrix = np.random.rand(n, n)
    for _ in range(repeats):
        with Timer("svd"):
            np.linalg.svd(matrix)


if __name__ == "__main__":
    benchmark_svd()
