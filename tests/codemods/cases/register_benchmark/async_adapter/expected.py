"""Latency of an async in-process model server at several concurrency levels."""
import asyncio
import statistics
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main

CONCURRENCY_LEVELS = [1, 4]


class Server:
    def __init__(self, dim=64):
        self.weights = np.random.rand(dim, dim)
        self.dim = dim

    async def infer(self, x):
        await asyncio.sleep(0)
        return x @ self.weights


async def run_level(server, concurrency, total_requests=32):
    latencies = []

    async def one():
        t = time.perf_counter()
        await server.infer(np.random.rand(1, server.dim))
        latencies.append((time.perf_counter() - t) * 1000)

    start = time.perf_counter()
    for _ in range(total_requests // concurrency):
        await asyncio.gather(*(one() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    return {"avg_latency_ms": statistics.mean(latencies), "throughput": len(latencies) / elapsed}


async def amain():
    server = Server()
    for level in CONCURRENCY_LEVELS:
        print(level, await run_level(server, level))


@BenchmarkRegistry.register(
    name="benchmarks.async_adapter.run_level",
    category="migrated",
    hardware=["cpu"],
    params={"level": [1, 4]},
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="benchmarks/async_adapter.py:21",
    tier="adapter",
)
class LevelBenchmark(BenchmarkBase):
    """run_level, migrated by benchmig (adapter)."""

    def setup(self):
        server = Server()
        level = self.config["level"]
        self.server = server
        self.level = level

    def execute(self):
        return asyncio.run(run_level(self.server, self.level))

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="s")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.async_adapter.run_level",
            ],
            description=__doc__,
        )
    )
