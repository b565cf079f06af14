"""orchestrator-to-suite: golden cases (cases/orchestrator_to_suite/); the suite loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmig.framework._suites import load_suite
from tests.codemods.golden import CASES, Case, cases, check_case, run_case


@pytest.mark.parametrize("case", cases("orchestrator_to_suite"))
def test_golden(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_written_suite_is_valid(tmp_path: Path) -> None:
    case = Case("orchestrator-to-suite", CASES / "orchestrator_to_suite" / "subprocess_suite")
    first, _, _ = run_case(case, tmp_path)
    tree = tmp_path / "tree"
    for path, data in first.new_files.items():
        (tree / path).write_bytes(data)
    suite = load_suite(tree / "benchmarks" / "run_all.suite.json")
    assert suite.name == "run_all"
    assert [t.path.name for t in suite.targets if t.path is not None] == [
        "bench_sum.py",
        "bench_sort.py",
    ]
    shutil.rmtree(tree)
