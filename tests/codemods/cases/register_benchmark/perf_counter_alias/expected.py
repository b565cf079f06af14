"""Single-shot timing of a sort, with perf_counter imported under an alias."""
import random
from time import perf_counter as pc
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

SIZE = 50_000


def time_sort():
    data = [random.random() for _ in range(SIZE)]
    t0 = pc()
    sorted(data)
    elapsed = pc() - t0
    print(f"sorted {SIZE} floats in {elapsed * 1000:.3f} ms")
    return elapsed


@BenchmarkRegistry.register(
    name="benchmarks.perf_counter_alias.time_sort",
    category="migrated",
    hardware=["cpu"],
    legacy_source="benchmarks/perf_counter_alias.py:8",
    tier="native",
)
class SortBenchmark(BenchmarkBase):
    """time_sort, migrated by benchmig (native)."""

    def setup(self):
        data = [random.random() for _ in range(SIZE)]
        self.data = data

    def execute(self):
        return sorted(self.data)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.perf_counter_alias.time_sort",
            ],
            description=__doc__,
        )
    )
