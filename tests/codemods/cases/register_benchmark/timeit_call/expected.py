"""String joining strategies compared with timeit."""
import timeit
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

WORDS = ["alpha", "beta", "gamma", "delta"] * 250


def bench_join(number=200, repeat=5):
    words = list(WORDS)
    times = timeit.repeat(lambda: " ".join(words), number=number, repeat=repeat)
    return min(times) / number


def bench_concat(number=200):
    words = list(WORDS)
    return timeit.timeit("''.join(w + ' ' for w in words)", globals={"words": words}, number=number) / number


@BenchmarkRegistry.register(
    name="benchmarks.timeit_call.bench_join",
    category="migrated",
    hardware=["cpu"],
    repeats=5,
    legacy_source="benchmarks/timeit_call.py:7",
    tier="native",
)
class JoinBenchmark(BenchmarkBase):
    """bench_join, migrated by benchmig (native)."""

    def setup(self):
        words = list(WORDS)
        self.words = words

    def execute(self):
        return " ".join(self.words)


@BenchmarkRegistry.register(
    name="benchmarks.timeit_call.bench_concat",
    category="migrated",
    hardware=["cpu"],
    repeats=200,
    legacy_source="benchmarks/timeit_call.py:13",
    tier="native",
)
class ConcatBenchmark(BenchmarkBase):
    """bench_concat, migrated by benchmig (native)."""

    def setup(self):
        words = list(WORDS)
        self.words = words

    def execute(self):
        return ''.join(w + ' ' for w in self.words)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.timeit_call.bench_join",
                "benchmarks.timeit_call.bench_concat",
            ],
            description=__doc__,
        )
    )
