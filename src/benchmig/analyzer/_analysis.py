"""``analysis.json`` and ``dependency-graph.graphml``: writing, reading, and the JSON form.

``analysis.json`` (``kind: benchmig-analysis``, ``schema_version`` 1) is the contract between
``migrate analyze`` and everything after it (reports, codemods, people); docs/schemas.md
describes every field. Output is stable: files, edges, nodes and clusters are sorted, so the same
tree gives byte-identical JSON. :func:`load_analysis` reads it back into an equal
:class:`~benchmig.analyzer._model.Analysis` (fingerprints and run statistics are not stored).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from types import GeneratorType
from typing import Any

from benchmig._io import atomic_write_text, read_json_document
from benchmig.analyzer._classify import Blocker, Migration
from benchmig.analyzer._clusters import Cluster
from benchmig.analyzer._facts import FileError, FileFacts, Idiom, ImportRecord
from benchmig.analyzer._graph import Edge, GraphFacts, ImportResolution, MigrationStep, Unresolved
from benchmig.analyzer._graphml import graph_nodes, graphml_lines, to_networkx
from benchmig.analyzer._model import Analysis, FileReport
from benchmig.analyzer._worker import paused_gc
from benchmig.errors import InputError

__all__ = [
    "ANALYSIS_KIND",
    "ANALYSIS_SCHEMA_VERSION",
    "analysis_from_dict",
    "analysis_to_dict",
    "load_analysis",
    "render_analysis",
    "to_networkx",
    "write_analysis",
]

ANALYSIS_KIND = "benchmig-analysis"
ANALYSIS_SCHEMA_VERSION = 1


def _file_to_dict(report: FileReport) -> dict[str, Any]:
    facts = report.facts
    imports = []
    for record, resolved in zip(facts.imports, report.imports, strict=True):
        entry = record.to_dict()
        entry.update(
            resolution=resolved.resolution,
            targets=list(resolved.targets),
            via=resolved.via,
            reason=resolved.reason,
        )
        imports.append(entry)
    migration = report.migration
    return {
        "path": facts.path,
        "module": facts.module,
        "status": facts.status,
        "error": None if facts.error is None else facts.error.to_dict(),
        "role": report.role,
        "unit": report.unit,
        "cluster": report.cluster,
        "migration": {
            "strategy": migration.strategy,
            "confidence": migration.confidence,
            "codemods": list(migration.codemods),
            "blockers": [b.to_dict() for b in migration.blockers],
        },
        "size_bytes": facts.size_bytes,
        "lines": facts.lines,
        "sha256": facts.sha256,
        "crlf": facts.crlf,
        "complexity": facts.complexity,
        "max_function_complexity": facts.max_function_complexity,
        "fan_in": report.fan_in,
        "fan_out": report.fan_out,
        "has_main_guard": facts.has_main_guard,
        "definitions": list(facts.definitions),
        "classes": list(facts.classes),
        "functions": list(facts.functions),
        "idioms": [i.to_dict() for i in facts.idioms],
        "imports": imports,
        "extra": dict(facts.extra),
    }


def _document(analysis: Analysis) -> dict[str, Any]:
    """The document, with ``files`` as a generator (the writer streams it)."""
    graph = analysis.graph
    return {
        "schema_version": ANALYSIS_SCHEMA_VERSION,
        "kind": ANALYSIS_KIND,
        "tool": {"name": "benchmig", "version": analysis.tool_version},
        "root": analysis.root,
        "summary": analysis.summary,
        "skipped": dict(sorted(analysis.skipped.items())),
        "files": (_file_to_dict(f) for f in analysis.files),
        "graph": {
            "nodes": graph_nodes(analysis),
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "kind": e.kind,
                    "line": e.line,
                    "resolution": e.resolution,
                }
                for e in graph.edges
            ],
            "cycles": [list(c) for c in graph.cycles],
            "orphans": list(graph.orphans),
            "unresolved": [
                {
                    "source": u.source,
                    "module": u.module,
                    "kind": u.kind,
                    "line": u.line,
                    "reason": u.reason,
                    "guarded": u.guarded,
                }
                for u in graph.unresolved
            ],
        },
        "clusters": [
            {
                "id": c.id,
                "size": len(c.members),
                "representative": c.representative,
                "similarity": c.similarity,
                "exact": c.exact,
                "members": list(c.members),
            }
            for c in analysis.clusters
        ],
        "migration_order": [
            {"step": n, "files": list(s.files), "cycle": s.cycle}
            for n, s in enumerate(graph.migration_order, 1)
        ],
    }


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The ``analysis.json`` document of ``analysis`` (JSON-ready, stable order)."""
    document = _document(analysis)
    document["files"] = list(document["files"])
    return document


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _is_rows(value: Any) -> bool:
    if isinstance(value, GeneratorType):
        return True
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _member(key: str, value: Any, last: bool, depth: int) -> Iterator[str]:
    """One ``"key": value`` of an object; lists of objects get one object per line."""
    indent = "  " * depth
    end = "\n" if last else ",\n"
    if isinstance(value, dict) and any(_is_rows(v) for v in value.values()):
        yield f"{indent}{_dump(key)}: {{\n"
        for n, (inner_key, inner) in enumerate(value.items(), 1):
            yield from _member(inner_key, inner, n == len(value), depth + 1)
        yield f"{indent}}}{end}"
    elif _is_rows(value):
        rows = [f"{indent}  {_dump(row)}" for row in value]
        body = ",\n".join(rows)
        yield (
            f"{indent}{_dump(key)}: [\n{body}\n{indent}]{end}"
            if rows
            else f"{indent}{_dump(key)}: []{end}"
        )
    else:
        yield f"{indent}{_dump(key)}: {_dump(value)}{end}"


def render_analysis(analysis: Analysis) -> str:
    """The text of ``analysis.json``: JSON with one file, node, edge, cluster or step per line
    (greppable and diff-friendly, and written by the C encoder: fast on 100 MB documents)."""
    document = _document(analysis)
    parts = ["{\n"]
    for n, (key, value) in enumerate(document.items(), 1):
        parts.extend(_member(key, value, n == len(document), 1))
    parts.append("}\n")
    return "".join(parts)


def _file_from_dict(data: Mapping[str, Any]) -> FileReport:
    imports = tuple(ImportRecord.from_dict(i) for i in data["imports"])
    facts = FileFacts(
        path=data["path"],
        module=data["module"],
        status=data["status"],
        sha256=data.get("sha256", ""),
        size_bytes=int(data.get("size_bytes", 0)),
        lines=int(data.get("lines", 0)),
        error=None if data.get("error") is None else FileError.from_dict(data["error"]),
        imports=imports,
        definitions=tuple(data.get("definitions", ())),
        classes=tuple(data.get("classes", ())),
        functions=tuple(data.get("functions", ())),
        idioms=tuple(Idiom.from_dict(i) for i in data["idioms"]),
        complexity=int(data.get("complexity", 0)),
        max_function_complexity=int(data.get("max_function_complexity", 0)),
        has_main_guard=bool(data.get("has_main_guard", False)),
        crlf=bool(data.get("crlf", False)),
        extra=dict(data.get("extra") or {}),
    )
    migration = data["migration"]
    blockers = tuple(
        Blocker(b["path"], b.get("line"), b["kind"], b["reason"]) for b in migration["blockers"]
    )
    return FileReport(
        facts=facts,
        role=data["role"],
        unit=data["unit"],
        migration=Migration(
            migration["strategy"],
            float(migration["confidence"]),
            tuple(migration["codemods"]),
            blockers,
        ),
        imports=tuple(
            ImportResolution(
                i["resolution"], tuple(i.get("targets", ())), i.get("reason", ""), i.get("via", "")
            )
            for i in data["imports"]
        ),
        cluster=data.get("cluster"),
        fan_in=int(data.get("fan_in", 0)),
        fan_out=int(data.get("fan_out", 0)),
    )


def _graph_from_dict(data: Mapping[str, Any], files: tuple[FileReport, ...]) -> GraphFacts:
    return GraphFacts(
        edges=tuple(
            Edge(e["source"], e["target"], e["kind"], int(e["line"]), e["resolution"])
            for e in data["edges"]
        ),
        externals=tuple(n["id"] for n in data["nodes"] if n["kind"] != "file"),
        unresolved=tuple(
            Unresolved(
                u["source"],
                u["module"],
                u["kind"],
                int(u["line"]),
                u["reason"],
                bool(u.get("guarded", False)),
            )
            for u in data["unresolved"]
        ),
        cycles=tuple(tuple(c) for c in data["cycles"]),
        orphans=tuple(data["orphans"]),
        fan_in={f.path: f.fan_in for f in files},
        fan_out={f.path: f.fan_out for f in files},
        imports={f.path: f.imports for f in files},
    )


def analysis_from_dict(document: Mapping[str, Any]) -> Analysis:
    """Inverse of :func:`analysis_to_dict` (raises ``KeyError``/``TypeError`` if malformed)."""
    files = tuple(_file_from_dict(f) for f in document["files"])
    graph = _graph_from_dict(document["graph"], files)
    steps = tuple(
        MigrationStep(tuple(s["files"]), bool(s.get("cycle", False)))
        for s in document["migration_order"]
    )
    return Analysis(
        root=document["root"],
        tool_version=document["tool"]["version"],
        files=files,
        graph=replace(graph, migration_order=steps),
        clusters=tuple(
            Cluster(
                c["id"],
                tuple(c["members"]),
                c["representative"],
                float(c["similarity"]),
                bool(c.get("exact", False)),
            )
            for c in document["clusters"]
        ),
        skipped={str(k): int(v) for k, v in document.get("skipped", {}).items()},
    )


def write_analysis(analysis: Analysis, out_dir: Path) -> list[Path]:
    """Write ``analysis.json`` and ``dependency-graph.graphml`` into ``out_dir`` (created if
    needed), each atomically; return their paths."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    json_path = out_dir / "analysis.json"
    graphml_path = out_dir / "dependency-graph.graphml"
    with paused_gc():
        atomic_write_text(json_path, render_analysis(analysis))
        atomic_write_text(graphml_path, "\n".join(graphml_lines(to_networkx(analysis))) + "\n")
    return [json_path, graphml_path]


def load_analysis(path: Path | str) -> Analysis:
    """Read an ``analysis.json`` back (older schemas upgraded; a newer one is refused).

    Raises :class:`~benchmig.errors.InputError` for a missing, invalid or malformed file.
    """
    document = read_json_document(
        path, kind=ANALYSIS_KIND, current_version=ANALYSIS_SCHEMA_VERSION, upgrades={}
    )
    try:
        with paused_gc():
            return analysis_from_dict(document)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"{path} is not a valid analysis: {type(exc).__name__}: {exc}; re-create it with "
            "'migrate analyze'"
        ) from exc
