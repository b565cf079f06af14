"""Lookup timing whose timed code names an option inside an f-string."""
import argparse
import time
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def run(args):
    table = {"fast": 1, "slow": 2}
    start = time.perf_counter()
    label = f"mode {args.mode} -> {table.get(args.mode, 0)}"
    elapsed = time.perf_counter() - start
    print(label, f"{elapsed:.6f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="fast")
    args = parser.parse_args()
    run(args)


@BenchmarkRegistry.register(
    name="benchmarks.fstring_config_field.run",
    category="migrated",
    hardware=["cpu"],
    params={"mode": ["fast"]},
    legacy_source="benchmarks/fstring_config_field.py:6",
    tier="native",
)
class FstringConfigFieldBenchmark(BenchmarkBase):
    """run, migrated by benchmig (native)."""

    def setup(self):
        table = {"fast": 1, "slow": 2}
        self.table = table

    def execute(self):
        return f"mode {self.config['mode']} -> {self.table.get(self.config['mode'], 0)}"


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.fstring_config_field.run",
            ],
            options={
                "--mode": "mode",
            },
            description=__doc__,
        )
    )
