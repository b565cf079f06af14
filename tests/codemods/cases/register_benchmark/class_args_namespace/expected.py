#!/usr/bin/env python3
"""Model benchmark class configured with the parsed argparse namespace."""
import argparse
import logging
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

logger = logging.getLogger("model_benchmark")

MODELS = {"small": 64, "base": 128}


class ModelBenchmark:
    def __init__(self, args):
        self.args = args
        self.models = [m.strip() for m in args.models.split(",")]
        self.batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
        self.warmup_runs = args.warmup
        self.measure_runs = args.iterations
        self.results = []

    def _build(self, name):
        hidden = MODELS[name]
        return np.random.rand(hidden, hidden), hidden

    def run_latency_benchmark(self, name):
        weights, hidden = self._build(name)
        for batch_size in self.batch_sizes:
            x = np.random.rand(batch_size, hidden)
            for _ in range(self.warmup_runs):
                np.tanh(x @ weights)
            times = []
            for _ in range(self.measure_runs):
                start = time.time()
                np.tanh(x @ weights)
                times.append(time.time() - start)
            avg = sum(times) / len(times)
            self.results.append({"model": name, "batch_size": batch_size, "avg_latency": avg * 1000,
                                 "throughput_items_per_second": batch_size / avg})

    def run_all(self):
        for name in self.models:
            if name not in MODELS:
                logger.error("unknown model %s", name)
                continue
            self.run_latency_benchmark(name)
        return self.results


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Model benchmark tool")
    parser.add_argument("--models", default="small,base")
    parser.add_argument("--batch-sizes", default="1,4")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "mps"])
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--db-path", default=None)
    return parser.parse_args(argv)


def main():
    args = parse_args()
    for row in ModelBenchmark(args).run_all():
        print(row)


@BenchmarkRegistry.register(
    name="benchmarks.class_args_namespace.ModelBenchmark.run_latency_benchmark",
    category="migrated",
    hardware=["cpu", "cuda", "mps"],
    params={"model": ["small", "base"], "batch_size": [1, 4]},
    warmup=3,
    repeats=10,
    legacy_source="benchmarks/class_args_namespace.py:27",
    tier="native",
)
class ModelLatencyBenchmark(BenchmarkBase):
    """ModelBenchmark.run_latency_benchmark, migrated by benchmig (native)."""

    items_per_call = "batch_size"

    def setup(self):
        args = argparse.Namespace(
            models="small,base",
            batch_sizes="1,4",
            device=self.hardware,
            warmup=3,
            iterations=10,
            db_path=None,
        )
        model_benchmark = ModelBenchmark(args)
        name = self.config["model"]
        weights, hidden = model_benchmark._build(name)
        batch_size = self.config["batch_size"]
        x = np.random.rand(batch_size, hidden)
        self.weights = weights
        self.x = x

    def execute(self):
        return np.tanh(self.x @ self.weights)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.class_args_namespace.ModelBenchmark.run_latency_benchmark",
            ],
            options={
                "--models": "model",
                "--batch-sizes": "batch_size",
                "--warmup": "warmup",
                "--iterations": "repeats",
                "--device": "hardware",
            },
            description=__doc__,
        )
    )
