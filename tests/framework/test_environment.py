"""The recorded environment: versions, hardware and the git state of the benchmarked tree."""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import benchmig
from benchmig.framework import _environment
from benchmig.framework._environment import collect_environment, git_info
from tests.framework.fake_torch import install_torch, make_torch, torch_hidden

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git executable")


@pytest.fixture
def no_torch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with torch_hidden(monkeypatch):
        yield


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A folder git cannot see a repository around, with no user or system git config."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(variable, raising=False)
    root = tmp_path / "work"
    root.mkdir()
    return root


def _git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args]
    done = subprocess.run(command, cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _repo_with_commit(root: Path) -> Path:
    _git(root, "-c", "init.defaultBranch=main", "init", "-q")
    (root / "bench").mkdir()
    (root / "bench" / "bench_mlp.py").write_text("x = 1\n", encoding="utf-8")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    return root


@needs_git
def test_git_commit_branch_and_dirty_flag(isolated: Path) -> None:
    repo = _repo_with_commit(isolated)
    bench = repo / "bench" / "bench_mlp.py"

    clean = collect_environment([bench])["git"]

    assert clean == {"commit": _git(repo, "rev-parse", "HEAD"), "branch": "main", "dirty": False}
    (repo / "untracked.py").write_text("y = 2\n", encoding="utf-8")
    assert git_info(bench) == clean  # untracked files do not make the tree dirty
    bench.write_text("x = 2\n", encoding="utf-8")
    assert git_info(repo / "bench") == {**clean, "dirty": True}


@needs_git
def test_git_detached_head_and_unborn_branch(isolated: Path) -> None:
    _git(isolated, "-c", "init.defaultBranch=trunk", "init", "-q")
    assert git_info(isolated) == {"commit": None, "branch": "trunk", "dirty": False}

    (isolated / "a.py").write_text("a = 1\n", encoding="utf-8")
    _git(isolated, "add", ".")
    _git(isolated, "commit", "-q", "-m", "one")
    commit = _git(isolated, "rev-parse", "HEAD")
    _git(isolated, "checkout", "-q", "--detach")
    assert git_info(isolated) == {"commit": commit, "branch": None, "dirty": False}


@needs_git
def test_outside_a_repository_git_is_none(isolated: Path) -> None:
    script = isolated / "bench.py"
    script.write_text("pass\n", encoding="utf-8")
    assert collect_environment([script])["git"] is None
    assert git_info(isolated / "does-not-exist" / "x.py") is None


def test_without_git_the_git_entry_is_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no git executable on PATH
    assert git_info(tmp_path) is None


def test_git_timeout_gives_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def hang(*args: object, **kwargs: object) -> None:
        raise subprocess.TimeoutExpired(cmd="git", timeout=_environment.GIT_TIMEOUT_S)

    monkeypatch.setattr(subprocess, "run", hang)
    assert git_info(tmp_path) is None


def test_environment_describes_python_platform_and_versions(tmp_path: Path) -> None:
    env = collect_environment([tmp_path])

    assert env["python"]["version"] == platform.python_version()
    assert env["python"]["implementation"] == platform.python_implementation()
    assert env["python"]["executable"]
    assert env["os"]["system"] == platform.system()
    assert env["hostname"]
    assert env["benchmig"] == {"version": benchmig.__version__}
    assert env["numpy"]["version"] == __import__("numpy").__version__
    assert env["hardware"]["backends"]["cpu"]["available"] is True
    json.dumps(env)


@pytest.mark.usefixtures("no_torch")
def test_without_torch_the_torch_entry_says_why(tmp_path: Path) -> None:
    torch_entry = collect_environment([tmp_path])["torch"]
    assert torch_entry == {
        "version": None,
        "cuda": None,
        "hip": None,
        "reason": "torch is not installed (pip install 'benchmig[torch]')",
    }


def test_with_torch_the_versions_are_recorded(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch_entry = collect_environment([tmp_path])["torch"]
    assert torch_entry["version"] == torch.__version__
    assert torch_entry["cuda"] == torch.version.cuda
    assert torch_entry["reason"] is None


def test_a_rocm_torch_records_its_hip_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_torch(monkeypatch, make_torch(cuda=None, hip="6.2.41133"))
    torch_entry = collect_environment([tmp_path])["torch"]
    assert torch_entry == {
        "version": "2.13.0+fake",
        "cuda": None,
        "hip": "6.2.41133",
        "reason": None,
    }
