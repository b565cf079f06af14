"""Request latency of an anyio task pool (the file imports anyio, not asyncio)."""
import time

import anyio

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


if __name__ == "__main__":
    anyio.run(main)
