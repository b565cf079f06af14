"""What the analysis reports say, computed once for HTML and Markdown alike.

The numbers of the overview, blockers grouped by kind, the migration order grouped into *waves*
(files of one wave depend only on earlier waves, so they can be migrated in parallel), and the
compact row data the HTML page's tables render from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmig.analyzer._graph import MigrationStep
from benchmig.analyzer._model import Analysis, FileReport
from benchmig.reports.graph_layout import dependency_layers

__all__ = [
    "BlockerKind",
    "Wave",
    "blocked_files",
    "blocker_kinds",
    "cluster_rows",
    "failure_rows",
    "file_rows",
    "migration_waves",
    "numbered_steps",
    "unresolved_rows",
]

FILE_FIELDS = (
    "path",
    "role",
    "unit",
    "status",
    "strategy",
    "confidence",
    "lines",
    "complexity",
    "fan_in",
    "fan_out",
    "step",
    "wave",
    "cluster",
    "codemods",
    "error",
    "idioms",
    "scopes",
    "blockers",
)
_DETAIL_CHARS = 120  # idiom details and messages are clipped in the page (the JSON has all)

BLOCKER_HELP = {
    "parse_error": "the file does not parse; fix or drop it",
    "skipped": "the file was not analysed (binary, too large, not Python...)",
    "simulation": "fabricated numbers stand in for measurements",
    "ambiguous_import": "an import matches several files of the tree",
    "unresolved_import": "an import matches no file and no installed package",
    "missing_script": "a launched script does not exist",
    "dynamic_code": "exec/eval/__import__: what runs cannot be known statically",
    "tensorflow_jax": "TensorFlow/JAX code: ported by hand",
    "no_unit": "a benchmark without a measured function, class or block",
}


@dataclass(frozen=True)
class BlockerKind:
    """All blockers of one kind: how many, in how many files, and the first one."""

    kind: str
    count: int
    files: int
    help: str
    example: str  # path:line of the first occurrence
    reason: str


@dataclass(frozen=True)
class Wave:
    """Steps of the migration order whose dependencies all lie in earlier waves."""

    number: int
    steps: tuple[MigrationStep, ...]

    @property
    def files(self) -> int:
        """Files in this wave."""
        return sum(len(s.files) for s in self.steps)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every file of the wave, in step order."""
        return tuple(p for s in self.steps for p in s.files)

    @property
    def cycles(self) -> int:
        """Steps that are import cycles (migrated together)."""
        return sum(s.cycle for s in self.steps)


def blocker_kinds(analysis: Analysis) -> list[BlockerKind]:
    """Blocker kinds, most frequent first."""
    count: Counter[str] = Counter()
    files: dict[str, set[str]] = defaultdict(set)
    first: dict[str, tuple[str, str]] = {}
    for report in analysis.files:
        for blocker in report.migration.blockers:
            count[blocker.kind] += 1
            files[blocker.kind].add(report.path)
            first.setdefault(blocker.kind, (blocker.location, blocker.reason))
    return [
        BlockerKind(kind, n, len(files[kind]), BLOCKER_HELP.get(kind, ""), *first[kind])
        for kind, n in sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def blocked_files(analysis: Analysis, limit: int) -> list[FileReport]:
    """Benchmarks with the most blockers first (then any file), at most ``limit``."""
    blocked = [f for f in analysis.files if f.migration.blockers]
    blocked.sort(key=lambda f: (f.role != "benchmark", -len(f.migration.blockers), f.path))
    return blocked[:limit]


def migration_waves(analysis: Analysis) -> list[Wave]:
    """The analyzer's migration order, grouped into waves.

    Inside a wave (whose steps do not depend on each other) the steps imported by the most
    files come first, as they unblock the most work; ties keep the analyzer's order.
    """
    steps = analysis.graph.migration_order
    index = {path: i for i, step in enumerate(steps) for path in step.files}
    edges = [
        (index[e.source], index[e.target])
        for e in analysis.graph.edges
        if e.resolution == "exact" and e.source in index and e.target in index
    ]
    layers = dependency_layers(range(len(steps)), edges)
    fan_in = {f.path: f.fan_in for f in analysis.files}
    grouped: dict[int, list[tuple[int, int, MigrationStep]]] = defaultdict(list)
    for i, step in enumerate(steps):
        grouped[layers[i]].append((-sum(fan_in.get(p, 0) for p in step.files), i, step))
    return [Wave(n + 1, tuple(s for *_, s in sorted(grouped[n]))) for n in sorted(grouped)]


def numbered_steps(waves: Sequence[Wave]) -> list[tuple[int, Wave, MigrationStep]]:
    """``(step number, wave, step)`` in the recommended order, numbered from 1."""
    out: list[tuple[int, Wave, MigrationStep]] = []
    for wave in waves:
        for step in wave.steps:
            out.append((len(out) + 1, wave, step))
    return out


def _clip(text: str, limit: int = _DETAIL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _error(report: FileReport) -> str:
    error = report.facts.error
    if error is None:
        return ""
    where = "" if error.line is None else f" (line {error.line}, col {error.col or 0})"
    return _clip(f"{error.reason}: {error.message}{where}")


def _idioms(report: FileReport, kinds: dict[str, int]) -> tuple[list[list[Any]], list[str]]:
    """Idioms as ``[kind id, line, detail, scope id]`` plus the file's table of scopes."""
    scopes: dict[str, int] = {}
    out = []
    for idiom in report.facts.idioms:
        kind = kinds.setdefault(idiom.kind, len(kinds))
        scope = scopes.setdefault(idiom.scope, len(scopes))
        detail = idiom.detail if len(idiom.detail) <= _DETAIL_CHARS else _clip(idiom.detail)
        out.append([kind, idiom.line, detail, scope])
    return out, list(scopes)


def file_rows(analysis: Analysis, waves: Sequence[Wave]) -> dict[str, Any]:
    """The page's file table: ``{"fields", "rows", "kinds"}``.

    Compact, as a tree of thousands of files carries ~100,000 idioms: an idiom is
    ``[kind id, line, detail, scope id]``; ``kinds`` names the kind ids and each row its scopes.
    """
    place = {
        path: (number, wave.number)
        for number, wave, step in numbered_steps(waves)
        for path in step.files
    }
    kinds: dict[str, int] = {}
    rows = []
    for f in analysis.files:
        step, wave = place.get(f.path, (None, None))
        m = f.migration
        idioms, scopes = _idioms(f, kinds)
        rows.append(
            [
                f.path,
                f.role,
                f.unit,
                f.facts.status,
                m.strategy,
                m.confidence,
                f.facts.lines,
                f.facts.complexity,
                f.fan_in,
                f.fan_out,
                step,
                wave,
                f.cluster or "",
                list(m.codemods),
                _error(f),
                idioms,
                scopes,
                [[b.kind, b.line, _clip(b.reason)] for b in m.blockers],
            ]
        )
    return {"fields": FILE_FIELDS, "kinds": list(kinds), "rows": rows}


def failure_rows(analysis: Analysis) -> dict[str, Any]:
    """Files that failed to parse or were skipped, with their reasons."""
    rows = [
        [f.path, f.facts.status, e.reason, e.line, e.col, _clip(e.message, 400)]
        for f in analysis.files
        if (e := f.facts.error) is not None
    ]
    return {"fields": ("path", "status", "reason", "line", "col", "message"), "rows": rows}


def unresolved_rows(analysis: Analysis) -> dict[str, Any]:
    """Imports and launched scripts that lead nowhere."""
    rows = [
        [u.source, u.line, u.module, u.kind, _clip(u.reason, 300), u.guarded]
        for u in analysis.graph.unresolved
    ]
    return {"fields": ("path", "line", "module", "kind", "reason", "guarded"), "rows": rows}


def cluster_rows(analysis: Analysis) -> dict[str, Any]:
    """Near-duplicate clusters with their members."""
    rows = [
        [c.id, len(c.members), c.representative, round(c.similarity, 3), c.exact, list(c.members)]
        for c in analysis.clusters
    ]
    fields = ("id", "size", "representative", "similarity", "exact", "members")
    return {"fields": fields, "rows": rows}
