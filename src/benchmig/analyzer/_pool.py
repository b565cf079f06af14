"""Worker processes of the pipeline: starting them, running chunks on them, and retrying the
files of a worker that died.

Workers can be started early (:class:`StartedPool`): the processes import the analyzer while
the parent still walks the tree, and are waited for only when the first chunk is ready.

A worker that dies (a crash in a parser, the OOM killer) breaks the pool: the files it was
working on are retried one at a time in a fresh single-worker pool, and a file that kills that
one too gets ``parse_error`` / ``internal_error``. If worker processes cannot start at all (a
calling script without an ``if __name__ == "__main__":`` guard), :class:`PoolUnavailable` is
raised and the caller analyses in its own process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from benchmig._orphans import exit_with
from benchmig.analyzer._discover import SourceFile
from benchmig.analyzer._worker import (
    FileRecord,
    Outcome,
    WorkerTask,
    analyse_chunk,
    internal_error,
    ping,
)

__all__ = ["Chunk", "PoolUnavailable", "StartedPool", "new_pool", "run_pool", "run_quarantine"]

logger = logging.getLogger(__name__)

Chunk = tuple[SourceFile, ...]


class PoolUnavailable(Exception):
    """Worker processes do not start here."""


class StartedPool:
    """A process pool whose workers were asked to start; :meth:`ready` waits for them.

    One ping per worker, all at once: the pool starts a process per task it cannot give to an
    idle one, so every worker imports at the same time. (After a single ping, the second
    worker would only start with the second chunk: 0.4-0.8 s late.)
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        # spawn: no inherited SQLite handles or threads, and the same behaviour on every platform;
        # a worker whose parent is killed exits instead of finishing its chunk (see _orphans)
        self.executor = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=exit_with,
            initargs=(os.getpid(),),
        )
        try:
            self.pings = [self.executor.submit(ping) for _ in range(workers)]
        except Exception as exc:
            self.cancel()
            raise PoolUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def ready(self) -> ProcessPoolExecutor:
        """The pool, once every worker answered (raises :class:`PoolUnavailable`)."""
        try:
            for future in self.pings:
                future.result()
        except Exception as exc:
            self.cancel()
            raise PoolUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return self.executor

    def cancel(self) -> None:
        """Stop the workers (they finish starting first)."""
        self.executor.shutdown(wait=True, cancel_futures=True)


def new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers have all started and answered a ping (raises
    :class:`PoolUnavailable`)."""
    return StartedPool(workers).ready()


def run_pool(
    chunks: deque[Chunk],
    task: WorkerTask,
    jobs: int,
    suspects: list[SourceFile],
    started: StartedPool | None = None,
) -> Iterator[list[Outcome]]:
    """Run ``chunks`` on ``jobs`` workers (the first pool may be ``started`` already); files of
    chunks lost to a dead worker go to ``suspects``. Chunks not started stay in ``chunks`` if
    :class:`PoolUnavailable` is raised."""
    try:
        while chunks:
            pool, started = (new_pool(jobs) if started is None else started.ready()), None
            with pool:
                yield from _drain(pool, chunks, task, jobs, suspects)
    finally:
        if started is not None:  # never used: nothing to analyse, or the caller stopped
            started.cancel()


def _drain(
    pool: ProcessPoolExecutor,
    chunks: deque[Chunk],
    task: WorkerTask,
    jobs: int,
    suspects: list[SourceFile],
) -> Iterator[list[Outcome]]:
    """Keep two chunks per worker in flight until all are done or the pool breaks."""
    in_flight: dict[Future[list[Outcome]], Chunk] = {}
    broken = False
    while (chunks or in_flight) and not broken:
        while chunks and len(in_flight) < 2 * jobs:
            chunk = chunks.popleft()
            in_flight[pool.submit(analyse_chunk, chunk, task)] = chunk
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            chunk = in_flight.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool:
                broken = True
                suspects.extend(chunk)
            except Exception as exc:  # a failure outside the per-file guard
                logger.warning("a worker failed on a chunk (%s): retrying file by file", exc)
                suspects.extend(chunk)
    for future, chunk in in_flight.items():  # lost with the pool, unless already done
        if future.done() and future.exception() is None:
            yield future.result()
        else:
            suspects.extend(chunk)


def _died(source: SourceFile, exc: BaseException) -> Outcome:
    message = (
        "the worker process died while analysing this file "
        f"({type(exc).__name__}: {exc}); the parser may have crashed on it"
    )
    logger.warning("%s: %s", source.rel_path, message)
    record = FileRecord(internal_error(source, message))
    return Outcome(source, record, cacheable=False, worker_died=True)


def run_quarantine(suspects: Sequence[SourceFile], task: WorkerTask) -> Iterator[list[Outcome]]:
    """Retry suspects one at a time, each alone in a worker; a second death convicts the file."""
    queue = deque(sorted(suspects, key=lambda f: f.rel_path))
    while queue:
        try:
            pool = new_pool(1)
        except PoolUnavailable as exc:
            yield [_died(source, exc) for source in queue]
            return
        with pool:
            while queue:
                source = queue.popleft()
                try:
                    yield pool.submit(analyse_chunk, (source,), task).result()
                except Exception as exc:
                    yield [_died(source, exc)]
                    break  # the pool is broken: start a fresh one for the rest
