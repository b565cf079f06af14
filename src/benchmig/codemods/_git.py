"""``--in-place`` safety: which of the files about to be rewritten have uncommitted changes.

Like ``cargo fix``, ``migrate apply --in-place`` refuses to touch a file whose current content
git does not hold (modified, staged, untracked), unless ``--allow-dirty``: the rewrite must be
reviewable as a diff and revertible with git. Outside a git work tree it refuses as well.
"""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from benchmig.errors import InputError

__all__ = ["dirty_files", "git_toplevel"]

logger = logging.getLogger(__name__)

_TIMEOUT_S = 60


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        timeout=_TIMEOUT_S,
        check=False,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
    )


def git_toplevel(folder: Path) -> Path | None:
    """The work tree holding ``folder``, or ``None`` (not a repository, or no git installed)."""
    try:
        done = _git(["rev-parse", "--show-toplevel"], folder)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.debug("git rev-parse failed in %s: %s", folder, exc)
        return None
    if done.returncode != 0:
        return None
    return Path(os.fsdecode(done.stdout.strip()))


def dirty_files(root: Path, paths: Iterable[Path]) -> list[Path]:
    """The ``paths`` (absolute) that differ from what git holds: modified, staged, untracked
    or conflicted. Raises :class:`InputError` when ``root`` is not inside a git work tree."""
    toplevel = git_toplevel(root)
    if toplevel is None:
        raise InputError(
            f"{root} is not inside a git repository (or git is not installed): --in-place "
            "only rewrites files git can show and revert; commit the tree to git first, use "
            "--out DIR, or pass --allow-dirty"
        )
    done = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--", "."], root)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise InputError(f"git status failed in {root}: {message}")
    changed = set()
    entries = done.stdout.split(b"\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        status, name = entry[:2], os.fsdecode(entry[3:])
        if status[:1] in (b"R", b"C"):
            index += 1  # the rename's source path follows
        changed.add((toplevel / name).resolve())
    return sorted(p for p in (Path(p).resolve() for p in paths) if p in changed)
