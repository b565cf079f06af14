#!/usr/bin/env python3
"""Requests per second through a thread pool, for several worker counts."""
import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main


def handle_request(seed, size=64):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((size, size))
    return float((x @ x.T)[0, 0])


def run_pool(workers, requests):
    start = time.time()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(handle_request, range(requests)))
    elapsed = time.time() - start
    return {"workers": workers, "elapsed_s": elapsed, "samples_per_sec": requests / elapsed}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2,4", help="comma separated worker counts")
    parser.add_argument("--requests", type=int, default=32)
    args = parser.parse_args()
    for workers in [int(w) for w in args.workers.split(",")]:
        print(run_pool(workers, args.requests))
    return 0


@BenchmarkRegistry.register(
    name="benchmarks.thread_pool_adapter.run_pool",
    category="migrated",
    hardware=["cpu"],
    params={"workers": [1, 2, 4]},
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="benchmarks/thread_pool_adapter.py:16",
    tier="adapter",
)
class PoolBenchmark(BenchmarkBase):
    """run_pool, migrated by benchmig (adapter)."""

    def setup(self):
        workers = self.config["workers"]
        self.workers = workers

    def execute(self):
        return run_pool(self.workers, 32)

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="s")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.thread_pool_adapter.run_pool",
            ],
            options={
                "--workers": "workers",
            },
            description=__doc__,
        )
    )
