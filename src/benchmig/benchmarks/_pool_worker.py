"""The loop a resource-pool worker runs, in a thread or in a spawned process.

Messages from the pool: ``(request_id, attempt, payload, fault)`` or ``None`` (stop). Replies:
``("ready", pid)`` once the model is built, then ``("ok", request_id, output)`` or
``("error", request_id, message)`` per request. ``fault`` injects what the error-recovery
benchmark recovers from: ``"raise"`` (the request fails), ``"crash"`` (the worker dies mid-request
without replying) or ``"hang"`` (it never replies). Only the standard library is imported at
module level: a spawned worker limits the math libraries to one thread before it imports numpy.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["InjectedFault", "serve"]

_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
CRASH_EXIT_CODE = 70


class InjectedFault(RuntimeError):
    """The failure the error-recovery benchmark injects into a request."""


def _build(model: Mapping[str, Any], shared_name: str | None) -> tuple[Any, Any]:
    from benchmig.benchmarks._mlp import MlpSpec, SharedWeights, forward_function, make_weights

    spec = MlpSpec.from_dict(model)
    if shared_name is None:
        return forward_function(spec, make_weights(spec)), None
    shared = SharedWeights.attach(spec, shared_name)
    return forward_function(spec, shared.arrays), shared


def _single_threaded() -> None:
    """One math thread in this worker process: the pool runs one worker per core."""
    for name in _THREAD_VARIABLES:  # libraries loaded from now on
        os.environ[name] = "1"
    import threadpoolctl  # type: ignore[import-untyped]

    threadpoolctl.threadpool_limits(limits=1)  # libraries already loaded (numpy by __main__)


def serve(
    conn: Connection, model: Mapping[str, Any], shared_name: str | None, own_process: bool
) -> None:
    """Build the model, say ``ready``, then answer requests until stopped or the pipe closes."""
    if own_process:
        _single_threaded()
    try:
        forward, shared = _build(model, shared_name)
    except Exception as exc:
        _reply(conn, ("start_error", f"{type(exc).__name__}: {exc}"))
        conn.close()
        return
    if own_process and model.get("backend") == "torch":
        from benchmig.framework._torch import get_torch

        torch = get_torch()
        if torch is not None:
            torch.set_num_threads(1)
    try:
        if _reply(conn, ("ready", os.getpid())):
            _answer(conn, forward, own_process)
    finally:
        del forward
        if shared is not None:
            shared.close()
        conn.close()


def _reply(conn: Connection, message: tuple[Any, ...]) -> bool:
    """Send a reply; False when the pool closed the pipe (it replaced this worker)."""
    try:
        conn.send(message)
    except OSError:
        return False
    return True


def _answer(conn: Connection, forward: Any, own_process: bool) -> None:
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        request_id, _attempt, payload, fault = message
        if fault == "crash":
            if own_process:
                os._exit(CRASH_EXIT_CODE)
            return  # a thread "dies": it stops without replying and its pipe closes
        if fault == "hang":
            time.sleep(3600)
        try:
            if fault == "raise":
                raise InjectedFault(f"injected failure in request {request_id}")
            reply: tuple[Any, ...] = ("ok", request_id, forward(payload))
        except Exception as exc:
            reply = ("error", request_id, f"{type(exc).__name__}: {exc}")
        if not _reply(conn, reply):
            return
