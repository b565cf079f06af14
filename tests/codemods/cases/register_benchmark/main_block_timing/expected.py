"""Timing written straight into the __main__ block."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


@BenchmarkRegistry.register(
    name="benchmarks.main_block_timing.main_block",
    category="migrated",
    hardware=["cpu"],
    repeats=10,
    legacy_source="benchmarks/main_block_timing.py:8",
    tier="native",
)
class MainBlockTimingBenchmark(BenchmarkBase):
    """__main__ block, migrated by benchmig (native)."""

    def setup(self):
        matrix = np.random.rand(256, 256)
        self.matrix = matrix

    def execute(self):
        return np.linalg.eigvals(self.matrix)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.main_block_timing.main_block",
            ],
            description=__doc__,
        )
    )
