#!/usr/bin/env python3
"""Sequence-length sweep given on the command line as a comma-separated list."""
import argparse
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


def attention(q, k, v):
    scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)) @ v


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seq-lens", default="128,512", help="comma separated sequence lengths")
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--head-dim", type=int, default=32)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--output-dir", default=None)
    args = parser.parse_args()

    for seq_len in [int(s) for s in args.seq_lens.split(",")]:
        shape = (args.batch_size, seq_len, args.head_dim)
        q, k, v = (np.random.rand(*shape) for _ in range(3))
        start = time.perf_counter()
        for _ in range(args.runs):
            attention(q, k, v)
        latency_ms = (time.perf_counter() - start) * 1000 / args.runs
        print(f"seq_len={seq_len}: {latency_ms:.3f} ms")


@BenchmarkRegistry.register(
    name="benchmarks.comma_list_argparse.main",
    category="migrated",
    hardware=["cpu"],
    params={"seq_len": [128, 512], "batch_size": [2], "head_dim": [32]},
    repeats=10,
    legacy_source="benchmarks/comma_list_argparse.py:15",
    tier="native",
)
class CommaListArgparseBenchmark(BenchmarkBase):
    """main, migrated by benchmig (native)."""

    def setup(self):
        seq_len = self.config["seq_len"]
        shape = (self.config["batch_size"], seq_len, self.config["head_dim"])
        q, k, v = (np.random.rand(*shape) for _ in range(3))
        self.q = q
        self.k = k
        self.v = v

    def execute(self):
        return attention(self.q, self.k, self.v)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.comma_list_argparse.main",
            ],
            options={
                "--seq-lens": "seq_len",
                "--batch-size": "batch_size",
                "--head-dim": "head_dim",
                "--runs": "repeats",
                "--output-dir": "output_dir",
            },
            description=__doc__,
        )
    )
