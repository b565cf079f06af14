"""Two timings at top level that share the data built first (and reuse t0/t1)."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


@BenchmarkRegistry.register(
    name="benchmarks.module_two_blocks.module_block",
    category="migrated",
    hardware=["cpu"],
    legacy_source="benchmarks/module_two_blocks.py:9",
    tier="native",
)
class ModuleTwoBlocksBenchmark(BenchmarkBase):
    """module-level code, migrated by benchmig (native)."""

    def setup(self):
        weights = np.random.rand(128, 128)
        vector = np.random.rand(128)
        self.weights = weights
        self.vector = vector

    def execute(self):
        return self.weights @ self.vector


@BenchmarkRegistry.register(
    name="benchmarks.module_two_blocks.module_block_2",
    category="migrated",
    hardware=["cpu"],
    legacy_source="benchmarks/module_two_blocks.py:15",
    tier="native",
)
class MigratedModuleTwoBlocksBenchmark(BenchmarkBase):
    """module-level code, migrated by benchmig (native)."""

    def setup(self):
        weights = np.random.rand(128, 128)
        vector = np.random.rand(128)

        batch = np.random.rand(128, 32)
        self.weights = weights
        self.batch = batch

    def execute(self):
        return self.weights @ self.batch


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.module_two_blocks.module_block",
                "benchmarks.module_two_blocks.module_block_2",
            ],
            description=__doc__,
        )
    )
