"""Two timings at top level that share the data built first (and reuse t0/t1)."""
import time

import numpy as np

weights = np.random.rand(128, 128)
vector = np.random.rand(128)

t0 = time.perf_counter()
single = weights @ vector
t1 = time.perf_counter()
print("single", t1 - t0)

batch = np.random.rand(128, 32)
t0 = time.perf_counter()
batched = weights @ batch
t1 = time.perf_counter()
print("batched", t1 - t0)
