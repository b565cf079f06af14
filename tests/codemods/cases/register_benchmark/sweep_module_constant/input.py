"""Square matmuls for a few model dimensions listed in a module constant."""
import time

import numpy as np

MODEL_DIMS = [64, 128, 256]
REPEATS = 10


def benchmark_matmul():
    for dim in MODEL_DIMS:
        a = np.random.rand(dim, dim).astype(np.float32)
        b = np.random.rand(dim, dim).astype(np.float32)
        start = time.time()
        for _ in range(REPEATS):
            np.dot(a, b)
        elapsed = time.time() - start
        gflops = 2 * dim**3 / (elapsed / REPEATS) / 1e9
        print(f"{dim}: {elapsed / REPEATS * 1000:.4f} ms, {gflops:.2f} GFLOP/s")


if __name__ == "__main__":
    benchmark_matmul()
