"""The dependency graph of a tree: who imports or launches whom, cycles, and a migration order.

Nodes are the files of the tree plus the packages they import from outside it (``external:``
and ``stdlib:`` ids, top-level names only). Edges carry the line of the first import and how
it was resolved (see :mod:`benchmig.analyzer._resolve`); an ambiguous import becomes one edge
per candidate, marked ``ambiguous``. Cycles and the migration order use exact edges only:
an ambiguous edge is a guess and must not order anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from benchmig.analyzer._facts import FileFacts, ImportRecord
from benchmig.analyzer._resolve import Resolved, Resolver, search_folders

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Edge",
    "GraphBuilder",
    "GraphFacts",
    "ImportResolution",
    "MigrationStep",
    "Unresolved",
    "build_graph",
    "external_node",
]

logger = logging.getLogger(__name__)

_LOCAL = ("exact", "ambiguous")


@dataclass(frozen=True)
class Edge:
    """One dependency: ``source`` imports (``kind="import"``) or launches ``target``."""

    source: str
    target: str  # a file path, or an "external:<top>" / "stdlib:<top>" node id
    kind: str  # "import" or "subprocess"
    line: int
    resolution: str  # exact, ambiguous, external, stdlib


@dataclass(frozen=True)
class Unresolved:
    """An import or launched script that leads nowhere."""

    source: str
    module: str  # as written (a module name or a script path)
    kind: str
    line: int
    reason: str
    guarded: bool = False  # inside try/except ImportError: the fallback branch always runs


@dataclass(frozen=True)
class ImportResolution:
    """How one :class:`~benchmig.analyzer._facts.ImportRecord` of a file was resolved."""

    resolution: str
    targets: tuple[str, ...] = ()
    reason: str = ""
    via: str = ""  # relative, script_dir, sys_path_hack, root, bare_name, stdlib, external


@dataclass(frozen=True)
class MigrationStep:
    """Files to migrate together; earlier steps hold what later ones depend on."""

    files: tuple[str, ...]
    cycle: bool = False


@dataclass(frozen=True)
class GraphFacts:
    """Everything the dependency graph says about a tree (JSON-ready through ``_analysis``)."""

    edges: tuple[Edge, ...] = ()
    externals: tuple[str, ...] = ()  # external/stdlib node ids, sorted
    unresolved: tuple[Unresolved, ...] = ()
    cycles: tuple[tuple[str, ...], ...] = ()
    orphans: tuple[str, ...] = ()
    fan_in: Mapping[str, int] = field(default_factory=dict)
    fan_out: Mapping[str, int] = field(default_factory=dict)
    migration_order: tuple[MigrationStep, ...] = ()
    imports: Mapping[str, tuple[ImportResolution, ...]] = field(default_factory=dict)

    def local_edges(self, resolution: str | None = None) -> list[Edge]:
        """Edges between files of the tree, optionally of one resolution only."""
        return [
            e
            for e in self.edges
            if e.resolution in _LOCAL and (resolution is None or e.resolution == resolution)
        ]


def external_node(resolved: Resolved) -> str:
    """The node id of a package: ``stdlib:os`` or ``external:torch``."""
    return f"{resolved.resolution}:{resolved.targets[0]}"


class GraphBuilder:
    """Builds the dependency graph file by file: each file's imports are resolved as soon as its
    facts are known (the parent resolves while worker processes still analyse other files).

    Resolution needs only the file's own facts and the tree's path list, so the order in which
    files are added does not matter; :meth:`finish` computes what needs every file.
    """

    def __init__(self, paths: Iterable[str], root_package: str = "") -> None:
        self.root_package = root_package
        self.paths = paths
        self._resolver: Resolver | None = None  # indexed on first use, not before
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.unresolved: list[Unresolved] = []
        self.imports: dict[str, tuple[ImportResolution, ...]] = {}
        self.added: dict[str, FileFacts] = {}
        self.additions = 0

    @property
    def resolver(self) -> Resolver:
        """The import resolver over the tree's paths."""
        if self._resolver is None:
            self._resolver = Resolver(self.paths, root_package=self.root_package)
            _networkx()  # imported now, while workers still run, rather than in finish()
        return self._resolver

    def add_edge(self, source: str, target: str, kind: str, line: int, resolution: str) -> None:
        """Record one edge (the first line and the strongest resolution win)."""
        if target == source:
            return  # a file that finds itself by its own name adds nothing
        key = (source, target, kind)
        known = self.edges.get(key)
        if known is None or (line, resolution) < (known.line, known.resolution):
            self.edges[key] = Edge(source, target, kind, line, resolution)

    def add_file(self, facts: FileFacts) -> None:
        """Resolve the imports and launched scripts of one file of the tree."""
        self.added[facts.path] = facts
        self.additions += 1
        resolver = self.resolver
        search = search_folders(facts, resolver.packages)
        results = []
        for record in facts.imports:
            resolved = resolver.resolve(facts, record, search)
            results.append(
                ImportResolution(
                    resolved.resolution, resolved.targets, resolved.reason, resolved.via
                )
            )
            self._record(
                facts.path, "import", _written(record), record.line, resolved, record.guarded
            )
        self.imports[facts.path] = tuple(results)
        for idiom in facts.idioms_of("subprocess_launch"):
            launched = resolver.resolve_script(facts, idiom)
            if launched is not None:
                written = str(idiom.attrs.get("target"))
                self._record(facts.path, "subprocess", written, idiom.line, launched, False)

    def _record(
        self, source: str, kind: str, written: str, line: int, resolved: Resolved, guarded: bool
    ) -> None:
        if resolved.resolution == "unresolved":
            self.unresolved.append(
                Unresolved(source, written, kind, line, resolved.reason, guarded)
            )
        elif resolved.resolution in _LOCAL:
            for target in resolved.targets:
                self.add_edge(source, target, kind, line, resolved.resolution)
        else:
            self.add_edge(source, external_node(resolved), kind, line, resolved.resolution)

    def holds(self, files: Sequence[FileFacts]) -> bool:
        """Whether exactly ``files`` were added, each once, and the path list is theirs."""
        return (
            self.additions == len(files) == len(self.added)
            and all(self.added.get(f.path) is f for f in files)
            and self.resolver.paths == frozenset(self.added)
        )

    def finish(self, files: Sequence[FileFacts]) -> GraphFacts:
        """The graph facts of ``files``, which must be what was added (otherwise the graph is
        built again from ``files``: the answer is always that of :func:`build_graph`)."""
        if not self.holds(files):
            logger.debug("the incremental graph does not hold these files: building it again")
            return build_graph(files, self.root_package)
        return self._facts(files)

    def _facts(self, files: Sequence[FileFacts]) -> GraphFacts:
        edges = tuple(sorted(self.edges.values(), key=lambda e: (e.source, e.target, e.kind)))
        paths = sorted(f.path for f in files)
        analysed = [f.path for f in sorted(files, key=lambda f: f.path) if f.status != "skipped"]
        local = [e for e in edges if e.resolution in _LOCAL]
        exact: nx.DiGraph[str] = _networkx().DiGraph()
        exact.add_nodes_from(analysed)
        ordered = set(analysed)  # skipped files can be imported, but not migrated
        exact.add_edges_from(
            (e.source, e.target)
            for e in local
            if e.resolution == "exact" and e.source in ordered and e.target in ordered
        )
        fan_in, fan_out = _fans(paths, local)
        connected = {e.source for e in local} | {e.target for e in local}
        # Sorting is stable and a file's entries were added together, in its own order: ties
        # (one file, line and module) keep that order whatever order the files came in.
        unresolved = self.unresolved
        return GraphFacts(
            edges=edges,
            externals=tuple(sorted({e.target for e in edges if e.resolution not in _LOCAL})),
            unresolved=tuple(sorted(unresolved, key=lambda u: (u.source, u.line, u.module))),
            cycles=_cycles(exact),
            orphans=tuple(p for p in analysed if p not in connected),
            fan_in=fan_in,
            fan_out=fan_out,
            migration_order=_migration_order(exact),
            imports={f.path: self.imports[f.path] for f in files},
        )


def _written(record: ImportRecord) -> str:
    """The import as a person reads it: ``.helpers`` for ``from . import helpers``."""
    if record.module.strip(".") or not record.names:
        return record.module
    if len(record.names) == 1:
        return record.module + record.names[0]
    return f"from {record.module} import {', '.join(record.names)}"


def build_graph(files: Sequence[FileFacts], root_package: str = "") -> GraphFacts:
    """Resolve every import and launched script of ``files`` and compute the graph facts.

    ``root_package`` is the name of the analysed folder: when the root holds an
    ``__init__.py``, ``import <root_package>.x`` is resolved inside it.
    """
    builder = GraphBuilder((f.path for f in files), root_package)
    for facts in files:
        builder.add_file(facts)
    return builder._facts(files)


def _networkx() -> Any:
    """networkx, imported on first use (worker processes never need it)."""
    import networkx

    return networkx


def _fans(paths: Iterable[str], local: Iterable[Edge]) -> tuple[dict[str, int], dict[str, int]]:
    sources: dict[str, set[str]] = {p: set() for p in paths}
    targets: dict[str, set[str]] = {p: set() for p in sources}
    for edge in local:
        sources[edge.target].add(edge.source)
        targets[edge.source].add(edge.target)
    return {p: len(s) for p, s in sources.items()}, {p: len(t) for p, t in targets.items()}


def _cycles(exact: nx.DiGraph[str]) -> tuple[tuple[str, ...], ...]:
    networkx = _networkx()
    components = (sorted(c) for c in networkx.strongly_connected_components(exact) if len(c) > 1)
    return tuple(sorted(tuple(c) for c in components))


def _migration_order(exact: nx.DiGraph[str]) -> tuple[MigrationStep, ...]:
    """Dependencies first; each cycle is one step; ties broken by path (a stable order)."""
    networkx = _networkx()
    condensed = networkx.condensation(exact)
    members = {n: tuple(sorted(condensed.nodes[n]["members"])) for n in condensed.nodes}
    # condensed edges run importer -> imported; reversed, a topological order puts deps first
    order = networkx.lexicographical_topological_sort(
        condensed.reverse(copy=False), key=lambda n: members[n][0]
    )
    return tuple(MigrationStep(members[n], len(members[n]) > 1) for n in order)
