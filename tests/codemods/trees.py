"""Small legacy trees and stand-in codemods for the engine tests."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

from benchmig.codemods._outcome import UnitOutcome
from benchmig.codemods._support import DONE_KEY, record_unit, rel_path

TIMED_HELPER = """\
import time


def measure(fn, n):
    start = time.time()
    for _ in range(n):
        fn()
    return (time.time() - start) / n
"""

SIBLING_BENCH = """\
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import measure

print(measure(lambda: sum(range(100)), 10))
"""

ORCHESTRATOR = """\
import subprocess
import sys

for script in ["bench_a.py", "bench_missing.py"]:
    subprocess.run([sys.executable, script], check=False)
"""

BENCH_A = """\
import time

start = time.time()
total = sum(range(1000))
print((time.time() - start) * 1000.0)
"""


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root.joinpath(*rel.split("/"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def legacy_tree(root: Path, *, crlf_helper: bool = True) -> Path:
    """A tree with a helper, a script with a sys.path hack, an orchestrator, data files."""
    helper: str | bytes = TIMED_HELPER
    if crlf_helper:
        helper = TIMED_HELPER.replace("\n", "\r\n").encode()
    return write_tree(
        root,
        {
            "benchmarks/helpers.py": helper,
            "benchmarks/bench_sibling.py": SIBLING_BENCH,
            "benchmarks/bench_a.py": BENCH_A,
            "benchmarks/run_all.py": ORCHESTRATOR,
            "benchmarks/notes.txt": "not python\r\n",
            "README.md": "# legacy\n",
            "data/weights.bin": bytes(range(256)),
        },
    )


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (to prove nothing was written)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


class AppendCommentCommand(VisitorBasedCodemodCommand):
    """Not idempotent: adds a comment line every time it runs."""

    DESCRIPTION = "test: append a comment"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        return tree.with_changes(footer=[*tree.footer, cst.EmptyLine(comment=cst.Comment("# x"))])


class BreakSyntaxCommand(VisitorBasedCodemodCommand):
    """Produces a file that does not compile (``return`` at module level)."""

    DESCRIPTION = "test: emit invalid code"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if any(
            isinstance(s, cst.SimpleStatementLine) and isinstance(s.body[0], cst.Return)
            for s in tree.body
        ):
            return tree
        return tree.with_changes(body=[*tree.body, cst.SimpleStatementLine([cst.Return()])])


class RaiseOnBoomCommand(VisitorBasedCodemodCommand):
    """Raises on files whose path contains ``boom``; otherwise does nothing."""

    DESCRIPTION = "test: raise"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if "boom" in rel_path(self.context):
            raise RuntimeError("kaboom")
        return tree


class RecordDoneCommand(VisitorBasedCodemodCommand):
    """Registers a fixed benchmark name and records which dependency outcomes it saw."""

    DESCRIPTION = "test: record the outcomes of the dependencies"
    seen: dict[str, tuple[str, ...]] = {}

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        done = self.context.scratch.get(DONE_KEY) or {}
        RecordDoneCommand.seen[rel_path(self.context)] = tuple(sorted(done))
        record_unit(
            self.context,
            UnitOutcome(unit="<module>", kind="module", line=1, tier="native", codemod="test"),
        )
        return tree


class AddRegistrationCommand(VisitorBasedCodemodCommand):
    """Registers a benchmark called ``same`` (once): two files then clash."""

    DESCRIPTION = "test: register a fixed name"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        record_unit(
            self.context,
            UnitOutcome(
                unit="<module>",
                kind="module",
                line=1,
                tier="native",
                codemod="test",
                benchmarks=("same",),
            ),
        )
        if b"register(" in tree.bytes:
            return tree
        code = (
            "from benchmig.framework import BenchmarkBase, BenchmarkRegistry\n\n\n"
            '@BenchmarkRegistry.register(name="same")\n'
            "class Same(BenchmarkBase):\n"
            "    def execute(self):\n"
            "        return None\n"
        )
        added = cst.parse_module(code).body
        return tree.with_changes(body=[*tree.body, *added])


class InsertLfStringCommand(VisitorBasedCodemodCommand):
    """Inserts a string literal holding a bare LF: a CRLF file would become mixed."""

    DESCRIPTION = "test: change the newline style"

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        if b"MIXED" in tree.bytes:
            return tree
        statement = cst.parse_statement('MIXED = """a\nb"""\n')
        return tree.with_changes(body=[*tree.body, statement])
