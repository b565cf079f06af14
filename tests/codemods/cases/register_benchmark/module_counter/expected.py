"""Rows per second of a sort, counted in a module-level total while the loop runs."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

rows = 0


@BenchmarkRegistry.register(
    name="benchmarks.module_counter.module_block",
    category="migrated",
    hardware=["cpu"],
    repeats=20,
    legacy_source="benchmarks/module_counter.py:11",
    tier="native",
)
class ModuleCounterBenchmark(BenchmarkBase):
    """module-level code, migrated by benchmig (native)."""

    def setup(self):
        data = np.random.rand(64, 256)
        for _ in range(3):  # warm-up
            np.sort(data, axis=1)
        self.rows = rows
        self.data = data

    def execute(self):
        out = np.sort(self.data, axis=1)
        self.rows += out.shape[0]


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.module_counter.module_block",
            ],
            description=__doc__,
        )
    )
