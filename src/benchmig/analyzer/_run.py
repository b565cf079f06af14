"""``analyze_paths``: discovery -> parallel extraction -> graph -> clusters -> classification."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from benchmig import __version__
from benchmig.analyzer._cache import default_cache_dir
from benchmig.analyzer._classify import MEASUREMENT_KINDS, FileContext, classify
from benchmig.analyzer._clusters import find_clusters
from benchmig.analyzer._discover import discover
from benchmig.analyzer._facts import FileFacts
from benchmig.analyzer._graph import GraphBuilder, GraphFacts, Unresolved, build_graph
from benchmig.analyzer._model import Analysis, FileReport
from benchmig.analyzer._pipeline import (
    DEFAULT_MAX_BYTES,
    FileRecord,
    Pipeline,
    PipelineOptions,
    RunStats,
)
from benchmig.analyzer._worker import paused_gc

__all__ = ["analyze_paths", "build_analysis"]

logger = logging.getLogger(__name__)


def analyze_paths(
    paths: Sequence[Path],
    *,
    jobs: int | None = None,
    excludes: Sequence[str] = (),
    use_cache: bool = True,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Analysis:
    """Analyse the Python files under ``paths`` statically (nothing is imported or run).

    ``paths`` are files or folders below one root (their common folder). ``jobs`` worker
    processes (default: one per CPU; ``1`` runs in this process), ``excludes`` gitignore-style
    patterns relative to the root, the content-hash cache in ``cache_dir`` (default
    ``$XDG_CACHE_HOME/benchmig``) unless ``use_cache`` is false. ``progress(done, total)`` is
    called as files complete. Raises :class:`~benchmig.errors.InputError` for a missing path
    or ``jobs < 1``; a file that cannot be analysed never stops the run.
    """
    folder = (cache_dir or default_cache_dir()) if use_cache else None
    options = PipelineOptions(jobs=jobs, cache_dir=folder, max_bytes=max_bytes)
    with Pipeline(options) as pipeline:
        with paused_gc():  # cached records are taken as the walk finds their files
            discovery = discover(paths, excludes=excludes, on_file=pipeline.offer)
        logger.info("analysing %d files below %s", len(discovery.files), discovery.root)
        every_path = [f.rel_path for f in discovery.files] + [p.path for p in discovery.problems]
        # Imports are resolved as records arrive, while the workers analyse the rest.
        graph = GraphBuilder(every_path, root_package=discovery.root.name)
        records, stats = pipeline.run(
            discovery.files, progress, lambda record: graph.add_file(record.facts)
        )
    for problem in discovery.problems:
        records[problem.path] = FileRecord(problem)
        graph.add_file(problem)
    with paused_gc():  # see paused_gc: millions of acyclic objects, nothing for the GC to find
        return build_analysis(discovery.root, records, discovery.skipped, stats, graph)


def build_analysis(
    root: Path,
    records: Mapping[str, FileRecord],
    skipped: Mapping[str, int] | None = None,
    stats: RunStats | None = None,
    builder: GraphBuilder | None = None,
) -> Analysis:
    """Assemble an :class:`Analysis` from per-file records (graph, clusters, classification).

    ``builder`` may hold the records' imports already resolved (see :class:`GraphBuilder`).
    """
    ordered = [records[path] for path in sorted(records)]
    facts = [record.facts for record in ordered]
    graph = build_graph(facts, root.name) if builder is None else builder.finish(facts)
    clusters = find_clusters(
        {r.facts.path: r.fingerprint for r in ordered if r.fingerprint is not None}
    )
    cluster_of = {path: c.id for c in clusters for path in c.members}
    measuring = {f.path for f in facts if any(i.kind in MEASUREMENT_KINDS for i in f.idioms)}
    unresolved: dict[str, list[Unresolved]] = defaultdict(list)
    for item in graph.unresolved:
        unresolved[item.source].append(item)
    reports = tuple(
        replace(
            _report(record, graph, tuple(unresolved[record.facts.path]), measuring),
            cluster=cluster_of.get(record.facts.path),
        )
        for record in ordered
    )
    return Analysis(
        root=root.as_posix(),
        tool_version=__version__,
        files=reports,
        graph=graph,
        clusters=tuple(clusters),
        skipped=dict(sorted((skipped or {}).items())),
        stats=stats,
    )


_PYTHON_COMMAND = re.compile(r"sys\.executable|\bpython[0-9.]*\b|\.py\b")


def _launches(facts: FileFacts) -> int:
    """Python scripts the file starts (the command text is checked too: ``[sys.executable,
    path] + args`` is a Python launch even when no literal names the script); the script
    starting itself again is no launch of another."""
    return sum(
        1
        for i in facts.idioms_of("subprocess_launch")
        if not i.attrs.get("launches_self")
        and (
            i.attrs.get("launches_python")
            or _PYTHON_COMMAND.search(str(i.attrs.get("command") or ""))
        )
    )


def _report(
    record: FileRecord,
    graph: GraphFacts,
    unresolved: tuple[Unresolved, ...],
    measuring: set[str],
) -> FileReport:
    facts = record.facts
    imports = graph.imports.get(facts.path, ())
    imported = {t for r in imports if r.resolution in ("exact", "ambiguous") for t in r.targets}
    context = FileContext(
        facts=facts,
        imports=imports,
        unresolved=unresolved,
        importers=graph.fan_in.get(facts.path, 0),
        launches=_launches(facts),
        imports_measuring=bool(imported & measuring),
        dynamic=record.dynamic,
    )
    result = classify(context)
    return FileReport(
        facts=facts,
        role=result.role,
        unit=result.unit,
        migration=result.migration,
        imports=imports,
        fan_in=graph.fan_in.get(facts.path, 0),
        fan_out=graph.fan_out.get(facts.path, 0),
    )
