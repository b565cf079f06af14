"""GPU matmul timed with a wall clock around synchronize() calls; the device is written in."""
import time

import torch


def bench(n, iters=100):
    a = torch.randn(n, n, device="cuda:0")
    w = torch.nn.Linear(n, n).cuda().half()
    torch.cuda.synchronize()
    t0 = time.time()
    for i in range(iters):
        c = w(a.half())
    torch.cuda.synchronize()
    t1 = time.time()
    print(f"{(t1 - t0) / iters * 1e3:.3f} ms")


if __name__ == "__main__":
    for n in (1024, 4096):
        bench(n)
