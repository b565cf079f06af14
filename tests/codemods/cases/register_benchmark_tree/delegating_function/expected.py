from tools import benchmark_fn
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main


def build():
    return lambda n: sum(range(n))


@BenchmarkRegistry.register(
    name="run_tools.main_block",
    category="migrated",
    hardware=["cpu"],
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="run_tools.py:10",
    tier="adapter",
)
class ToolsBenchmark(BenchmarkBase):
    """__main__ block, migrated by benchmig (adapter)."""

    def setup(self):
        model = build()
        self.model = model

    def execute(self):
        return benchmark_fn(self.model, 16, iterations=20)

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="ms")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "run_tools.main_block",
            ],
            description=__doc__,
        )
    )
