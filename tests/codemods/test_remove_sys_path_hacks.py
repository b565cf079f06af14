"""remove-sys-path-hacks: golden cases (cases/remove_sys_path_hacks/) and its unsafe cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.golden import Case, cases, check_case


@pytest.mark.parametrize("case", cases("remove_sys_path_hacks"))
def test_golden(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_crlf_case_really_is_crlf() -> None:
    folder = Path(__file__).parent / "cases" / "remove_sys_path_hacks" / "sibling_insert_crlf"
    expected = (folder / "expected.py").read_bytes()
    assert b"\r\n" in expected and b"\n" not in expected.replace(b"\r\n", b"")
