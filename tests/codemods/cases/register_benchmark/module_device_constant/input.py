"""Matmul latency; the device is chosen once, at module level, for every run."""
import time

import torch

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
dtype = torch.float32


def bench_matmul(size, runs=20):
    a = torch.randn(size, size, dtype=dtype, device=DEVICE)
    b = torch.randn(size, size, dtype=dtype)
    start = time.perf_counter()
    for _ in range(runs):
        torch.matmul(a, b.to(DEVICE))
    if DEVICE.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / runs


if __name__ == "__main__":
    for size in [32, 64]:
        print(size, bench_matmul(size))
