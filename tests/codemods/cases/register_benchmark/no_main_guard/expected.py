"""A script with no __main__ guard: main() runs at import."""
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def main(n=200, runs=10):
    a = np.random.rand(n, n)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        np.linalg.det(a)
        samples.append(time.perf_counter() - start)
    print(min(samples))


@BenchmarkRegistry.register(
    name="benchmarks.no_main_guard.main",
    category="migrated",
    hardware=["cpu"],
    params={"n": [200]},
    repeats=10,
    legacy_source="benchmarks/no_main_guard.py:7",
    tier="native",
)
class NoMainGuardBenchmark(BenchmarkBase):
    """main, migrated by benchmig (native)."""

    def setup(self):
        n = self.config["n"]
        a = np.random.rand(n, n)
        self.a = a

    def execute(self):
        return np.linalg.det(self.a)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.no_main_guard.main",
            ],
            description=__doc__,
        )
    )
