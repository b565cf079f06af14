"""What a codemod did to one file: the records the apply engine collects and reports.

Codemods (LibCST ``VisitorBasedCodemodCommand`` subclasses) append :class:`UnitOutcome` records to
``context.scratch[OUTCOMES_KEY]`` (a list) as they decide each measured unit; the engine turns
them, with the file's diff status, into a :class:`FileOutcome`. All records are frozen and
picklable, so a process pool can return them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ANALYSIS_KEY", "FACTS_KEY", "OUTCOMES_KEY", "FileOutcome", "Tier", "UnitOutcome"]

OUTCOMES_KEY = "benchmig.outcomes"  # context.scratch key: list[UnitOutcome]
FACTS_KEY = "benchmig.facts"  # context.scratch key: the file's analyzer FileFacts (when known)
ANALYSIS_KEY = "benchmig.analysis"  # context.scratch key: tree-level facts (graph, clusters...)

Tier = Literal["native", "adapter", "manual"]


@dataclass(frozen=True)
class UnitOutcome:
    """The decision for one measured unit (a timing function, class, module block, ...)."""

    unit: str  # qualified name in the file: "run_benchmark", "ModelBenchmark.run", "<module>"
    kind: str  # function | class | module | timeit | cuda_event | helper_call | orchestrator
    line: int
    tier: Tier
    codemod: str  # the codemod that decided it, e.g. "register-benchmark"
    benchmarks: tuple[str, ...] = ()  # registered benchmark names created for this unit
    params: Mapping[str, Any] = field(default_factory=dict)  # the params grid extracted
    settings: Mapping[str, Any] = field(default_factory=dict)  # warmup/repeats... moved to metadata
    reasons: tuple[str, ...] = ()  # why adapter/manual: "path:line: what a person must do"
    warnings: tuple[str, ...] = ()
    simulated: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``migrate apply --report``)."""
        return {
            "unit": self.unit,
            "kind": self.kind,
            "line": self.line,
            "tier": self.tier,
            "codemod": self.codemod,
            "benchmarks": list(self.benchmarks),
            "params": dict(self.params),
            "settings": dict(self.settings),
            "reasons": list(self.reasons),
            "warnings": list(self.warnings),
            "simulated": self.simulated,
        }


@dataclass(frozen=True)
class FileOutcome:
    """What ``migrate apply`` did (or would do) to one file."""

    path: str  # relative to the root, POSIX
    status: Literal["changed", "unchanged", "skipped", "error"]
    strategy: Literal["native", "adapter", "manual", "migrated", "helper", "none"]
    units: tuple[UnitOutcome, ...] = ()
    codemods: tuple[str, ...] = ()  # codemods that changed the file
    warnings: tuple[str, ...] = ()
    error: str | None = None  # why the file was left alone (parse error, unsafe output, ...)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``migrate apply --report``)."""
        return {
            "path": self.path,
            "status": self.status,
            "strategy": self.strategy,
            "units": [u.to_dict() for u in self.units],
            "codemods": list(self.codemods),
            "warnings": list(self.warnings),
            "error": self.error,
        }
