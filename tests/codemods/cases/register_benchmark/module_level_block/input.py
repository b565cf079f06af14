# Quick reduction micro benchmark - run directly: python module_level_block.py
import time as t

import numpy as np

SIZES = [1_000, 100_000]
REPEATS = 20

print("size, avg_latency_us")
for size in SIZES:
    data = np.random.rand(size)
    start = t.time()
    for _ in range(REPEATS):
        data.sum()
    elapsed = t.time() - start
    print(f"{size}, {elapsed / REPEATS * 1e6:.2f}")
