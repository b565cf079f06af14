"""What every codemod needs around its rewrite: the file's facts, the tree, and where to report.

Inside ``migrate apply`` the engine puts everything in ``context.scratch`` (see the ``*_KEY``
constants): the facts of the file's current bytes, the tree's analysis, the outcomes of the
files this one depends on, and a place for new files (a suite beside an orchestrator). Run
alone (``python -m libcst.tool codemod``), a codemod finds the same things itself: facts from
the module's own bytes, and the tree from an analysis of the working folder (cached per
process). Nothing here imports or runs the code being rewritten.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

from benchmig.analyzer import Analysis, FileFacts, FileReport, ImportResolution, extract_facts
from benchmig.analyzer._resolve import Resolver, search_folders
from benchmig.codemods._outcome import ANALYSIS_KEY, FACTS_KEY, OUTCOMES_KEY, UnitOutcome

__all__ = [
    "DECISION_KEY",
    "DONE_KEY",
    "NEW_FILES_KEY",
    "PATH_KEY",
    "ClusterDecision",
    "FastCommand",
    "call_name",
    "file_facts",
    "file_report",
    "import_resolutions",
    "imported_hardware",
    "keyword_arg",
    "new_file",
    "qualified_names",
    "record_unit",
    "rel_path",
    "tree_analysis",
    "tree_resolver",
]

logger = logging.getLogger(__name__)

PATH_KEY = "benchmig.path"  # str: the file's root-relative POSIX path
DONE_KEY = "benchmig.done"  # Mapping[str, FileOutcome]: outcomes of the files this one depends on
DECISION_KEY = (
    "benchmig.decision"  # ClusterDecision: the decision for this file's duplicate cluster
)
NEW_FILES_KEY = "benchmig.new_files"  # dict[str, bytes]: root-relative path -> content to write


@dataclass(frozen=True)
class ClusterDecision:
    """How a duplicate cluster migrates: decided once on its representative, applied to all."""

    cluster: str
    representative: str
    tier: str  # native | adapter | manual | helper | none
    reasons: tuple[str, ...] = ()


class FastCommand(VisitorBasedCodemodCommand):
    """A codemod command whose metadata wrapper does not deep-copy the module first.

    LibCST copies the whole tree before computing metadata, so that metadata keyed by node
    identity cannot be confused by a node shared between two places. A freshly parsed
    module, or one our codemods rewrote, never shares nodes, and the copy costs about twice
    the parse; on thousands of files that is most of a run.
    """

    @contextlib.contextmanager
    def _handle_metadata_reference(self, module: cst.Module) -> Iterator[cst.Module]:
        old = self.context.wrapper
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        with self.resolve(wrapper):
            self.context = dataclasses.replace(self.context, wrapper=wrapper)
            try:
                yield wrapper.module
            finally:
                self.context = dataclasses.replace(self.context, wrapper=old)


def rel_path(context: CodemodContext) -> str:
    """The file's root-relative POSIX path (the engine's, or derived from the file name)."""
    known = context.scratch.get(PATH_KEY)
    if isinstance(known, str):
        return known
    filename = context.filename or "<stdin>.py"
    root = Path(tree_root(context))
    try:
        return Path(os.path.abspath(filename)).relative_to(root).as_posix()
    except ValueError:
        return Path(filename).name


def tree_root(context: CodemodContext) -> str:
    """The analysed root: the engine's analysis root, else the current folder."""
    analysis = context.scratch.get(ANALYSIS_KEY)
    if isinstance(analysis, Analysis):
        return analysis.root
    return os.path.abspath(os.getcwd())


def file_facts(context: CodemodContext, module: cst.Module) -> FileFacts:
    """Facts of the module being transformed (extracted from its bytes when not given)."""
    facts = context.scratch.get(FACTS_KEY)
    if isinstance(facts, FileFacts):
        return facts
    facts = extract_facts(rel_path(context), module.bytes)
    context.scratch[FACTS_KEY] = facts
    return facts


def tree_analysis(context: CodemodContext) -> Analysis | None:
    """The tree's analysis: the engine's, or (run alone) one of the current folder, cached.

    ``None`` when the file lies outside the current folder (then only file-local rewrites run).
    """
    analysis = context.scratch.get(ANALYSIS_KEY)
    if isinstance(analysis, Analysis):
        return analysis
    filename = context.filename
    root = tree_root(context)
    if not filename or not os.path.abspath(filename).startswith(root + os.sep):
        return None
    analysis = _analyse_folder(root)
    context.scratch[ANALYSIS_KEY] = analysis
    return analysis


@functools.cache
def _analyse_folder(root: str) -> Analysis:
    from benchmig.analyzer import analyze_paths

    logger.info("analysing %s for a codemod run alone", root)
    return analyze_paths([Path(root)], jobs=1)


def file_report(context: CodemodContext) -> FileReport | None:
    """The analysis' report of this file (role, unit, cluster, fan-in), if the tree knows it."""
    analysis = tree_analysis(context)
    if analysis is None:
        return None
    return analysis.by_path.get(rel_path(context))


_RESOLVERS: dict[int, tuple[Analysis, Resolver]] = {}


def tree_resolver(analysis: Analysis) -> Resolver:
    """The analyzer's import resolver over the tree's files (built once per analysis)."""
    known = _RESOLVERS.get(id(analysis))
    if known is None or known[0] is not analysis:
        _RESOLVERS.clear()  # one tree per process at a time
        known = (analysis, Resolver(analysis.by_path))
        _RESOLVERS[id(analysis)] = known
    return known[1]


def import_resolutions(analysis: Analysis | None, facts: FileFacts) -> tuple[ImportResolution, ...]:
    """How each import of ``facts`` (current bytes) resolves in the tree, same order."""
    if analysis is None:
        return tuple(ImportResolution("unresolved", reason="no tree") for _ in facts.imports)
    resolver = tree_resolver(analysis)
    search = search_folders(facts, resolver.packages)
    results = []
    for record in facts.imports:
        found = resolver.resolve(facts, record, search)
        results.append(ImportResolution(found.resolution, found.targets, found.reason, found.via))
    return tuple(results)


def imported_hardware(analysis: Analysis | None, facts: FileFacts) -> list[str]:
    """Backends the tree's custom detect functions imported by ``facts`` can choose.

    ``from hardware_detection import get_device``: when the imported module of the tree defines
    ``get_device`` as a hardware check, every backend that module checks for is one the
    importing script may run on.
    """
    if analysis is None:
        return []
    found: list[str] = []
    for record, resolution in zip(facts.imports, import_resolutions(analysis, facts), strict=True):
        if resolution.resolution != "exact":
            continue
        for target in resolution.targets:
            report = analysis.by_path.get(target)
            if report is None:
                continue
            checks = [i for i in report.facts.idioms if i.kind == "hardware_check"]
            detectors = {i.attrs.get("function") for i in checks if i.attrs.get("definition")}
            if detectors and (not record.names or detectors & set(record.names)):
                found.extend(b for i in checks for b in i.attrs.get("backends") or ())
    return list(dict.fromkeys(found))


def record_unit(context: CodemodContext, outcome: UnitOutcome) -> None:
    """Append a unit decision to the outcomes the engine reports."""
    outcomes = context.scratch.setdefault(OUTCOMES_KEY, [])
    outcomes.append(outcome)


def new_file(context: CodemodContext, path: str, data: bytes) -> bool:
    """Ask for a new file (root-relative ``path``) next to the rewritten one.

    Inside the engine the file is written (or diffed) with the rest; run alone, it is written
    now, atomically. Returns whether the content differs from what is on disk.
    """
    root = tree_root(context)
    target = Path(root, *posixpath.normpath(path).split("/"))
    try:
        same = target.read_bytes() == data
    except OSError:
        same = False
    files = context.scratch.get(NEW_FILES_KEY)
    if isinstance(files, dict):
        files[path] = data
    elif not same:
        from benchmig._io import atomic_write_bytes

        atomic_write_bytes(target, data)
    return not same


def qualified_names(command: Any, node: cst.CSTNode) -> set[str]:
    """Qualified names of ``node`` (``time.perf_counter`` for ``pc`` after an import alias)."""
    try:
        found = command.get_metadata(QualifiedNameProvider, node, set())
    except KeyError:
        return set()
    return {q.name for q in found}


def call_name(node: cst.BaseExpression) -> str | None:
    """The dotted spelling of a call target (``sys.path.insert``), or ``None``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = call_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """``name=value`` as PEP 8 spells a keyword argument (no spaces around ``=``)."""
    tight = cst.AssignEqual(
        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
    )
    return cst.Arg(keyword=cst.Name(name), value=value, equal=tight)


def done_outcomes(context: CodemodContext) -> Mapping[str, Any]:
    """Outcomes of the files this one depends on (helpers, launched scripts), by path."""
    done = context.scratch.get(DONE_KEY)
    return done if isinstance(done, Mapping) else {}
