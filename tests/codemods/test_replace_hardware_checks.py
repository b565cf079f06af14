"""replace-hardware-checks: golden cases (cases/replace_hardware_checks/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.codemods.golden import Case, cases, check_case


@pytest.mark.parametrize("case", cases("replace_hardware_checks"))
def test_golden(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
