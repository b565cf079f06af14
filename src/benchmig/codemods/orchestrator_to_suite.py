"""``orchestrator-to-suite``: a script that launches benchmark scripts -> a suite file.

Orchestrators build command lines and run other scripts with ``subprocess``/``os.system``.
Once those scripts register benchmarks, the natural form of "run these together" is a suite
(docs/schemas.md): ``<script>.suite.json`` is written beside the orchestrator, its ``targets``
the launched scripts that exist and are benchmarks, so ``migrate run --suite`` runs what the
orchestrator ran, measured by the framework. Launched scripts that no longer exist, and ones
that are not benchmarks (report tools), are reported and left out.

The orchestrator keeps working as before; it only gains a comment under its docstring pointing
at the suite (the comment avoids the framework's name, so ``migrate run FOLDER`` never imports
the orchestrator as if it were a benchmark module).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand

from benchmig.analyzer import Analysis
from benchmig.codemods._outcome import UnitOutcome
from benchmig.codemods._support import (
    file_facts,
    new_file,
    record_unit,
    rel_path,
    tree_analysis,
)

__all__ = ["OrchestratorToSuiteCommand", "SuitePlan", "plan_suite"]

NOTE_PREFIX = "# Migrated: the benchmark scripts this file launches now form a suite"


@dataclass(frozen=True)
class SuitePlan:
    """The suite for one orchestrator: where it goes, what it runs, what was left out."""

    path: str  # root-relative path of the suite file
    targets: tuple[str, ...]  # root-relative paths of the launched benchmark scripts
    missing: tuple[str, ...]  # launched scripts that do not exist (as written)
    not_benchmarks: tuple[str, ...]  # launched scripts that exist but measure nothing

    def document(self, name: str, source: str) -> dict[str, object]:
        """The suite file's JSON document (targets relative to the suite's folder)."""
        folder = posixpath.dirname(self.path)
        return {
            "schema_version": 1,
            "kind": "benchmig-suite",
            "name": name,
            "description": (
                f"Migrated from {source}: the benchmark scripts it launched, run by the framework"
            ),
            "targets": [posixpath.relpath(t, folder or ".") for t in self.targets],
        }


class _ScriptNames(cst.CSTVisitor):
    """String literals naming ``.py`` files, and ``os.path.join`` calls of literal parts."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.parts: set[int] = set()  # literals already read as parts of a join

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) in self.parts:
            return
        value = node.evaluated_value
        if isinstance(value, str) and value.endswith(".py") and "\n" not in value:
            self.names.append(value.split()[-1])

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "join":
            strings = [a.value for a in node.args if isinstance(a.value, cst.SimpleString)]
            literal = [v for v in (s.evaluated_value for s in strings) if isinstance(v, str)]
            if len(literal) > 1 and literal[-1].endswith(".py"):
                self.names.append(posixpath.join(*literal))
                self.parts.update(id(s) for s in strings)


def _locate(name: str, own_folder: str, paths: Iterable[str]) -> str | None:
    known = set(paths)
    for base in (own_folder, ""):
        candidate = posixpath.normpath(posixpath.join(base, name))
        if candidate in known:
            return candidate
    return None


def plan_suite(path: str, names: Iterable[str], analysis: Analysis) -> SuitePlan:
    """Resolve launched script names against the tree (own folder first, then the root)."""
    own = posixpath.dirname(path)
    targets: list[str] = []
    missing: list[str] = []
    others: list[str] = []
    names = list(names)
    for edge in analysis.graph.edges:
        if edge.source == path and edge.kind == "subprocess" and edge.resolution == "exact":
            names.append(posixpath.relpath(edge.target, own or "."))
    for unresolved in analysis.graph.unresolved:
        if unresolved.source == path and unresolved.kind == "subprocess":
            missing.append(unresolved.module)
    for name in dict.fromkeys(names):
        found = _locate(name, own, analysis.by_path)
        if found is None:
            if posixpath.basename(name) != posixpath.basename(path):
                missing.append(name)
        elif found != path and found not in targets:
            role = analysis.by_path[found].role
            (targets if role == "benchmark" else others).append(found)
    stem = posixpath.basename(path)[: -len(".py")]
    return SuitePlan(
        posixpath.join(own, f"{stem}.suite.json"),
        tuple(targets),
        tuple(dict.fromkeys(missing)),
        tuple(others),
    )


class OrchestratorToSuiteCommand(VisitorBasedCodemodCommand):
    """Write ``<script>.suite.json`` for an orchestrator and point to it from the script."""

    NAME = "orchestrator-to-suite"
    DESCRIPTION = "Turn a script that launches benchmark scripts into a suite file beside it."

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """No metadata is needed: skip LibCST's metadata wrapper (a deep copy of the tree)."""
        return self.transform_module_impl(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Plan the suite, ask for the file, add the note (once)."""
        facts = file_facts(self.context, tree)
        analysis = tree_analysis(self.context)
        if analysis is None or not facts.idioms_of("subprocess_launch"):
            return tree
        path = rel_path(self.context)
        collector = _ScriptNames()
        tree.visit(collector)
        plan = plan_suite(path, collector.names, analysis)
        warnings = [f"{path}: launched script '{m}' does not exist; left out" for m in plan.missing]
        warnings += [
            f"{path}: launched script '{o}' is not a benchmark; left out"
            for o in plan.not_benchmarks
        ]
        for warning in warnings:
            self.warn(warning)
        stem = posixpath.basename(path)[: -len(".py")]
        if not plan.targets:
            self._record(facts.idioms_of("subprocess_launch")[0].line, (), warnings, plan)
            return tree
        text = json.dumps(plan.document(stem, path), indent=2) + "\n"
        new_file(self.context, plan.path, text.encode())
        self._record(facts.idioms_of("subprocess_launch")[0].line, plan.targets, warnings, plan)
        return _with_note(tree, plan.path)

    def _record(
        self, line: int, targets: tuple[str, ...], warnings: list[str], plan: SuitePlan
    ) -> None:
        reasons = () if targets else ("no launched benchmark script exists: nothing to run",)
        record_unit(
            self.context,
            UnitOutcome(
                unit="<module>",
                kind="orchestrator",
                line=line,
                tier="native" if targets else "manual",
                codemod=self.NAME,
                reasons=(*reasons, *warnings),
                warnings=(f"suite {plan.path}: {len(targets)} target(s)",) if targets else (),
            ),
        )


def _note_lines(suite_path: str) -> list[cst.EmptyLine]:
    texts = [f"{NOTE_PREFIX}; from the tree's root run", f"#     migrate run --suite {suite_path}"]
    return [cst.EmptyLine(comment=cst.Comment(t)) for t in texts]


def _has_note(tree: cst.Module) -> bool:
    return NOTE_PREFIX in tree.code


def _with_note(tree: cst.Module, suite_path: str) -> cst.Module:
    if _has_note(tree):
        return tree
    body = list(tree.body)
    note = _note_lines(suite_path)
    first = body[0] if body else None
    if (
        isinstance(first, cst.SimpleStatementLine)
        and isinstance(first.body[0], cst.Expr)
        and isinstance(first.body[0].value, cst.SimpleString | cst.ConcatenatedString)
        and len(body) > 1
    ):
        second = body[1]
        body[1] = second.with_changes(leading_lines=[cst.EmptyLine(), *note, *second.leading_lines])
        return tree.with_changes(body=body)
    return tree.with_changes(header=[*tree.header, *note])
