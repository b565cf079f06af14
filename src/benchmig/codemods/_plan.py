"""What ``migrate apply`` will do to each file, and in which order, decided from the analysis.

Only files some codemod applies to are parsed with LibCST; the rest are copied byte for byte
(``--out``) or left alone. Order follows the dependency graph: a file waits for the files it
imports or launches (exact edges only: an ambiguous edge is a guess), so a caller's rewrite
sees what its helpers became. Files of one import cycle run together. A duplicate cluster's
members wait for its representative, whose outcome is the decision applied to them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from benchmig.analyzer import Analysis, Cluster, FileReport
from benchmig.codemods._registry import CODEMOD_ORDER

__all__ = ["ApplyPlan", "FilePlan", "build_plan", "plan_codemods"]

_WALL_CLOCKS = ("time.time", "time.clock")


@dataclass(frozen=True)
class FilePlan:
    """One file: transform it with ``codemods``, or leave it (``reason`` says why)."""

    path: str
    codemods: tuple[str, ...] = ()
    reason: str = ""  # for files that are not transformed
    cluster: str | None = None
    deps: tuple[str, ...] = ()  # transformed files that must finish first

    @property
    def transform(self) -> bool:
        """Whether the file is parsed and rewritten."""
        return bool(self.codemods)


@dataclass(frozen=True)
class ApplyPlan:
    """Every file of the tree with its plan, and the clusters to decide once."""

    files: Mapping[str, FilePlan]
    clusters: tuple[Cluster, ...] = ()
    groups: Mapping[str, int] = field(default_factory=dict)  # path -> cycle group id

    @property
    def transformed(self) -> list[str]:
        """Paths to rewrite, sorted."""
        return sorted(p for p, f in self.files.items() if f.transform)


def _uses_wall_clock(report: FileReport) -> bool:
    for idiom in report.facts.idioms:
        clock = idiom.attrs.get("clock")
        if idiom.kind in ("timer", "timed_region") and clock in _WALL_CLOCKS:
            return True
    return False


def plan_codemods(report: FileReport, selected: Iterable[str] = CODEMOD_ORDER) -> tuple[str, ...]:
    """The codemods to run on one file, in run order: what the analysis lists, plus
    ``replace-timers`` wherever wall-clock deltas time something (helpers included) and
    ``register-benchmark`` for delegating entry points (they measure through a runner)."""
    if report.facts.status != "ok":
        return ()
    wanted = set(report.migration.codemods)
    if _uses_wall_clock(report):
        wanted.add("replace-timers")
    if report.role == "benchmark" and report.unit == "delegating":
        wanted.add("register-benchmark")  # an adapter around the entry point, at least
    chosen = set(selected)
    return tuple(name for name in CODEMOD_ORDER if name in wanted and name in chosen)


def _reason(report: FileReport) -> str:
    facts = report.facts
    if facts.error is not None:
        return f"{facts.status} ({facts.error.reason}): {facts.error.message}"
    return "no codemod applies"


def build_plan(analysis: Analysis, selected: Sequence[str] = CODEMOD_ORDER) -> ApplyPlan:
    """Plan every file of ``analysis`` with the ``selected`` codemods."""
    codemods = {r.path: plan_codemods(r, selected) for r in analysis.files}
    candidates = {p for p, names in codemods.items() if names}
    deps: dict[str, set[str]] = {p: set() for p in candidates}
    for edge in analysis.graph.local_edges("exact"):
        if edge.source in candidates and edge.target in candidates and edge.source != edge.target:
            deps[edge.source].add(edge.target)
    for cluster in analysis.clusters:
        if cluster.representative in candidates:
            for member in cluster.members:
                if member in candidates and member != cluster.representative:
                    deps[member].add(cluster.representative)
    groups = _cycle_groups(deps)
    files = {}
    for report in analysis.files:
        path = report.path
        own = {d for d in deps.get(path, ()) if groups.get(d) != groups.get(path)}
        files[path] = FilePlan(
            path=path,
            codemods=codemods[path],
            reason="" if codemods[path] else _reason(report),
            cluster=report.cluster,
            deps=tuple(sorted(own)),
        )
    return ApplyPlan(files, analysis.clusters, groups)


def _cycle_groups(deps: Mapping[str, set[str]]) -> dict[str, int]:
    """Strongly connected components of the dependency graph: members wait for nothing
    inside their own group (an import cycle, or a cluster member its representative imports)."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(deps)
    graph.add_edges_from((source, target) for source, targets in deps.items() for target in targets)
    groups: dict[str, int] = {}
    for index, component in enumerate(nx.strongly_connected_components(graph)):
        for path in component:
            groups[path] = index
    return groups
