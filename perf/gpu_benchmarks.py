"""GPU benchmarks for the runner's device timing (see docs/performance.md, "GPU timing").

migrate run perf/gpu_benchmarks.py --hardware cuda --output-dir perf-results/gpu --no-history

Each ``execute()`` only queues work on the device and returns at once: the runner's timing is
right only if it waits for the device (``torch.cuda.synchronize``) around the timed calls.
"""

from __future__ import annotations

from typing import Any

from benchmig.framework import BenchmarkBase, BenchmarkRegistry
from benchmig.framework._torch import get_torch

MATMUL_SIZES = [1024, 4096]
SLEEP_CYCLES = [1_000_000, 10_000_000]


@BenchmarkRegistry.register(
    name="gpu_matmul_bf16", category="gpu", hardware=["cuda"], params={"n": MATMUL_SIZES}
)
class MatmulBf16(BenchmarkBase):
    """An n x n x n bf16 matrix product, queued asynchronously."""

    def setup(self) -> None:
        torch = get_torch()
        assert torch is not None, "torch is needed"
        n = int(self.config["n"])
        self.a = torch.randn(n, n, device=self.hardware, dtype=torch.bfloat16)
        self.b = torch.randn(n, n, device=self.hardware, dtype=torch.bfloat16)

    def execute(self) -> Any:
        return self.a @ self.b

    def process_results(self, raw: Any) -> dict[str, float]:
        n = int(self.config["n"])
        return {"flop_per_call": 2.0 * n**3}


@BenchmarkRegistry.register(
    name="gpu_sleep", category="gpu", hardware=["cuda"], params={"cycles": SLEEP_CYCLES}
)
class GpuSleep(BenchmarkBase):
    """A kernel that spins for a fixed number of GPU clock cycles (``torch.cuda._sleep``)."""

    def setup(self) -> None:
        self.torch = get_torch()
        assert self.torch is not None, "torch is needed"

    def execute(self) -> None:
        self.torch.cuda._sleep(int(self.config["cycles"]))
