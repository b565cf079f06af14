"""Shared helpers of the register-benchmark tests: run the codemod on bytes, list golden cases."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile

from benchmig.codemods._outcome import OUTCOMES_KEY, UnitOutcome
from benchmig.codemods.register_benchmark import RegisterBenchmarkCommand

CASES = Path(__file__).parent / "cases" / "register_benchmark"


@dataclass(frozen=True)
class Result:
    """What one application of the codemod did."""

    output: bytes
    outcomes: tuple[UnitOutcome, ...]
    skipped: bool
    warnings: tuple[str, ...]


@functools.lru_cache(maxsize=256)
def migrate(source: bytes, name: str = "case") -> Result:
    """Apply ``RegisterBenchmarkCommand`` to ``source`` as ``benchmarks/<name>.py`` (memoised:
    the codemod is deterministic, and several tests look at the same application)."""
    context = CodemodContext(
        filename=f"benchmarks/{name}.py", full_module_name=f"benchmarks.{name}"
    )
    command = RegisterBenchmarkCommand(context)
    try:
        output = command.transform_module(cst.parse_module(source)).bytes
        skipped = False
    except SkipFile:
        output, skipped = source, True
    outcomes = tuple(context.scratch.get(OUTCOMES_KEY, []))
    return Result(output, outcomes, skipped, tuple(context.warnings))


@dataclass(frozen=True)
class Case:
    """One golden case folder: ``input.py``, ``expected.py``, ``outcome.json``."""

    path: Path

    @property
    def name(self) -> str:
        """The folder name (also the migrated module's name)."""
        return self.path.name

    @property
    def source(self) -> bytes:
        """The legacy input, as bytes."""
        return (self.path / "input.py").read_bytes()

    @property
    def expected(self) -> bytes:
        """The migrated output, byte for byte."""
        return (self.path / "expected.py").read_bytes()

    @property
    def outcome(self) -> dict[str, Any]:
        """The expected outcome records and run flags."""
        path = self.path / "outcome.json"
        return json.loads(path.read_text()) if path.exists() else {"units": []}


def cases() -> list[Case]:
    """Every golden case, sorted by name."""
    return [Case(p) for p in sorted(CASES.iterdir()) if (p / "input.py").exists()]
