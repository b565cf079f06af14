"""Run cases in worker processes: a raise, a hang or a crash of one case never takes the run down.

One worker process measures the cases of one benchmark in turn. A case that raises is recorded as
failed and the worker goes on; a case that outlives its timeout, or a worker that dies (segfault,
OOM kill), costs that one case: the worker is killed and a fresh one takes the remaining cases.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from benchmig.framework._loader import LoadTarget
from benchmig.framework._measure import CaseMeasurement
from benchmig.framework._worker import FD_VARIABLE

__all__ = ["CaseOutcome", "WorkerCase", "run_in_workers"]

logger = logging.getLogger(__name__)

_LOG_TAIL_LINES = 12
# Importing the benchmark module (torch alone takes seconds on a busy machine) is not part of a
# case: it gets its own, longer allowance, still bounded so a module that hangs is caught.
LOAD_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class WorkerCase:
    """One case to measure in a worker process."""

    index: int
    params: Mapping[str, Any]
    hardware: str
    settings: Mapping[str, Any]
    budget: float

    def to_dict(self) -> dict[str, Any]:
        """JSON form sent to the worker."""
        return {
            "index": self.index,
            "params": dict(self.params),
            "hardware": self.hardware,
            "settings": dict(self.settings),
            "budget": self.budget,
        }


@dataclass(frozen=True)
class CaseOutcome:
    """What became of one case in one worker."""

    index: int
    status: Literal["ok", "failed", "timeout"]
    measurement: CaseMeasurement | None = None
    error: str | None = None
    details: str = field(default="", repr=False)


def _signal_name(returncode: int) -> str:
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    hint = " (possibly the out-of-memory killer)" if returncode == -signal.SIGKILL else ""
    return f"{name} (signal {-returncode}){hint}"


def _tail(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").splitlines()
    return "\n".join(lines[-_LOG_TAIL_LINES:])


class _Worker:
    """One worker process and the pipe its events come back on."""

    def __init__(self, job: dict[str, Any], log: IO[bytes]) -> None:
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, **{FD_VARIABLE: str(write_fd)})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmig.framework._worker"],
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=log,
            env=env,
            pass_fds=(write_fd,),
            start_new_session=True,  # Ctrl-C reaches the parent only; we kill the group
        )
        os.close(write_fd)
        self.reader = os.fdopen(read_fd, "rb")
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(job, default=str).encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.reader, selectors.EVENT_READ)
        self.buffer = b""

    def events(self, deadline: Callable[[], float]) -> Iterator[dict[str, Any] | None]:
        """Yield events; ``None`` means the deadline passed; the iterator ends at EOF."""
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                if line.strip():
                    yield json.loads(line)
            remaining = deadline() - time.monotonic()
            if remaining <= 0:
                yield None
                continue
            if not self.selector.select(timeout=remaining):
                continue
            chunk = os.read(self.reader.fileno(), 65536)
            if not chunk:
                return
            self.buffer += chunk

    def kill(self) -> None:
        """Kill the worker's whole process group and reap it."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.selector.close()
        self.reader.close()


def run_in_workers(
    target: LoadTarget,
    benchmark: str,
    cases: Sequence[WorkerCase],
    *,
    timeout: float,
    on_outcome: Callable[[CaseOutcome], None] | None = None,
) -> list[CaseOutcome]:
    """Measure ``cases`` of one benchmark in worker processes; one outcome per case, in order."""
    pending = {case.index: case for case in cases}
    outcomes: dict[int, CaseOutcome] = {}
    with tempfile.TemporaryFile(prefix="benchmig-worker-") as log:
        while pending:
            for outcome in _one_worker(target, benchmark, list(pending.values()), timeout, log):
                pending.pop(outcome.index, None)
                outcomes[outcome.index] = outcome
                if on_outcome is not None:
                    on_outcome(outcome)
    return [outcomes[case.index] for case in cases]


def _one_worker(
    target: LoadTarget,
    benchmark: str,
    cases: list[WorkerCase],
    timeout: float,
    log: IO[bytes],
) -> Iterator[CaseOutcome]:
    """Run one worker until it finishes, dies or hangs; yield an outcome per case it settled.

    Always settles at least one case, so the caller's loop makes progress.
    """
    log.seek(0)
    log.truncate()
    job = {
        "target": target.to_dict(),
        "benchmark": benchmark,
        "cases": [c.to_dict() for c in cases],
    }
    worker = _Worker(job, log)
    current: int | None = None
    deadline = [time.monotonic() + max(timeout, LOAD_TIMEOUT_S)]
    settled: set[int] = set()
    loaded = False
    try:
        for event in worker.events(lambda: deadline[0]):
            if event is None and not loaded:
                limit = max(timeout, LOAD_TIMEOUT_S)
                for case in cases:
                    yield CaseOutcome(
                        case.index,
                        "timeout",
                        error=f"importing the benchmark module took longer than {limit:g} s; "
                        "the worker was killed",
                    )
                return
            if event is None:
                index = current if current is not None else _first_unsettled(cases, settled)
                yield CaseOutcome(
                    index,
                    "timeout",
                    error=f"timed out after {timeout:g} s (--timeout); the worker was killed",
                )
                return
            kind = event.get("event")
            if kind == "loaded":
                loaded = True
                deadline[0] = time.monotonic() + timeout
            elif kind == "load_error":
                for case in cases:
                    yield CaseOutcome(case.index, "failed", error=str(event["error"]))
                return
            elif kind == "start":
                current = int(event["index"])
                deadline[0] = time.monotonic() + timeout
            elif kind in ("result", "error"):
                index = int(event["index"])
                settled.add(index)
                current = None
                yield _outcome_from_event(index, event)
        if len(settled) < len(cases):
            worker.proc.wait()
            index = current if current is not None else _first_unsettled(cases, settled)
            yield CaseOutcome(
                index, "failed", error=_death_message(worker.proc.returncode), details=_tail(log)
            )
    finally:
        worker.kill()


def _first_unsettled(cases: list[WorkerCase], settled: set[int]) -> int:
    return next(c.index for c in cases if c.index not in settled)


def _outcome_from_event(index: int, event: Mapping[str, Any]) -> CaseOutcome:
    if event["event"] == "result":
        return CaseOutcome(index, "ok", CaseMeasurement.from_dict(event["measurement"]))
    return CaseOutcome(
        index, "failed", error=str(event["error"]), details=str(event.get("traceback", ""))
    )


def _death_message(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        return f"worker process crashed: killed by {_signal_name(returncode)}"
    return f"worker process exited unexpectedly with code {returncode}"
