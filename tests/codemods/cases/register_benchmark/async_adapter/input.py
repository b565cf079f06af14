"""Latency of an async in-process model server at several concurrency levels."""
import asyncio
import statistics
import time

import numpy as np

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


if __name__ == "__main__":
    asyncio.run(amain())
