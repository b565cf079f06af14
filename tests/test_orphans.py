"""A pool worker whose owner is gone exits instead of running on."""

from __future__ import annotations

import subprocess
import sys
import time

WORKER = "import time; from benchmig._orphans import exit_with; exit_with({pid}); time.sleep(60)"


def test_a_worker_exits_soon_after_its_owner_is_killed() -> None:
    owner = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    worker = subprocess.Popen([sys.executable, "-c", WORKER.format(pid=owner.pid)])
    try:
        time.sleep(1.5)
        assert worker.poll() is None  # the owner lives: the worker keeps working
        owner.kill()
        owner.wait()
        assert worker.wait(timeout=15) == 1
    finally:
        for process in (owner, worker):
            if process.poll() is None:
                process.kill()
