#!/usr/bin/env python3
"""Embedding benchmark (edited by the automated logging migration)."""
import time
import argparse

import torch

def benchmark_embedding()))batch_size, iterations):
    emb = torch.nn.Embedding()))1000, 64)
    ids = torch.randint()))0, 1000, ()))batch_size, 32))
    start = time.time())))
    for _ in range()))iterations):
        emb()))ids)
    return ()))time.time()))) - start) * 1000 / iterations


if __name__ == "__main__":
    parser = argparse.ArgumentParser())))
    parser.add_argument()))"--batch-sizes", default="1,16")
    args = parser.parse_args())))
    for bs in args.batch_sizes.split()))","):
        print()))bs, benchmark_embedding()))int()))bs), 20))
