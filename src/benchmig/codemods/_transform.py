"""Rewrite one file: run its codemods in order, check the result, say what happened.

This is what a worker process runs. It reads the file's bytes itself (the parent sends paths),
parses once with LibCST, runs each codemod with the shared scratch (facts of the current bytes,
the tree's analysis, the outcomes of the files it depends on), then checks the output
(:mod:`benchmig.codemods._safety`) and that a second application changes nothing. Any failure
leaves the file unchanged and comes back as an ``error`` outcome with the reason: one file never
stops the others, and nothing half-rewritten is ever returned.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile

from benchmig._orphans import exit_with
from benchmig.analyzer import Analysis, FileFacts, extract_facts
from benchmig.codemods._outcome import (
    ANALYSIS_KEY,
    FACTS_KEY,
    OUTCOMES_KEY,
    FileOutcome,
    Tier,
    UnitOutcome,
)
from benchmig.codemods._registry import codemod_classes
from benchmig.codemods._safety import check_output, compile_error
from benchmig.codemods._support import (
    DECISION_KEY,
    DONE_KEY,
    NEW_FILES_KEY,
    PATH_KEY,
    ClusterDecision,
)

__all__ = [
    "NOTE_KINDS",
    "ChainResult",
    "FileResult",
    "FileTask",
    "init_worker",
    "run_chain",
    "strategy_of",
    "transform_file",
]

logger = logging.getLogger(__name__)

Strategy = Literal["native", "adapter", "manual", "migrated", "helper", "none"]
NOTE_KINDS = frozenset({"timer", "params", "hardware"})
"""Unit kinds that note a supporting rewrite rather than migrate a measured unit."""
_TIER_ORDER = {"native": 0, "adapter": 1, "manual": 2}
_LEGACY_BROKEN = "the legacy file does not compile either"
_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class FileTask:
    """One file to rewrite (everything a worker needs besides the tree's analysis)."""

    path: str  # root-relative POSIX path
    abs_path: str
    codemods: tuple[str, ...]
    role: str = "other"
    done: Mapping[str, FileOutcome] = field(default_factory=dict)
    decision: ClusterDecision | None = None


@dataclass(frozen=True)
class FileResult:
    """What became of one file; ``output`` holds the new bytes when it changed."""

    outcome: FileOutcome
    sha256: str = ""  # of the bytes that were read (a writer refuses a file changed since)
    output: bytes | None = None
    new_files: Mapping[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class ChainResult:
    """The codemods' combined result on one text."""

    output: bytes
    encoding: str
    changed_by: tuple[str, ...]
    warnings: tuple[str, ...]
    units: tuple[UnitOutcome, ...]
    new_files: Mapping[str, bytes]


class ChainError(Exception):
    """A codemod raised: the file is left alone and the reason reported."""


def init_worker(analysis: Analysis, owner: int | None = None) -> None:
    """Process-pool initializer: keep the tree's analysis for every task of this worker, and
    exit when the process ``owner`` that made the pool is gone.

    The analysis of a large tree is millions of long-lived objects; frozen out of the garbage
    collector's reach, LibCST's many short-lived nodes no longer make every full collection
    walk them all.
    """
    _STATE["analysis"] = analysis
    gc.freeze()
    if owner is not None:
        exit_with(owner)


def run_chain(
    data: bytes,
    path: str,
    abs_path: str,
    codemods: Sequence[str],
    analysis: Analysis | None,
    facts: FileFacts | None = None,
    extra: Mapping[str, Any] | None = None,
) -> ChainResult:
    """Run ``codemods`` (names, in order) over ``data``; raise :class:`ChainError` on failure.

    Raises ``libcst.ParserSyntaxError`` when ``data`` does not parse.
    """
    module = cst.parse_module(data)
    commands = codemod_classes(tuple(codemods))
    shared: dict[str, Any] = {
        PATH_KEY: path,
        ANALYSIS_KEY: analysis,
        OUTCOMES_KEY: [],
        NEW_FILES_KEY: {},
        **(extra or {}),
    }
    facts = facts or extract_facts(path, data)
    current = data
    changed_by: list[str] = []
    warnings: list[str] = []
    for name, command in commands.items():
        scratch = {**shared, FACTS_KEY: facts}
        context = CodemodContext(
            filename=abs_path, full_module_name=facts.module or None, scratch=scratch
        )
        try:
            updated = command(context).transform_module(module)
        except SkipFile as exc:
            if str(exc):
                warnings.append(f"{path}: {name} skipped the file: {exc}")
            continue
        except Exception as exc:
            logger.debug("%s: %s failed\n%s", path, name, traceback.format_exc())
            raise ChainError(f"codemod {name} failed: {type(exc).__name__}: {exc}") from exc
        warnings.extend(context.warnings)
        if updated is module:
            continue  # the codemod had nothing to do: no code generation needed to know it
        rendered = updated.bytes
        module = updated
        if rendered != current:
            changed_by.append(name)
            current = rendered
            facts = extract_facts(path, current)
    return ChainResult(
        output=current,
        encoding=module.encoding,
        changed_by=tuple(changed_by),
        warnings=tuple(dict.fromkeys(warnings)),
        units=tuple(shared[OUTCOMES_KEY]),
        new_files=dict(shared[NEW_FILES_KEY]),
    )


def strategy_of(role: str, status: str, units: Sequence[UnitOutcome], changed: bool) -> Strategy:
    """The file's strategy: its measured units' worst tier; ``manual`` for a benchmark nothing
    migrated; ``helper`` for other changed files; ``none`` otherwise."""
    measured = [u for u in units if u.kind not in NOTE_KINDS]
    if measured:
        tier: Tier = max((u.tier for u in measured), key=lambda t: _TIER_ORDER.get(t, 2))
        return tier
    if role == "benchmark" or status != "ok":
        return "manual"
    return "helper" if changed else "none"


def _error(task: FileTask, reason: str, sha: str = "", started: float = 0.0) -> FileResult:
    outcome = FileOutcome(
        path=task.path,
        status="error",
        strategy=strategy_of(task.role, "ok", (), False),
        error=reason,
    )
    return FileResult(outcome, sha, seconds=time.perf_counter() - started if started else 0.0)


def transform_file(task: FileTask) -> FileResult:
    """Rewrite one file (read from disk), check the result, and never raise."""
    started = time.perf_counter()
    try:
        data = Path(task.abs_path).read_bytes()
    except OSError as exc:
        return _error(task, f"cannot read {task.path}: {exc.strerror or exc}", started=started)
    sha = hashlib.sha256(data).hexdigest()
    analysis: Analysis | None = _STATE.get("analysis")
    facts = _known_facts(analysis, task.path, sha)
    extra = {DONE_KEY: dict(task.done), DECISION_KEY: task.decision}
    try:
        result = run_chain(data, task.path, task.abs_path, task.codemods, analysis, facts, extra)
        reason = _unsafe(task, data, result, analysis, extra)
    except cst.ParserSyntaxError as exc:
        return _error(task, f"LibCST cannot parse it (line {exc.raw_line}): {exc.message}", sha)
    except ChainError as exc:
        return _error(task, str(exc), sha, started)
    except RecursionError:
        return _error(task, "too deeply nested for LibCST", sha, started)
    if reason is not None and reason.startswith(_LEGACY_BROKEN):
        return _left_alone(task, reason, sha, started)
    if reason is not None:
        return _error(task, f"unsafe rewrite not written: {reason}", sha, started)
    changed = result.output != data
    new_files = _differing(task, result.new_files)
    outcome = FileOutcome(
        path=task.path,
        status="changed" if changed or new_files else "unchanged",
        strategy=strategy_of(task.role, "ok", result.units, changed),
        units=result.units,
        codemods=result.changed_by,
        warnings=result.warnings,
    )
    output = result.output if changed else None
    return FileResult(outcome, sha, output, new_files, time.perf_counter() - started)


def _differing(task: FileTask, files: Mapping[str, bytes]) -> dict[str, bytes]:
    """The new files whose content is not on disk already (a second run creates nothing)."""
    depth = task.path.count("/") + 1
    root = Path(task.abs_path).parents[depth - 1]
    found = {}
    for path, data in files.items():
        try:
            same = root.joinpath(*path.split("/")).read_bytes() == data
        except OSError:
            same = False
        if not same:
            found[path] = data
    return found


def _left_alone(task: FileTask, reason: str, sha: str, started: float) -> FileResult:
    """The legacy file itself does not compile: not a failure of the rewrite, a file to fix."""
    outcome = FileOutcome(
        path=task.path,
        status="skipped",
        strategy="manual",
        error=f"{reason}; fix it, then apply again",
    )
    return FileResult(outcome, sha, seconds=time.perf_counter() - started)


def _known_facts(analysis: Analysis | None, path: str, sha: str) -> FileFacts | None:
    if analysis is None:
        return None
    report = analysis.by_path.get(path)
    return report.facts if report is not None and report.facts.sha256 == sha else None


def _unsafe(
    task: FileTask,
    data: bytes,
    result: ChainResult,
    analysis: Analysis | None,
    extra: Mapping[str, Any],
) -> str | None:
    if result.output == data:
        return None
    reason = check_output(task.path, data, result.output, result.encoding)
    if reason is not None:
        before = compile_error(task.path, data) if "does not compile" in reason else None
        return f"{_LEGACY_BROKEN} ({before})" if before is not None else reason
    again = run_chain(result.output, task.path, task.abs_path, task.codemods, analysis, None, extra)
    if again.output != result.output:
        return (
            "a second application changes it again (codemods: "
            f"{', '.join(again.changed_by)}): the rewrite is not idempotent"
        )
    if any(result.new_files.get(p) != d for p, d in again.new_files.items()):
        return "a second application writes different new files"
    return None
