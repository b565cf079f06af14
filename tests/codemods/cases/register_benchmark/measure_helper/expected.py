#!/usr/bin/env python3
"""Embedding lookups timed with the shared measure(fn, n) helper."""
import argparse

import numpy as np
from bench_utils import measure, summarize
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main

VOCAB_SIZE = 1000
EMBED_DIM = 64


def benchmark_lookup(batch_sizes, seq_len, n):
    table = np.random.rand(VOCAB_SIZE, EMBED_DIM)
    results = {}
    for bs in batch_sizes:
        ids = np.random.randint(0, VOCAB_SIZE, (bs, seq_len))
        samples = measure(lambda: table[ids], n)
        results[bs] = summarize(samples)
    return results


@BenchmarkRegistry.register(
    name="benchmarks.measure_helper.benchmark_lookup",
    category="migrated",
    hardware=["cpu"],
    params={"seq_len": [64], "batch_size": [1, 8, 32]},
    repeats=20,
    legacy_source="benchmarks/measure_helper.py:12",
    tier="native",
)
class LookupBenchmark(BenchmarkBase):
    """benchmark_lookup, migrated by benchmig (native)."""

    def setup(self):
        seq_len = self.config["seq_len"]
        table = np.random.rand(VOCAB_SIZE, EMBED_DIM)
        bs = self.config["batch_size"]
        ids = np.random.randint(0, VOCAB_SIZE, (bs, seq_len))
        self.table = table
        self.ids = ids

    def execute(self):
        return self.table[self.ids]


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.measure_helper.benchmark_lookup",
            ],
            options={
                "--seq-len": "seq_len",
                "--batch-sizes": "batch_size",
                "--n": "repeats",
            },
            description=__doc__,
        )
    )
