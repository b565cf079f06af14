#!/usr/bin/env python3
"""Requests per second through a thread pool, for several worker counts."""
import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


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


if __name__ == "__main__":
    raise SystemExit(main())
