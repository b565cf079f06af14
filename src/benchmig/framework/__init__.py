"""The benchmark framework: registry, base class, hardware detection, runner, statistics, results.

Migrated benchmarks and hand-written ones depend on this package alone.
"""

from benchmig.framework._base import BenchmarkBase as BenchmarkBase
from benchmig.framework._registry import BenchmarkRegistry as BenchmarkRegistry
from benchmig.framework._registry import BenchmarkSpec as BenchmarkSpec
from benchmig.framework._results import CaseResult as CaseResult
from benchmig.framework._results import RunResults as RunResults
from benchmig.framework._results import SampleStats as SampleStats

__all__ = [
    "BenchmarkBase",
    "BenchmarkRegistry",
    "BenchmarkSpec",
    "CaseResult",
    "RunResults",
    "SampleStats",
]
