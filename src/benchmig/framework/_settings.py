"""Runner settings: how long and how often each case is measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from benchmig.errors import InputError

__all__ = ["RunnerSettings"]


@dataclass(frozen=True)
class RunnerSettings:
    """Measurement settings of one case (defaults suit noisy 2-core CI machines).

    * ``warmup``: warm-up calls per process; ``None`` = automatic (at least one call and
      ``warmup_time`` seconds).
    * ``repeats``: samples per process; ``None`` = adaptive: sample until the 95% confidence
      interval of the median is within ``target_precision`` of it, or the time budget is spent.
    * ``processes``: worker processes (rounds) per case, spread over the run so that
      between-process noise is measured and compared fairly (see docs/architecture.md).
    * ``min_sample_time``: very short calls are repeated in an inner loop calibrated so that one
      sample lasts at least this long (clock resolution and loop overhead become negligible).
    * ``max_time``: time budget of one case across all its processes (seconds).
    * ``timeout``: a case running longer than this in one process is killed (``status: timeout``).
    """

    warmup: int | None = None
    warmup_time: float = 0.1
    repeats: int | None = None
    min_repeats: int = 5
    max_repeats: int = 10_000
    min_time: float = 0.2
    max_time: float = 3.0
    target_precision: float = 0.005
    min_sample_time: float = 0.005
    processes: int = 3
    timeout: float = 300.0

    def __post_init__(self) -> None:
        checks = [
            (self.warmup is None or self.warmup >= 0, "warmup must be >= 0"),
            (self.repeats is None or self.repeats >= 1, "repeats must be >= 1"),
            (self.processes >= 1, "processes must be >= 1"),
            (self.timeout > 0, "timeout must be > 0 seconds"),
            (self.max_time > 0, "max_time must be > 0 seconds"),
            (self.min_repeats >= 1, "min_repeats must be >= 1"),
        ]
        for ok, message in checks:
            if not ok:
                raise InputError(f"invalid runner setting: {message}")

    def with_overrides(self, overrides: Mapping[str, Any]) -> RunnerSettings:
        """A copy with the given fields replaced (unknown names are an error)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise InputError(
                f"unknown runner setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return replace(self, **dict(overrides))

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunnerSettings:
        """Inverse of :meth:`to_dict`."""
        return cls().with_overrides(data)
