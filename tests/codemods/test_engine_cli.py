"""`migrate apply` through click: modes, reports and the documented exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import benchmig.codemods._transform as _transform
from benchmig.cli import main
from tests.codemods.trees import BENCH_A, RaiseOnBoomCommand, legacy_tree, tree_digest, write_tree

BASE = ["--jobs", "1", "--no-cache", "-q", "--codemod", "replace-timers"]


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, ["apply", *args], catch_exceptions=False)


def test_out_writes_tree_and_json_report(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    report = tmp_path / "report.json"
    result = _run(str(root), "--out", str(tmp_path / "out"), "--report", str(report), *BASE)
    assert result.exit_code == 0, result.output
    assert "benchmarks/helpers.py: changed, helper [replace-timers]" in result.stdout
    document = json.loads(report.read_text())
    assert document["kind"] == "benchmig-apply-report"
    assert document["summary"]["changed"] == 2
    assert (tmp_path / "out" / "README.md").exists()


def test_check_exits_1_when_something_would_change(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    before = tree_digest(root)
    result = _run(str(root), "--check", *BASE)
    assert result.exit_code == 1
    assert tree_digest(root) == before


def test_check_exits_0_when_nothing_would_change(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {"ok.py": "print('hello')\n"})
    assert _run(str(root), "--check", *BASE).exit_code == 0


def test_diff_goes_to_stdout_and_the_report_to_stderr(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {"a.py": BENCH_A})
    result = _run(str(root), "--diff", *BASE)
    assert result.exit_code == 0
    assert result.stdout.startswith("--- a/a.py\n+++ b/a.py\n")
    assert "a.py: changed" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--diff", "--check"],
        [],
        ["--out"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    root = write_tree(tmp_path / "legacy", {"a.py": BENCH_A})
    assert _run(str(root), *args, *BASE).exit_code == 2


def test_missing_path_and_bad_analysis_exit_2(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "nope"), "--check", *BASE).exit_code == 2
    root = write_tree(tmp_path / "legacy", {"a.py": BENCH_A})
    bad = tmp_path / "analysis.json"
    bad.write_text("{not json")
    result = _run(str(root), "--check", "--analysis", str(bad), *BASE)
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr


def test_a_failed_file_exits_3_and_the_rest_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _transform, "codemod_classes", lambda names: dict.fromkeys(names, RaiseOnBoomCommand)
    )
    root = write_tree(tmp_path / "legacy", {"boom.py": BENCH_A, "fine.py": BENCH_A})
    result = _run(str(root), "--out", str(tmp_path / "out"), *BASE)
    assert result.exit_code == 3
    assert "boom.py" in result.stderr
    assert (tmp_path / "out" / "fine.py").exists() and (tmp_path / "out" / "boom.py").exists()


def test_analysis_file_is_used(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {"a.py": BENCH_A})
    analysis_dir = tmp_path / "report"
    analysed = CliRunner().invoke(
        main, ["analyze", str(root), "--out", str(analysis_dir), "--no-cache", "--jobs", "1", "-q"]
    )
    assert analysed.exit_code == 0, analysed.output
    result = _run(str(root), "--check", "--analysis", str(analysis_dir / "analysis.json"), *BASE)
    assert result.exit_code == 1
    other = write_tree(tmp_path / "other", {"b.py": BENCH_A})
    mismatch = _run(str(other), "--check", "--analysis", str(analysis_dir / "analysis.json"), *BASE)
    assert mismatch.exit_code == 2


def test_progress_off_a_terminal_is_one_final_line(tmp_path: Path) -> None:
    files = {f"bench_{n}.py": BENCH_A for n in range(3)}
    root = write_tree(tmp_path / "legacy", files)
    args = ["--jobs", "1", "--no-cache", "--codemod", "replace-timers"]
    result = _run(str(root), "--out", str(tmp_path / "out"), *args)
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "files" in line] == ["applied 3/3 files"]
