"""Timing written straight into the __main__ block."""
import time

import numpy as np

if __name__ == "__main__":
    matrix = np.random.rand(256, 256)
    start = time.perf_counter()
    for _ in range(10):
        np.linalg.eigvals(matrix)
    print("eigvals:", (time.perf_counter() - start) / 10 * 1000, "ms")
