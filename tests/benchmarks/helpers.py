"""Running one built-in benchmark case in this process, with short settings."""

from __future__ import annotations

from typing import Any

from benchmig.framework import BenchmarkRunner, CaseResult, RunnerSettings
from benchmig.framework._session import load_registry


def run_case(name: str, repeats: int = 3, **params: Any) -> CaseResult:
    """One case of ``benchmig.benchmarks`` measured in this process (isolation off) on the CPU."""
    registry, errors = load_registry(["benchmig.benchmarks"])
    assert not errors
    settings = RunnerSettings(warmup=0, repeats=repeats, processes=1, max_time=1.0)
    runner = BenchmarkRunner(registry, settings=settings, isolation=False)
    return runner.execute(name, {"hardware": "cpu", **params})


def metric(result: CaseResult, name: str) -> float:
    """A number-valued metric of an ok result."""
    assert result.status == "ok", result.error
    value = result.metrics[name]
    assert isinstance(value, float), f"{name} is not a number: {value!r}"
    return value
