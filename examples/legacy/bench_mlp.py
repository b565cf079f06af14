#!/usr/bin/env python3
"""
MLP inference benchmark.

Usage:
    python bench_mlp.py --batch-sizes 1,8,32 --iterations 20
"""
import os
import sys
import time
import argparse

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "helpers"))
from bench_helpers import summarize, print_table, save_json
from hardware_detection import get_device


def build_model(hidden_size):
    return torch.nn.Sequential(
        torch.nn.Linear(hidden_size, hidden_size * 4),
        torch.nn.GELU(),
        torch.nn.Linear(hidden_size * 4, hidden_size),
    ).eval()


def run_benchmark(batch_sizes, hidden_size, warmup, iterations, device):
    model = build_model(hidden_size).to(device)
    results = {}
    for batch_size in batch_sizes:
        x = torch.randn(batch_size, hidden_size, device=device)
        with torch.no_grad():
            for _ in range(warmup):
                model(x)
            latencies = []
            for _ in range(iterations):
                start = time.time()
                model(x)
                if device == "cuda":
                    torch.cuda.synchronize()
                latencies.append((time.time() - start) * 1000)
        stats = summarize(latencies)
        stats["throughput"] = batch_size * 1000 / stats["avg_latency_ms"]
        results[batch_size] = stats
    return results


def main():
    parser = argparse.ArgumentParser(description="MLP inference benchmark")
    parser.add_argument("--batch-sizes", type=str, default="1,8,32")
    parser.add_argument("--hidden-size", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--device", type=str, default=None)
    parser.add_argument("--output", type=str, default=None, help="write results to this JSON file")
    args = parser.parse_args()

    device = args.device or get_device()
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    results = run_benchmark(batch_sizes, args.hidden_size, args.warmup, args.iterations, device)
    print_table(results)
    if args.output:
        save_json(results, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
