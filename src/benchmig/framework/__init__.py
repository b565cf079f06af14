"""The benchmark framework: registry, base class, hardware detection, runner, statistics, results.

Migrated benchmarks and hand-written ones depend on this package alone. Importing it stays cheap
(a benchmark module imports it in every worker process): the runner, statistics and comparison,
which pull in numpy and scipy, are loaded on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from benchmig.framework._base import BenchmarkBase as BenchmarkBase
from benchmig.framework._registry import BenchmarkRegistry as BenchmarkRegistry
from benchmig.framework._registry import BenchmarkSpec as BenchmarkSpec
from benchmig.framework._results import CaseResult as CaseResult
from benchmig.framework._results import RunResults as RunResults
from benchmig.framework._results import SampleStats as SampleStats
from benchmig.framework._settings import RunnerSettings as RunnerSettings

if TYPE_CHECKING:
    from benchmig.framework._compare import Comparison as Comparison
    from benchmig.framework._compare import compare_runs as compare_runs
    from benchmig.framework._hardware import HardwareInfo as HardwareInfo
    from benchmig.framework._hardware import detect_hardware as detect_hardware
    from benchmig.framework._legacy_main import legacy_metrics as legacy_metrics
    from benchmig.framework._legacy_main import run_legacy_main as run_legacy_main
    from benchmig.framework._results_io import load_results as load_results
    from benchmig.framework._results_io import write_results as write_results
    from benchmig.framework._runner import BenchmarkRunner as BenchmarkRunner
    from benchmig.framework._stats import summarize as summarize

_LAZY = {
    "BenchmarkRunner": "benchmig.framework._runner",
    "Comparison": "benchmig.framework._compare",
    "compare_runs": "benchmig.framework._compare",
    "HardwareInfo": "benchmig.framework._hardware",
    "detect_hardware": "benchmig.framework._hardware",
    "legacy_metrics": "benchmig.framework._legacy_main",
    "run_legacy_main": "benchmig.framework._legacy_main",
    "load_results": "benchmig.framework._results_io",
    "write_results": "benchmig.framework._results_io",
    "summarize": "benchmig.framework._stats",
}

__all__ = [
    "BenchmarkBase",
    "BenchmarkRegistry",
    "BenchmarkRunner",
    "BenchmarkSpec",
    "CaseResult",
    "Comparison",
    "HardwareInfo",
    "RunResults",
    "RunnerSettings",
    "SampleStats",
    "compare_runs",
    "detect_hardware",
    "legacy_metrics",
    "load_results",
    "run_legacy_main",
    "summarize",
    "write_results",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'benchmig.framework' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
