"""Timing with a context-manager timer from a shared helper module."""
import numpy as np

from common.timing import Timer
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def benchmark_svd(n=128, repeats=5):
    with Timer("build matrix"):
        matrix = np.random.rand(n, n)
    for _ in range(repeats):
        with Timer("svd"):
            np.linalg.svd(matrix)


@BenchmarkRegistry.register(
    name="benchmarks.context_manager_timer.benchmark_svd",
    category="migrated",
    hardware=["cpu"],
    params={"n": [128]},
    repeats=5,
    legacy_source="benchmarks/context_manager_timer.py:7",
    tier="native",
)
class SvdBenchmark(BenchmarkBase):
    """benchmark_svd, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        matrix = np.random.rand(n, n)
        self.matrix = matrix

    def execute(self):
        return np.linalg.svd(self.matrix)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.context_manager_timer.benchmark_svd",
            ],
            description=__doc__,
        )
    )
