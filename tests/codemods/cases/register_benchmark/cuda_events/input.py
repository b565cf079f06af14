"""GPU matmul timed with CUDA events."""
import torch

SIZES = [1024, 2048]


def time_matmul(size, iters=20):
    a = torch.randn(size, size, device="cuda")
    b = torch.randn(size, size, device="cuda")
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    torch.cuda.synchronize()
    start.record()
    for _ in range(iters):
        torch.mm(a, b)
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iters


if __name__ == "__main__":
    for size in SIZES:
        print(size, time_matmul(size))
