"""Pool workers that outlive the process that started them exit instead of running on.

A ``forkserver``/``spawn`` worker is not a child of the process that made the pool: when that
process is killed (``kill``, a CI job's time-out), Ctrl-C never reaches the worker, which goes on
with its current file (minutes, gigabytes for a huge file under LibCST) and only then notices.
:func:`exit_with` starts a daemon thread in the worker that ends it as soon as the pool's owner
is gone.
"""

from __future__ import annotations

import os
import threading

__all__ = ["exit_with"]

_POLL_S = 1.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else (a reused pid): keep going
        return True
    return True


def _watch(owner: int, stop: threading.Event) -> None:
    while not stop.wait(_POLL_S):
        if not _alive(owner):
            os._exit(1)  # no cleanup to run: the results have nowhere to go


def exit_with(owner: int) -> threading.Event:
    """End this process when process ``owner`` ends; returns the event that stops watching."""
    stop = threading.Event()
    threading.Thread(target=_watch, args=(owner, stop), name="exit-with-owner", daemon=True).start()
    return stop
