#!/usr/bin/env python3
"""Sequence-length sweep given on the command line as a comma-separated list."""
import argparse
import time

import numpy as np


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


if __name__ == "__main__":
    main()
