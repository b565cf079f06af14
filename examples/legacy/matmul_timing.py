# Matmul timing for a few sizes; run: python matmul_timing.py
import time
import numpy as np

SIZES = [64, 128, 256]

for n in SIZES:
    a = np.random.rand(n, n)
    b = np.random.rand(n, n)
    a @ b  # warm up
    start = time.time()
    for _ in range(10):
        a @ b
    elapsed = (time.time() - start) / 10
    print(f"n={n}: {elapsed * 1000:.3f} ms, {2 * n ** 3 / elapsed / 1e9:.2f} GFLOP/s")
