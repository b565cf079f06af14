"""Activation functions from a table of operations, timed per kernel and size."""
import time

import numpy as np

KERNELS = {
    "relu": lambda x: np.maximum(x, 0),
    "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
}
SIZES = [1024, 16384]


def run(number=100):
    for name, fn in KERNELS.items():
        for size in SIZES:
            x = np.random.randn(size)
            start = time.perf_counter()
            for _ in range(number):
                fn(x)
            per_call = (time.perf_counter() - start) / number
            print(f"{name:8s} {size:6d} {per_call * 1e6:.2f} us")


if __name__ == "__main__":
    run()
