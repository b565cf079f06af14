"""The environment a run was measured in, recorded next to its results.

:func:`collect_environment` gathers hardware, Python, OS, library versions and the git state of
the benchmarked tree. Missing tools (torch, git) give ``None`` fields with a reason; it never raises
for them.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import platform
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import benchmig
from benchmig.framework import _torch
from benchmig.framework._hardware import detect_hardware

__all__ = ["collect_environment", "git_info"]

logger = logging.getLogger(__name__)

GIT_TIMEOUT_S = 5.0


def collect_environment(paths: Sequence[Path] = ()) -> dict[str, Any]:
    """A JSON-ready description of this machine and of the benchmarked tree.

    Keys: ``hardware``, ``python``, ``os``, ``hostname``, ``benchmig``, ``torch``, ``numpy`` and
    ``git`` (state of the repository holding ``paths[0]``, or the working directory when ``paths``
    is empty; ``None`` outside a git repository or without git).
    """
    return {
        "hardware": detect_hardware().to_dict(),
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "executable": sys.executable,
        },
        "os": {
            "system": platform.system(),
            "release": platform.release(),
            "platform": platform.platform(),
            "machine": platform.machine(),
        },
        "hostname": socket.gethostname(),
        "benchmig": {"version": benchmig.__version__},
        "torch": _torch_environment(),
        "numpy": {"version": _distribution_version("numpy")},
        "git": git_info(Path(paths[0]) if paths else Path.cwd()),
    }


def _torch_environment() -> dict[str, Any]:
    torch = _torch.get_torch()
    if torch is None:
        return {"version": None, "cuda": None, "hip": None, "reason": _torch.torch_import_error()}
    version = getattr(torch, "version", None)
    cuda, hip = getattr(version, "cuda", None), getattr(version, "hip", None)
    return {
        "version": str(torch.__version__),
        "cuda": str(cuda) if cuda else None,
        "hip": str(hip) if hip else None,
        "reason": None,
    }


def _distribution_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def git_info(path: Path) -> dict[str, Any] | None:
    """``{"commit", "branch", "dirty"}`` of the git repository holding ``path``, or ``None``.

    ``commit`` is None before the first commit, ``branch`` on a detached HEAD; ``dirty`` counts
    changes to tracked files only (as ``git describe --dirty`` does). ``None`` when ``path`` is not
    in a repository, git is missing, or it does not answer within a few seconds.
    """
    folder = path if path.is_dir() else path.parent
    # Porcelain v2 with --branch gives commit, branch and changes in one stable, parseable call;
    # GIT_OPTIONAL_LOCKS=0 keeps a status query from taking the index lock of a busy repository.
    command = ["git", "status", "--porcelain=v2", "--branch", "--untracked-files=no"]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        completed = subprocess.run(
            command,
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.debug("no git information for %s: %s", folder, exc)
        return None
    if completed.returncode != 0:
        logger.debug("no git information for %s: %s", folder, completed.stderr.strip())
        return None
    return _parse_status(completed.stdout)


def _parse_status(output: str) -> dict[str, Any]:
    commit: str | None = None
    branch: str | None = None
    dirty = False
    for line in output.splitlines():
        if line.startswith("# branch.oid "):
            value = line.removeprefix("# branch.oid ").strip()
            commit = None if value == "(initial)" else value
        elif line.startswith("# branch.head "):
            value = line.removeprefix("# branch.head ").strip()
            branch = None if value == "(detached)" else value
        elif line and not line.startswith("#"):
            dirty = True
    return {"commit": commit, "branch": branch, "dirty": dirty}
