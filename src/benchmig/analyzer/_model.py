"""The in-memory result of analysing a tree: one :class:`FileReport` per file in an
:class:`Analysis` (what ``analysis.json`` holds; see ``_analysis`` for the file formats)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from benchmig.analyzer._classify import Migration
from benchmig.analyzer._clusters import Cluster
from benchmig.analyzer._facts import FileFacts
from benchmig.analyzer._graph import GraphFacts, ImportResolution
from benchmig.analyzer._pipeline import RunStats

__all__ = ["Analysis", "FileReport"]

_STRATEGIES = ("native", "adapter", "manual")
_UNITS = ("function", "class", "module", "orchestrator", "delegating", "none")


@dataclass(frozen=True)
class FileReport:
    """One file of the analysis: its facts, where it sits in the graph, and how to migrate it."""

    facts: FileFacts
    role: str
    unit: str
    migration: Migration
    imports: tuple[ImportResolution, ...] = ()  # one per ``facts.imports``, same order
    cluster: str | None = None
    fan_in: int = 0
    fan_out: int = 0

    @property
    def path(self) -> str:
        """Root-relative POSIX path."""
        return self.facts.path


@dataclass(frozen=True)
class Analysis:
    """Everything ``migrate analyze`` learned about a tree, without importing any of it."""

    root: str  # absolute path of the analysed root
    tool_version: str
    files: tuple[FileReport, ...]  # sorted by path
    graph: GraphFacts
    clusters: tuple[Cluster, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)  # discovery: reason -> entries
    stats: RunStats | None = field(default=None, compare=False)

    @cached_property
    def by_path(self) -> dict[str, FileReport]:
        """Files by root-relative path."""
        return {f.path: f for f in self.files}

    def file(self, path: str) -> FileReport:
        """The report of one file; ``KeyError`` if the analysis has no such path."""
        return self.by_path[path]

    @property
    def summary(self) -> dict[str, Any]:
        """Counts over the whole tree (the ``summary`` object of ``analysis.json``)."""
        status = Counter(f.facts.status for f in self.files)
        roles = Counter(f.role for f in self.files)
        strategies = Counter(f.migration.strategy for f in self.files)
        units = Counter(f.unit for f in self.files if f.role == "benchmark")
        resolutions = Counter(e.resolution for e in self.graph.edges)
        return {
            "files": len(self.files),
            "parsed": status["ok"],
            "parse_errors": status["parse_error"],
            "skipped": status["skipped"],
            "benchmarks": roles["benchmark"],
            "helpers": roles["helper"],
            "tests": roles["test"],
            "other": roles["other"],
            "clusters": len(self.clusters),
            "clustered_files": sum(len(c.members) for c in self.clusters),
            "bytes": sum(f.facts.size_bytes for f in self.files),
            "lines": sum(f.facts.lines for f in self.files),
            "automatic": strategies["native"] + strategies["adapter"],
            "manual": strategies["manual"],
            "strategies": {s: strategies[s] for s in _STRATEGIES},
            "units": {u: units[u] for u in _UNITS},
            "edges": {r: resolutions[r] for r in ("exact", "ambiguous", "external", "stdlib")},
            "unresolved_imports": len(self.graph.unresolved),
            "cycles": len(self.graph.cycles),
            "orphans": len(self.graph.orphans),
            "blockers": sum(len(f.migration.blockers) for f in self.files),
            "skipped_paths": sum(self.skipped.values()),
        }
