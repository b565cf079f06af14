import argparse

from harness.runner import LatencyRunner
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch-sizes", default="1,4")
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    # the runner owns the timing
    runner = LatencyRunner(iterations=args.iterations)
    results = runner.benchmark(args.size, [int(b) for b in args.batch_sizes.split(",")])
    for bs, r in results.items():
        print(bs, r["latency_ms"])


@BenchmarkRegistry.register(
    name="benchmarks.run_latency.main",
    category="migrated",
    hardware=["cpu"],
    params={"size": [64], "batch_size": [1, 4]},
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="benchmarks/run_latency.py:14",
    tier="adapter",
)
class LatencyBenchmark(BenchmarkBase):
    """main, migrated by benchmig (adapter)."""

    def setup(self):
        # the runner owns the timing
        runner = LatencyRunner(iterations=5)
        self.runner = runner

    def execute(self):
        return self.runner.benchmark(self.config["size"], [self.config["batch_size"]])

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="s")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.run_latency.main",
            ],
            options={
                "--size": "size",
                "--batch-sizes": "batch_size",
            },
            description=__doc__,
        )
    )
