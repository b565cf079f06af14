"""The resource pool's records: its configuration, a request, the report of a batch, its error."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from benchmig.benchmarks._mlp import MlpSpec
from benchmig.errors import BenchmigError

__all__ = ["FAULTS", "MODES", "BatchReport", "PoolConfig", "PoolError", "Request"]

MODES = ("thread", "process")
FAULTS = ("raise", "crash", "hang")


class PoolError(BenchmigError):
    """The pool cannot work: a worker failed to start, or the configuration is invalid."""


@dataclass(frozen=True)
class PoolConfig:
    """How many workers of which kind run which model; retry and timeout policy."""

    mode: str
    workers: int
    model: MlpSpec
    shared_name: str | None = None
    max_retries: int = 2
    request_timeout_s: float = 60.0
    start_timeout_s: float = 120.0

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise PoolError(f"pool mode {self.mode!r}: use one of {', '.join(MODES)}")
        if self.workers < 1 or self.max_retries < 0:
            raise PoolError(f"a pool needs workers >= 1 and max_retries >= 0, got {self}")


@dataclass(frozen=True)
class Request:
    """One request; ``fault`` is injected into its first ``fault_attempts`` attempts."""

    id: int
    payload: Any
    fault: str | None = None
    fault_attempts: int = 1


@dataclass(frozen=True)
class BatchReport:
    """What became of a batch of requests.

    ``latencies_s`` holds, per completed request, the time from its first dispatch to its result
    (retries included). ``recovered`` counts requests that failed at least once and then
    completed; ``lost`` the ids of requests left without a result.
    """

    requests: int
    elapsed_s: float
    latencies_s: tuple[float, ...]
    failed_attempts: int
    recovered: int
    lost: tuple[int, ...]
    replaced_workers: int
    outputs: Mapping[int, Any] = field(default_factory=dict, repr=False, hash=False)
