"""Fixtures of the built-in benchmark tests: no worker may outlive a test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from multiprocessing import resource_tracker

import psutil
import pytest


def leftover_children() -> list[psutil.Process]:
    """Live child processes of this one, except the standard library's resource tracker.

    The tracker is one helper per interpreter, started with the first spawned process and ended
    with the interpreter; it is not a pool worker.
    """
    tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    children = psutil.Process().children(recursive=True)
    return [c for c in children if c.pid != tracker and c.status() != psutil.STATUS_ZOMBIE]


def pool_threads() -> list[threading.Thread]:
    """Live pool worker threads."""
    return [t for t in threading.enumerate() if t.name.startswith("benchmig-pool-")]


@pytest.fixture
def no_leftovers() -> Iterator[None]:
    """Fail the test when it leaves a worker process or a pool thread running."""
    before = {p.pid for p in leftover_children()}
    yield
    left = [p for p in leftover_children() if p.pid not in before]
    assert not left, f"processes left running: {[p.cmdline() for p in left]}"
    assert not pool_threads(), f"threads left running: {pool_threads()}"
