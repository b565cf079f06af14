"""Result records of a benchmark run and their JSON form (``results.json``, see docs/schemas.md).

Every record is a frozen dataclass; ``to_dict``/``from_dict`` are the only place the JSON shape is
written down. Raw samples are kept so that ``migrate compare`` can run rank tests on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "RESULTS_SCHEMA_VERSION",
    "CaseResult",
    "CaseStatus",
    "RunResults",
    "SampleStats",
    "case_key",
]

RESULTS_SCHEMA_VERSION = 1

CaseStatus = Literal["ok", "failed", "skipped", "timeout"]


@dataclass(frozen=True)
class SampleStats:
    """Summary statistics of one metric's samples."""

    median: float
    mean: float
    stdev: float
    min: float
    max: float
    p90: float
    p99: float
    iqr: float
    ci95: tuple[float, float]
    n: int

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``ci95`` as a two-element list)."""
        return {
            "median": self.median,
            "mean": self.mean,
            "stdev": self.stdev,
            "min": self.min,
            "max": self.max,
            "p90": self.p90,
            "p99": self.p99,
            "iqr": self.iqr,
            "ci95": [self.ci95[0], self.ci95[1]],
            "n": self.n,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SampleStats:
        """Inverse of :meth:`to_dict`."""
        lo, hi = data["ci95"]
        return cls(
            median=float(data["median"]),
            mean=float(data["mean"]),
            stdev=float(data["stdev"]),
            min=float(data["min"]),
            max=float(data["max"]),
            p90=float(data["p90"]),
            p99=float(data["p99"]),
            iqr=float(data.get("iqr", 0.0)),
            ci95=(float(lo), float(hi)),
            n=int(data["n"]),
        )


def case_key(benchmark: str, params: Mapping[str, Any], hardware: str) -> str:
    """The identity of a result across runs: benchmark, params and hardware (never name alone)."""
    import json

    return f"{benchmark}|{json.dumps(dict(params), sort_keys=True, default=str)}|{hardware}"


@dataclass(frozen=True)
class CaseResult:
    """The result of one (benchmark, params combination, hardware) case.

    ``metrics`` maps a metric name to :class:`SampleStats` (timed metrics such as ``latency_ms``
    and ``throughput_per_s``) or to a plain number (``peak_memory_mb`` and custom metrics from
    ``process_results``). ``samples`` keeps the raw per-sample values of the timed metrics, and
    ``sample_groups`` the worker process (round) each sample came from, so that comparisons can
    separate within-process from between-process noise.
    """

    benchmark: str
    params: Mapping[str, Any]
    hardware: str
    status: CaseStatus
    category: str = "micro"
    metrics: Mapping[str, SampleStats | float] = field(default_factory=dict)
    samples: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    sample_groups: tuple[int, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    simulated: bool = False
    duration_s: float = 0.0

    @property
    def key(self) -> str:
        """See :func:`case_key`."""
        return case_key(self.benchmark, self.params, self.hardware)

    def stats(self, metric: str) -> SampleStats | None:
        """The :class:`SampleStats` of a timed metric, or ``None``."""
        value = self.metrics.get(metric)
        return value if isinstance(value, SampleStats) else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/schemas.md)."""
        return {
            "benchmark": self.benchmark,
            "params": dict(self.params),
            "hardware": self.hardware,
            "category": self.category,
            "status": self.status,
            "metrics": {
                k: v.to_dict() if isinstance(v, SampleStats) else v for k, v in self.metrics.items()
            },
            "samples": {k: list(v) for k, v in self.samples.items()},
            "sample_groups": list(self.sample_groups),
            "settings": dict(self.settings),
            "simulated": self.simulated,
            "duration_s": self.duration_s,
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CaseResult:
        """Inverse of :meth:`to_dict`."""
        metrics: dict[str, SampleStats | float] = {}
        for name, value in (data.get("metrics") or {}).items():
            if isinstance(value, Mapping):
                metrics[name] = SampleStats.from_dict(value)
            elif isinstance(value, int | float):
                metrics[name] = float(value)
        return cls(
            benchmark=str(data["benchmark"]),
            params=dict(data.get("params") or {}),
            hardware=str(data.get("hardware", "cpu")),
            status=data["status"],
            category=str(data.get("category", "micro")),
            metrics=metrics,
            samples={k: tuple(float(x) for x in v) for k, v in (data.get("samples") or {}).items()},
            sample_groups=tuple(int(g) for g in data.get("sample_groups") or ()),
            settings=dict(data.get("settings") or {}),
            error=data.get("error"),
            simulated=bool(data.get("simulated", False)),
            duration_s=float(data.get("duration_s", 0.0)),
        )


@dataclass(frozen=True)
class RunResults:
    """One run of ``migrate run``: environment metadata and every case result."""

    run_id: str
    started_at: str
    finished_at: str
    environment: Mapping[str, Any]
    results: tuple[CaseResult, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)
    interrupted: bool = False
    schema_version: int = RESULTS_SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON form (see docs/schemas.md)."""
        return {
            "schema_version": self.schema_version,
            "kind": "benchmig-results",
            "run_id": self.run_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "interrupted": self.interrupted,
            "settings": dict(self.settings),
            "environment": dict(self.environment),
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunResults:
        """Inverse of :meth:`to_dict` (the caller has already upgraded old schema versions)."""
        return cls(
            run_id=str(data.get("run_id", "")),
            started_at=str(data.get("started_at", "")),
            finished_at=str(data.get("finished_at", "")),
            environment=dict(data.get("environment") or {}),
            results=tuple(CaseResult.from_dict(r) for r in data.get("results") or ()),
            settings=dict(data.get("settings") or {}),
            interrupted=bool(data.get("interrupted", False)),
            schema_version=int(data.get("schema_version", RESULTS_SCHEMA_VERSION)),
        )
