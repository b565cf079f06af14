"""The worker process: load one benchmark module and measure the cases the parent sends.

Run as ``python -m benchmig.framework._worker``. The job (JSON) arrives on stdin; events go back
as JSON lines on the file descriptor named by ``BENCHMIG_WORKER_FD``, so that whatever the
benchmark prints on stdout/stderr can never corrupt the protocol.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping
from typing import Any, TextIO

__all__ = ["main", "run_job"]

FD_VARIABLE = "BENCHMIG_WORKER_FD"


def _error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def run_job(job: Mapping[str, Any], emit: Callable[[dict[str, Any]], None]) -> None:
    """Load the job's target, then measure each case, emitting one event per step."""
    from benchmig.framework._loader import LoadTarget, load_targets
    from benchmig.framework._measure import measure_case
    from benchmig.framework._registry import BenchmarkRegistry
    from benchmig.framework._settings import RunnerSettings

    registry = BenchmarkRegistry()
    try:
        load_targets([LoadTarget.from_dict(job["target"])], registry)
        spec = registry.get(job["benchmark"])
    except Exception as exc:
        emit({"event": "load_error", "error": _error_text(exc)})
        return
    emit({"event": "loaded"})
    for case in job["cases"]:
        index = case["index"]
        emit({"event": "start", "index": index})
        try:
            measurement = measure_case(
                spec.cls,
                case["params"],
                case["hardware"],
                RunnerSettings.from_dict(case["settings"]),
                budget=case.get("budget"),
            )
        except Exception as exc:
            emit(
                {
                    "event": "error",
                    "index": index,
                    "error": _error_text(exc),
                    "traceback": traceback.format_exc(limit=8),
                }
            )
            continue
        emit({"event": "result", "index": index, "measurement": measurement.to_dict()})


def _emitter(stream: TextIO) -> Callable[[dict[str, Any]], None]:
    def emit(event: dict[str, Any]) -> None:
        stream.write(json.dumps(event, default=str) + "\n")
        stream.flush()

    return emit


def main() -> int:
    """Entry point of the worker process."""
    fd = int(os.environ[FD_VARIABLE])
    job = json.load(sys.stdin)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        run_job(job, _emitter(stream))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
