"""Activation kernels timed with torch.utils.benchmark.Timer."""
import torch
import torch.nn.functional as F
import torch.utils.benchmark as benchmark

KERNELS = {"gelu": F.gelu, "relu": F.relu}


def bench_kernel(name, size, number=50):
    x = torch.randn(size)
    t = benchmark.Timer(stmt="fn(x)", globals={"fn": KERNELS[name], "x": x})
    return t.timeit(number).median


if __name__ == "__main__":
    for name in KERNELS:
        for size in (1024, 4096):
            print(name, size, bench_kernel(name, size))
