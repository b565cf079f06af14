# Quick reduction micro benchmark - run directly: python module_level_block.py
import time as t

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SIZES = [1_000, 100_000]
REPEATS = 20


@BenchmarkRegistry.register(
    name="benchmarks.module_level_block.module_block",
    category="migrated",
    hardware=["cpu"],
    params={"size": [1000, 100000]},
    repeats=20,
    legacy_source="benchmarks/module_level_block.py:12",
    tier="native",
)
class ModuleLevelBlockBenchmark(BenchmarkBase):
    """module-level code, migrated by benchmig (native)."""

    def setup(self):
        size = self.config["size"]
        data = np.random.rand(size)
        self.data = data

    def execute(self):
        return self.data.sum()


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.module_level_block.module_block",
            ],
            description=__doc__,
        )
    )
