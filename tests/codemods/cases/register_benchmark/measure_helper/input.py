#!/usr/bin/env python3
"""Embedding lookups timed with the shared measure(fn, n) helper."""
import argparse

import numpy as np
from bench_utils import measure, summarize

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


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--seq-len", type=int, default=64)
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    print(benchmark_lookup([int(b) for b in args.batch_sizes.split(",")], args.seq_len, args.n))
