"""Discovery: which files a walk finds, what it skips (and says so), and the run's root."""

from __future__ import annotations

import os
from pathlib import Path

import pathspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.analyzer._discover import SourceFile, discover, find_root, module_for
from benchmig.analyzer._ignore import IgnoreSpec
from benchmig.errors import InputError


def _write(root: Path, rel: str, text: str = "x = 1\n") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _paths(root: Path, **kwargs: object) -> list[str]:
    return [f.rel_path for f in discover([root], **kwargs).files]  # type: ignore[arg-type]


def test_finds_python_files_and_python_shebang_scripts(tmp_path: Path) -> None:
    _write(tmp_path, "a.py")
    _write(tmp_path, "pkg/b.py")
    _write(tmp_path, "bin/runbench", "#!/usr/bin/env python3\nprint(1)\n")
    _write(tmp_path, "bin/deploy", "#!/bin/bash\necho hi\n")
    _write(tmp_path, "notes.txt", "python is nice\n")
    found = discover([tmp_path])
    assert [f.rel_path for f in found.files] == ["a.py", "bin/runbench", "pkg/b.py"]
    assert found.root == tmp_path
    assert found.skipped["not_python"] == 2
    assert _paths(tmp_path, shebang=False) == ["a.py", "pkg/b.py"]


def test_records_size_and_mtime_for_the_cache_fast_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.py", "print('hello')\n")
    (source,) = discover([tmp_path]).files
    info = path.stat()
    assert (source.size, source.mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert source.abs_path == str(path)


def test_default_folders_and_virtualenvs_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path, "keep.py")
    for folder in (
        ".git",
        "node_modules",
        "build",
        "dist",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        "site-packages",
        "foo.egg-info",
    ):
        _write(tmp_path, f"{folder}/x.py")
    _write(tmp_path, "myvenv/pyvenv.cfg", "home = /usr\n")
    _write(tmp_path, "myvenv/lib/mod.py")
    _write(tmp_path, "env/lib/python3.11/site-packages/pkg.py")
    _write(tmp_path, "venv/Lib/site-packages/pkg.py")
    _write(tmp_path, "env2/lib/tool.py")  # a folder merely named like an env is walked
    found = discover([tmp_path])
    assert [f.rel_path for f in found.files] == ["env2/lib/tool.py", "keep.py"]
    assert found.skipped["virtualenv"] == 3
    assert found.skipped["vcs"] == 1
    assert found.skipped["default_excluded"] == 8


def test_an_env_folder_without_site_packages_is_ordinary_code(tmp_path: Path) -> None:
    _write(tmp_path, "env/settings.py")
    assert _paths(tmp_path) == ["env/settings.py"]


def test_gitignore_files_apply_below_their_folder_with_negation(tmp_path: Path) -> None:
    _write(tmp_path, ".gitignore", "generated/\n*_old.py\n")
    _write(tmp_path, "generated/gen.py")
    _write(tmp_path, "a_old.py")
    _write(tmp_path, "a.py")
    _write(tmp_path, "sub/.gitignore", "local_*.py\n!local_keep.py\n")
    _write(tmp_path, "sub/local_scratch.py")
    _write(tmp_path, "sub/local_keep.py")
    _write(tmp_path, "sub/b_old.py")
    _write(tmp_path, "other/local_x.py")  # the sub/.gitignore does not reach here
    found = discover([tmp_path])
    assert [f.rel_path for f in found.files] == [
        "a.py",
        "other/local_x.py",
        "sub/local_keep.py",
    ]
    assert found.skipped["gitignored"] == 4


def test_gitignore_of_the_root_applies_when_walking_a_subfolder(tmp_path: Path) -> None:
    _write(tmp_path, ".gitignore", "scratch.py\n")
    _write(tmp_path, "a/scratch.py")
    _write(tmp_path, "a/keep.py")
    _write(tmp_path, "b/other.py")
    found = discover([tmp_path / "a", tmp_path / "b"])
    assert found.root == tmp_path
    assert [f.rel_path for f in found.files] == ["a/keep.py", "b/other.py"]


def test_exclude_globs_are_gitignore_patterns_relative_to_the_root(tmp_path: Path) -> None:
    for rel in ("a.py", "old/b.py", "x/old/c.py", "x/d_test.py", "x/e.py"):
        _write(tmp_path, rel)
    assert _paths(tmp_path, excludes=["/old/", "*_test.py"]) == ["a.py", "x/e.py", "x/old/c.py"]
    found = discover([tmp_path], excludes=["old/"])
    assert [f.rel_path for f in found.files] == ["a.py", "x/d_test.py", "x/e.py"]
    assert found.skipped["excluded"] == 2


def test_explicit_files_are_analysed_even_if_ignored(tmp_path: Path) -> None:
    _write(tmp_path, ".gitignore", "*.py\n")
    path = _write(tmp_path, "sub/a.py")
    found = discover([path])
    assert found.root == tmp_path / "sub"
    assert [f.rel_path for f in found.files] == ["a.py"]


def test_several_paths_share_their_common_parent_as_root(tmp_path: Path) -> None:
    one = _write(tmp_path, "x/one.py")
    _write(tmp_path, "y/z/two.py")
    found = discover([one, tmp_path / "y"])
    assert found.root == tmp_path
    assert [f.rel_path for f in found.files] == ["x/one.py", "y/z/two.py"]
    assert find_root([tmp_path / "y" / "z", one]) == tmp_path


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "nope"])
    with pytest.raises(InputError, match="at least one"):
        discover([])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlink_loops_are_reported_not_followed(tmp_path: Path) -> None:
    _write(tmp_path, "a/real.py")
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # a/loop -> the root: a cycle
    (tmp_path / "self.py").symlink_to(tmp_path / "self.py")  # ELOOP on stat
    found = discover([tmp_path])
    assert [f.rel_path for f in found.files] == ["a/real.py"]
    problems = {p.path: p for p in found.problems}
    assert set(problems) == {"a/loop", "self.py"}
    for problem in problems.values():
        assert problem.status == "skipped"
        assert problem.error is not None and problem.error.reason == "symlink_loop"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_symlinks_outside_are_followed_inside_are_not_walked_twice(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    _write(outside, "shared.py")
    root = tmp_path / "root"
    _write(root, "pkg/mod.py")
    (root / "vendored").symlink_to(outside)
    (root / "alias").symlink_to(root / "pkg")
    (root / "broken.py").symlink_to(root / "missing.py")
    found = discover([root])
    assert [f.rel_path for f in found.files] == ["pkg/mod.py", "vendored/shared.py"]
    assert found.skipped["symlink_duplicate"] == 1
    (broken,) = found.problems
    assert broken.path == "broken.py"
    assert broken.error is not None and broken.error.reason == "unreadable"
    assert "broken symlink" in broken.error.message


def test_module_names_follow_the_extractor_rule() -> None:
    assert module_for("a/b/c.py") == "a.b.c"
    assert module_for("a/__init__.py") == "a"
    assert module_for("run-bench.py") == "run-bench"


_PATTERNS = st.sampled_from(
    [
        "*.py",
        "build/",
        "!keep.py",
        "/top.py",
        "a/**/b",
        "sub/x.py",
        "*_old.*",
        "#c",
        "",
        "d?",
        "[ab]*.py",
        "**/gen/",
        "\\#lit.py",
        "x/",
        "!x/y.py",
    ]
)
_PATHS = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            "d1",
            "sub",
            "gen",
            "x",
            "top.py",
            "keep.py",
            "y.py",
            "a_old.py",
            "#lit.py",
            "x.py",
        ]
    ),
    min_size=1,
    max_size=4,
).map("/".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PATTERNS, max_size=8), _PATHS, st.booleans())
def test_ignore_prefilter_agrees_with_pathspec(
    patterns: list[str], path: str, folder: bool
) -> None:
    probe = path + "/" if folder else path
    expected = pathspec.GitIgnoreSpec.from_lines(patterns).check_file(probe).include
    assert IgnoreSpec(patterns).include(probe) == expected


def test_each_candidate_is_announced_as_the_walk_finds_it(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    for name in ("a.py", "pkg/b.py", "pkg/c.py"):
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("not python\n")
    seen: list[SourceFile] = []
    found = discover([tmp_path], on_file=seen.append)
    assert sorted(seen, key=lambda s: s.rel_path) == list(found.files)
