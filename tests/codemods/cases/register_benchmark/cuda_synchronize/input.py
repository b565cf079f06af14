#!/usr/bin/env python3
"""MLP latency on CPU or CUDA with explicit synchronisation around the timed call."""
import argparse
import time

import torch


def benchmark_mlp(batch_sizes, warmup, runs):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 8))
    model = model.to(device).eval()
    results = {}
    for batch_size in batch_sizes:
        x = torch.randn(batch_size, 64, device=device)
        with torch.no_grad():
            for _ in range(warmup):
                model(x)
            torch.cuda.synchronize() if device == "cuda" else None
            latencies = []
            for _ in range(runs):
                start = time.perf_counter()
                model(x)
                if device == "cuda":
                    torch.cuda.synchronize()
                latencies.append((time.perf_counter() - start) * 1000)
        results[batch_size] = {
            "latency_ms": sum(latencies) / len(latencies),
            "throughput": batch_size * 1000.0 / (sum(latencies) / len(latencies)),
        }
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-sizes", default="1,8")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print(benchmark_mlp([int(b) for b in args.batch_sizes.split(",")], args.warmup, args.runs))
