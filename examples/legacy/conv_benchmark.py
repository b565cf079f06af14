#!/usr/bin/env python3
"""Conv2d benchmark over image resolutions."""
import sys
import time
import argparse

import numpy as np
import torch

from hardware_detection import get_device


class ConvBenchmark:
    """Benchmarks a small conv stack at several image resolutions."""

    def __init__(self, args):
        self.args = args
        self.resolutions = [int(r) for r in args.resolutions.split(",")]
        self.device = args.device or get_device()
        self.results = []
        self.model = torch.nn.Sequential(
            torch.nn.Conv2d(3, 16, 3, padding=1),
            torch.nn.ReLU(),
            torch.nn.Conv2d(16, 16, 3, padding=1),
        ).to(self.device).eval()

    def run_resolution(self, resolution):
        x = torch.randn(self.args.batch_size, 3, resolution, resolution, device=self.device)
        times = []
        with torch.no_grad():
            for _ in range(self.args.warmup_runs):
                self.model(x)
            for _ in range(self.args.runs):
                t0 = time.perf_counter()
                self.model(x)
                times.append(time.perf_counter() - t0)
        self.results.append({
            "resolution": resolution,
            "batch_size": self.args.batch_size,
            "latency_ms": float(np.mean(times) * 1000),
            "samples_per_sec": self.args.batch_size / float(np.mean(times)),
        })

    def run_all(self):
        for resolution in self.resolutions:
            self.run_resolution(resolution)
        return self.results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--resolutions", default="32,64")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--warmup-runs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    for r in ConvBenchmark(args).run_all():
        print(f"{r['resolution']}x{r['resolution']}: {r['latency_ms']:.3f} ms, {r['samples_per_sec']:.0f} samples/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
