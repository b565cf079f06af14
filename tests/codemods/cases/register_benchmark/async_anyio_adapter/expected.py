"""Request latency of an anyio task pool (the file imports anyio, not asyncio)."""
import time

import anyio
import asyncio
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, legacy_metrics, run_legacy_main

BATCHES = [2, 8]


async def handle(i):
    await anyio.sleep(0)
    return i * i


async def run_batch(batch):
    start = time.perf_counter()
    async with anyio.create_task_group() as tg:
        for i in range(batch):
            tg.start_soon(handle, i)
    return (time.perf_counter() - start) * 1000


async def main():
    for batch in BATCHES:
        print(batch, await run_batch(batch))


@BenchmarkRegistry.register(
    name="benchmarks.async_anyio_adapter.run_batch",
    category="migrated",
    hardware=["cpu"],
    params={"batch_size": [2, 8]},
    warmup=0,
    repeats=1,
    processes=1,
    min_sample_time=0.0,
    legacy_source="benchmarks/async_anyio_adapter.py:14",
    tier="adapter",
)
class BatchBenchmark(BenchmarkBase):
    """run_batch, migrated by benchmig (adapter)."""

    def setup(self):
        batch = self.config["batch_size"]
        self.batch = batch

    def execute(self):
        return asyncio.run(run_batch(self.batch))

    def process_results(self, raw):
        return legacy_metrics(raw, time_unit="ms")


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.async_anyio_adapter.run_batch",
            ],
            description=__doc__,
        )
    )
