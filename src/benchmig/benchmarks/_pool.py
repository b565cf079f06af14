"""A small worker pool with replacement and retries: what the resource-pool benchmarks measure.

Workers are threads or spawned processes, each with its own pipe (one request in flight per
worker, so the pool always knows which request a worker held). Threads get their requests through
the same pipes as processes, so the two modes differ only in where the model runs. A worker that
replies with an error, dies (its pipe reaches end-of-file) or outlives ``request_timeout_s`` is
replaced by a fresh one and its request is retried, up to ``max_retries`` times; a request that
still has no result is *lost* and reported as such.
"""

from __future__ import annotations

import collections
import logging
import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import wait
from typing import Any

from benchmig.benchmarks._pool_handles import ThreadLimits, WorkerHandle
from benchmig.benchmarks._pool_types import FAULTS as FAULTS
from benchmig.benchmarks._pool_types import MODES as MODES
from benchmig.benchmarks._pool_types import BatchReport as BatchReport
from benchmig.benchmarks._pool_types import PoolConfig as PoolConfig
from benchmig.benchmarks._pool_types import PoolError as PoolError
from benchmig.benchmarks._pool_types import Request as Request

__all__ = ["FAULTS", "MODES", "BatchReport", "PoolConfig", "PoolError", "Request", "WorkerPool"]

logger = logging.getLogger(__name__)


class _Batch:
    """Book-keeping of one :meth:`WorkerPool.run`."""

    def __init__(self, requests: Sequence[Request], max_retries: int) -> None:
        self.total = len(requests)
        self.max_retries = max_retries
        self.pending: collections.deque[tuple[Request, int]] = collections.deque(
            (r, 0) for r in requests
        )
        self.first_sent: dict[int, float] = {}
        self.latencies: list[float] = []
        self.outputs: dict[int, Any] = {}
        self.failed_attempts = 0
        self.recovered = 0
        self.lost: list[int] = []

    def complete(self, held: tuple[Request, int], output: Any) -> None:
        request, attempt = held
        self.outputs[request.id] = output
        self.latencies.append(time.perf_counter() - self.first_sent[request.id])
        if attempt > 0:
            self.recovered += 1

    def failed(self, held: tuple[Request, int], why: str) -> None:
        request, attempt = held
        self.failed_attempts += 1
        if attempt < self.max_retries:
            logger.debug("request %d failed (%s): retry %d", request.id, why, attempt + 1)
            self.pending.appendleft((request, attempt + 1))
        else:
            logger.warning("request %d lost after %d attempts: %s", request.id, attempt + 1, why)
            self.lost.append(request.id)


class WorkerPool:
    """``config.workers`` workers serving requests; use as a context manager or call close()."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._ctx = multiprocessing.get_context("spawn")
        self._workers: list[WorkerHandle] = []
        self._limits = ThreadLimits(config.model.backend)
        self.replaced_workers = 0

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        """Start every worker and wait until each has built its model."""
        if self.config.mode == "thread":
            self._limits.limit()
        try:
            self._workers = [
                WorkerHandle(i, self.config, self._ctx) for i in range(self.config.workers)
            ]
            self._wait_ready()
        except BaseException:
            self.close()
            raise

    def _wait_ready(self) -> None:
        deadline = time.perf_counter() + self.config.start_timeout_s
        while not all(w.ready for w in self._workers):
            waiting: dict[Any, WorkerHandle] = {w.conn: w for w in self._workers if not w.ready}
            ready = wait(list(waiting), timeout=max(0.0, deadline - time.perf_counter()))
            if not ready:
                raise PoolError(
                    f"pool workers did not start within {self.config.start_timeout_s:g} s"
                )
            for conn in ready:
                self._receive(waiting[conn], None)

    def worker_pids(self) -> list[int]:
        """Process ids of the process workers (empty in thread mode)."""
        return [w.pid for w in self._workers if w.process is not None and w.pid is not None]

    def run(self, requests: Sequence[Request]) -> BatchReport:
        """Serve every request; returns when each has a result or is lost."""
        for request in requests:
            if request.fault == "hang" and self.config.mode == "thread":
                raise PoolError(
                    "a hanging thread cannot be stopped: use fault 'hang' with processes"
                )
        batch = _Batch(requests, self.config.max_retries)
        replaced_before = self.replaced_workers
        started = time.perf_counter()
        while batch.pending or any(w.held for w in self._workers):
            self._dispatch(batch)
            active: dict[Any, WorkerHandle] = {
                w.conn: w for w in self._workers if w.held is not None or not w.ready
            }
            ready = wait(list(active), timeout=self._time_left())
            if not ready:
                self._expire(batch)
            for conn in ready:
                self._receive(active[conn], batch)
        return BatchReport(
            requests=batch.total,
            elapsed_s=time.perf_counter() - started,
            latencies_s=tuple(batch.latencies),
            failed_attempts=batch.failed_attempts,
            recovered=batch.recovered,
            lost=tuple(batch.lost),
            replaced_workers=self.replaced_workers - replaced_before,
            outputs=batch.outputs,
        )

    def close(self) -> None:
        """Stop every worker (killing those that do not stop) and release the pipes."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.stop()
        self._limits.restore()

    # -- internals ----------------------------------------------------------------------------
    def _dispatch(self, batch: _Batch) -> None:
        for worker in self._workers:
            if not batch.pending:
                return
            if not worker.ready or worker.held is not None:
                continue
            request, attempt = batch.pending.popleft()
            batch.first_sent.setdefault(request.id, time.perf_counter())
            if not worker.send(request, attempt):
                batch.pending.appendleft((request, attempt))  # never reached the worker
                self._replace(worker)

    def _time_left(self) -> float:
        """Seconds until the first request or worker start would be overdue."""
        deadlines = [
            w.sent_at + self.config.request_timeout_s
            if w.ready
            else w.started_at + self.config.start_timeout_s
            for w in self._workers
            if w.held is not None or not w.ready
        ]
        return max(0.0, min(deadlines) - time.perf_counter()) if deadlines else 0.0

    def _expire(self, batch: _Batch) -> None:
        now = time.perf_counter()
        for worker in list(self._workers):
            if not worker.ready and now - worker.started_at >= self.config.start_timeout_s:
                raise PoolError(
                    f"replacement pool worker {worker.index} did not start within "
                    f"{self.config.start_timeout_s:g} s"
                )
            if worker.held is not None and now - worker.sent_at >= self.config.request_timeout_s:
                batch.failed(worker.held, f"no reply within {self.config.request_timeout_s:g} s")
                self._replace(worker)

    def _receive(self, worker: WorkerHandle, batch: _Batch | None) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._died(worker, batch)
            return
        kind = message[0]
        if kind == "ready":
            worker.ready, worker.pid = True, int(message[1])
        elif kind == "start_error":
            raise PoolError(f"a pool worker could not build its model: {message[1]}")
        elif worker.held is not None and batch is not None:
            held, worker.held = worker.held, None
            if kind == "ok":
                batch.complete(held, message[2])
            else:
                batch.failed(held, str(message[2]))
                self._replace(worker)

    def _died(self, worker: WorkerHandle, batch: _Batch | None) -> None:
        if not worker.ready:
            raise PoolError(f"pool worker {worker.index} ({self.config.mode}) died while starting")
        if worker.held is not None and batch is not None:
            batch.failed(worker.held, "the worker died")
        self._replace(worker)

    def _replace(self, worker: WorkerHandle) -> None:
        worker.held = None
        worker.kill()
        position = self._workers.index(worker)
        self._workers[position] = WorkerHandle(worker.index, self.config, self._ctx)
        self.replaced_workers += 1
