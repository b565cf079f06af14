#!/usr/bin/env python3
"""Model benchmark."""
import argparse
import os
import time

try:
    import torch
    HAS_TORCH = True
except ImportError:
    HAS_TORCH = False


def run_benchmark(model, hardware, batch_sizes, warmup, runs):
    return {bs: model for bs in batch_sizes}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="tiny-mlp")
    parser.add_argument("--hardware", default="cpu")
    parser.add_argument("--batch-sizes", type=str, default="1,2,4,8")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--precision", choices=["fp32", "fp16"], default="fp32")
    parser.add_argument("--device", default="cuda" if HAS_TORCH and torch.cuda.is_available() else "cpu")
    parser.add_argument("--db-path", default=os.environ.get("BENCHMARK_DB_PATH"))
    parser.add_argument("--output-dir", default=None)
    parser.add_argument("--format", default="json")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    sizes = [int(b) for b in args.batch_sizes.split(",")]
    print(run_benchmark(args.model, args.hardware, sizes, args.warmup, args.runs))


if __name__ == "__main__":
    main()
