"""``--in-place``: refuses files git does not hold unless ``--allow-dirty``, like ``cargo fix``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from benchmig.codemods import ApplyOptions, apply_paths
from benchmig.errors import InputError
from tests.codemods.trees import BENCH_A, write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

TIMERS = ("replace-timers",)


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _repo(root: Path) -> Path:
    write_tree(root, {"a.py": BENCH_A, "b.py": BENCH_A, "c.txt": "x\n"})
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "legacy")
    return root


def _in_place(root: Path, allow_dirty: bool = False) -> None:
    options = ApplyOptions(
        mode="in-place", jobs=1, use_cache=False, codemods=TIMERS, allow_dirty=allow_dirty
    )
    apply_paths([root], options)


def test_clean_files_are_rewritten(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    _in_place(root)
    assert b"perf_counter" in (root / "a.py").read_bytes()
    assert b"perf_counter" in (root / "b.py").read_bytes()
    assert (root / "c.txt").read_text() == "x\n"


def test_dirty_files_are_refused_and_listed(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    (root / "b.py").write_text(BENCH_A + "# edited\n")
    with pytest.raises(InputError, match="uncommitted") as caught:
        _in_place(root)
    assert "b.py" in str(caught.value) and "a.py" not in str(caught.value)
    assert b"perf_counter" not in (root / "a.py").read_bytes(), "nothing is written on refusal"
    _in_place(root, allow_dirty=True)
    assert b"perf_counter" in (root / "b.py").read_bytes()


def test_outside_git_is_refused_unless_allowed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "plain", {"a.py": BENCH_A})
    with pytest.raises(InputError, match="not inside a git repository"):
        _in_place(root)
    _in_place(root, allow_dirty=True)
    assert b"perf_counter" in (root / "a.py").read_bytes()
