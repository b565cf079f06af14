"""Activation kernels timed with torch.utils.benchmark.Timer."""
import torch
import torch.nn.functional as F
import torch.utils.benchmark as benchmark
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

KERNELS = {"gelu": F.gelu, "relu": F.relu}


def bench_kernel(name, size, number=50):
    x = torch.randn(size)
    t = benchmark.Timer(stmt="fn(x)", globals={"fn": KERNELS[name], "x": x})
    return t.timeit(number).median


@BenchmarkRegistry.register(
    name="benchmarks.torch_utils_benchmark.bench_kernel",
    category="migrated",
    hardware=["cpu"],
    params={"kernel": ["gelu", "relu"], "size": [1024, 4096]},
    repeats=50,
    legacy_source="benchmarks/torch_utils_benchmark.py:9",
    tier="native",
)
class KernelBenchmark(BenchmarkBase):
    """bench_kernel, migrated by benchmig (native)."""

    def setup(self):
        name = self.config["kernel"]
        size = self.config["size"]
        x = torch.randn(size)
        fn = KERNELS[name]
        self.x = x
        self.fn = fn

    def execute(self):
        return self.fn(self.x)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.torch_utils_benchmark.bench_kernel",
            ],
            description=__doc__,
        )
    )
