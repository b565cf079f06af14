"""Golden cases for the codemods: ``cases/<codemod>/<case>/`` holds ``input.py``, ``expected.py``
and a ``case.json``; an optional ``tree/`` folder holds the files around the input.

``case.json``: ``path`` (where the input sits in the tree), optional ``warnings`` (substrings
each expected among the warnings), ``new_files`` (tree path -> file of the case holding its
expected content) and ``codemods`` (names to run, default: the case folder's codemod).
The case passes when the output equals ``expected.py`` byte for byte (CRLF cases stay CRLF),
re-parses, and a second application changes nothing.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from benchmig.analyzer import analyze_paths
from benchmig.codemods._transform import ChainResult, run_chain

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    """One golden case on disk."""

    codemod: str
    folder: Path

    @property
    def name(self) -> str:
        """``codemod/case``, the pytest id."""
        return f"{self.folder.parent.name}/{self.folder.name}"

    @property
    def spec(self) -> dict[str, Any]:
        """The parsed ``case.json``."""
        data: dict[str, Any] = json.loads((self.folder / "case.json").read_text())
        return data


def cases(codemod_folder: str) -> list[Any]:
    """pytest params for every case of one codemod folder (``remove_sys_path_hacks``)."""
    folder = CASES / codemod_folder
    name = codemod_folder.replace("_", "-")
    found = sorted(p for p in folder.iterdir() if (p / "case.json").exists())
    return [pytest.param(Case(name, p), id=p.name) for p in found]


def run_case(case: Case, tmp_path: Path) -> tuple[ChainResult, ChainResult, bytes]:
    """Build the case's tree under ``tmp_path``, run its codemods twice; return both results
    and the input bytes."""
    spec = case.spec
    root = tmp_path / "tree"
    if (case.folder / "tree").exists():
        shutil.copytree(case.folder / "tree", root)
    target = root.joinpath(*spec["path"].split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    data = (case.folder / "input.py").read_bytes()
    target.write_bytes(data)
    analysis = analyze_paths([root], jobs=1, use_cache=False)
    codemods = tuple(spec.get("codemods", [case.codemod]))
    first = run_chain(data, spec["path"], str(target), codemods, analysis)
    second = run_chain(first.output, spec["path"], str(target), codemods, analysis)
    return first, second, data


def check_case(case: Case, tmp_path: Path) -> None:
    """Assert everything a golden case promises."""
    first, second, data = run_case(case, tmp_path)
    expected = (case.folder / "expected.py").read_bytes()
    assert first.output == expected, _diff(expected, first.output)
    cst.parse_module(first.output)
    compile(first.output, case.name, "exec", dont_inherit=True)
    assert second.output == first.output, "a second application changed the output again"
    assert second.changed_by == ()
    for wanted in case.spec.get("warnings", []):
        assert any(wanted in w for w in first.warnings), (wanted, first.warnings)
    if expected == data:
        assert first.changed_by == ()
    new_files = case.spec.get("new_files", {})
    assert set(first.new_files) == set(new_files)
    for path, name in new_files.items():
        assert first.new_files[path] == (case.folder / name).read_bytes()


def _diff(expected: bytes, actual: bytes) -> str:
    import difflib

    lines = difflib.unified_diff(
        expected.decode(errors="replace").splitlines(keepends=True),
        actual.decode(errors="replace").splitlines(keepends=True),
        "expected",
        "actual",
    )
    return "output differs from expected.py:\n" + "".join(lines)
