"""The golden case folders themselves: every case is complete and every codemod has cases."""

from __future__ import annotations

import json

from benchmig.codemods._registry import CODEMOD_ORDER
from tests.codemods.golden import CASES

_MINE = {n for n in CODEMOD_ORDER if n != "register-benchmark"}


def test_every_codemod_has_changed_and_unchanged_cases() -> None:
    for name in _MINE:
        folder = CASES / name.replace("-", "_")
        names = [p.name for p in folder.iterdir() if p.is_dir()]
        assert any(n.startswith("unchanged") for n in names), name
        assert any(not n.startswith("unchanged") for n in names), name
        assert any(n.endswith("_crlf") for n in names), f"{name}: no CRLF case"


def test_cases_are_complete() -> None:
    for case_json in (p for n in _MINE for p in CASES.glob(f"{n.replace('-', '_')}/*/case.json")):
        folder = case_json.parent
        spec = json.loads(case_json.read_text())
        assert "path" in spec and spec.get("description"), folder
        assert (folder / "input.py").exists() and (folder / "expected.py").exists(), folder
        unchanged = (folder / "input.py").read_bytes() == (folder / "expected.py").read_bytes()
        assert unchanged == folder.name.startswith("unchanged"), folder
