"""The pool's handle on one worker (a thread or a spawned process), and thread-count limits."""

from __future__ import annotations

import contextlib
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from benchmig.benchmarks._pool_types import PoolConfig, Request
from benchmig.benchmarks._pool_worker import serve
from benchmig.framework import _torch

__all__ = ["ThreadLimits", "WorkerHandle"]

_STOP_TIMEOUT_S = 10.0


class WorkerHandle:
    """One worker (thread or process), its pipe, and the request it holds."""

    def __init__(self, index: int, config: PoolConfig, ctx: Any) -> None:
        self.index = index
        self.ready = False
        self.pid: int | None = None
        self.held: tuple[Request, int] | None = None
        self.sent_at = self.started_at = time.perf_counter()
        self.process: BaseProcess | None = None
        self.thread: threading.Thread | None = None
        parent, child = ctx.Pipe()
        model = config.model.to_dict()
        name = f"benchmig-pool-{config.mode}-{index}"
        if config.mode == "process":
            args = (child, model, config.shared_name, True)
            self.process = ctx.Process(target=serve, args=args, name=name, daemon=True)
            self.process.start()
            child.close()  # the parent sees end-of-file when the worker dies
        else:
            args = (child, model, config.shared_name, False)
            self.thread = threading.Thread(target=serve, args=args, name=name, daemon=True)
            self.thread.start()
        self.conn: Connection = parent

    def send(self, request: Request, attempt: int) -> bool:
        """Hand a request to this idle worker; False when its pipe is broken."""
        fault = request.fault if attempt < request.fault_attempts else None
        try:
            self.conn.send((request.id, attempt, request.payload, fault))
        except OSError:
            return False
        self.held = (request, attempt)
        self.sent_at = time.perf_counter()
        return True

    def stop(self, timeout: float = _STOP_TIMEOUT_S) -> None:
        """Ask the worker to finish, wait for it, kill it if it does not."""
        with contextlib.suppress(OSError):
            self.conn.send(None)
        if self.process is not None:
            self.process.join(timeout)
        elif self.thread is not None:
            self.thread.join(timeout)
        self.kill()

    def kill(self) -> None:
        """End the worker now (a thread cannot be killed: its pipe is closed, so it ends)."""
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
            self.process.close()
            self.process = None
        elif self.thread is not None:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.conn.close()


class ThreadLimits:
    """One math-library thread per worker thread while a thread pool runs, then as before.

    N workers each calling a multi-threaded BLAS (or torch) oversubscribe the cores; process
    workers get the same limit through environment variables before they import numpy.
    """

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self._blas: Any = None
        self._torch_threads: int | None = None

    def limit(self) -> None:
        """Limit BLAS/OpenMP pools (and torch's intra-op pool) to one thread."""
        import threadpoolctl  # type: ignore[import-untyped]

        self._blas = threadpoolctl.threadpool_limits(limits=1)
        torch = _torch.get_torch() if self.backend == "torch" else None
        if torch is not None:
            self._torch_threads = int(torch.get_num_threads())
            torch.set_num_threads(1)

    def restore(self) -> None:
        """Give the libraries their thread counts back (no-op when nothing was limited)."""
        if self._blas is not None:
            self._blas.restore_original_limits()
            self._blas = None
        torch = _torch.get_torch() if self._torch_threads is not None else None
        if torch is not None and self._torch_threads is not None:
            torch.set_num_threads(self._torch_threads)
        self._torch_threads = None
