"""`migrate apply FILE...` rewrites the files named, judged with the whole project's analysis."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from benchmig.cli import main
from benchmig.codemods._scope import project_root
from tests.codemods.trees import write_tree

BASE = ["--jobs", "1", "--no-cache", "-q", "--codemod", "remove-sys-path-hacks"]

# bench_a.py puts its own folder on sys.path; driver.py imports bench_a and so relies on it.
OWN_FOLDER_HACK = """\
import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from core_lib import run


def main():
    run()
"""
DRIVER = """\
import sys
sys.path.insert(0, "bench/sub")
import bench_a

bench_a.main()
"""
TREE = {
    "bench/sub/bench_a.py": OWN_FOLDER_HACK,
    "bench/sub/core_lib.py": "def run():\n    return 1\n",
    "bench/driver.py": DRIVER,
}


def _apply(*args: str) -> Result:
    return CliRunner().invoke(main, ["apply", *args], catch_exceptions=False)


def test_a_file_is_judged_with_the_analysis_of_its_project(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {**TREE, "pyproject.toml": "[project]\nname='x'\n"})
    report = tmp_path / "apply.json"
    result = _apply(str(root / "bench/sub/bench_a.py"), "--check", "--report", str(report), *BASE)
    # The hack serves driver.py too: only the whole project's analysis knows that.
    assert result.exit_code == 0, result.output
    files = json.loads(report.read_text())["files"]
    assert [f["path"] for f in files] == ["bench/sub/bench_a.py"]
    assert any("other files import this one" in w for w in files[0]["warnings"])


def test_without_a_project_marker_the_files_folder_is_the_tree(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    assert project_root(root / "bench" / "sub") is None
    result = _apply(str(root / "bench/sub/bench_a.py"), "--diff", *BASE)
    assert result.exit_code == 0, result.output
    assert "-sys.path.append(os.path.dirname(os.path.abspath(__file__)))" in result.stdout


def test_out_keeps_project_relative_paths_for_a_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {**TREE, "setup.py": ""})
    out = tmp_path / "out"
    result = _apply(str(root / "bench/sub/core_lib.py"), "--out", str(out), *BASE)
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["bench/sub/core_lib.py"]


def test_out_may_lie_in_the_project_but_not_in_what_is_copied(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", {**TREE, "setup.cfg": ""})
    script = root / "bench" / "sub" / "core_lib.py"
    beside = _apply(str(script), "--out", str(root / "migrated"), *BASE)
    assert beside.exit_code == 0, beside.output
    assert (root / "migrated" / "bench" / "sub" / "core_lib.py").is_file()
    inside = _apply(str(root / "bench"), "--out", str(root / "bench" / "out"), *BASE)
    assert inside.exit_code == 2
    assert "inside the tree being migrated" in inside.output


def test_a_saved_project_analysis_serves_a_file_inside_it(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "proj", TREE)
    analysis_dir = tmp_path / "analysis"
    analysed = CliRunner().invoke(
        main, ["analyze", str(root), "--out", str(analysis_dir), "--no-cache", "--jobs", "1", "-q"]
    )
    assert analysed.exit_code == 0, analysed.output
    analysis = str(analysis_dir / "analysis.json")
    inside = _apply(str(root / "bench/sub/bench_a.py"), "--check", "--analysis", analysis, *BASE)
    assert inside.exit_code == 0, inside.output
    outside = write_tree(tmp_path / "elsewhere", {"c.py": "x = 1\n"})
    refused = _apply(str(outside / "c.py"), "--check", "--analysis", analysis, *BASE)
    assert refused.exit_code == 2
    assert "describes" in refused.output
