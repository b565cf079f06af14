"""Where the rewritten files go: a unified diff, a whole migrated tree, or the files themselves.

Every write is atomic (temp file in the same folder, then rename: :mod:`benchmig._io`), and
bytes are copied as bytes, so untouched files (and CRLF or latin-1 ones) are identical in the
migrated tree. ``--in-place`` re-reads each file just before replacing it and refuses one that
changed since it was read.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import logging
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from benchmig._io import atomic_write_bytes
from benchmig.errors import BenchmigError

__all__ = ["copy_tree", "text_diff", "tree_files", "write_in_place"]

logger = logging.getLogger(__name__)

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "node_modules",
    }
)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def text_diff(path: str, old: bytes | None, new: bytes) -> str:
    """A unified diff of one file (``old`` ``None``: a new file), git style headers."""
    before = _decode(old).splitlines(keepends=True) if old is not None else []
    after = _decode(new).splitlines(keepends=True)
    lines = difflib.unified_diff(
        before, after, "/dev/null" if old is None else f"a/{path}", f"b/{path}"
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def tree_files(starts: Sequence[Path], root: Path, skip: Sequence[Path] = ()) -> Iterator[str]:
    """Root-relative POSIX paths of every file under ``starts`` (folders walked, caches and VCS
    folders, virtualenvs and the ``skip`` folders left out), sorted within each folder."""
    skipped = {os.path.abspath(s) for s in skip}
    for start in starts:
        absolute = os.path.abspath(start)
        if os.path.isfile(absolute):
            yield Path(absolute).relative_to(root).as_posix()
            continue
        for folder, dirs, files in os.walk(absolute):
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in _SKIP_DIRS
                and os.path.join(folder, d) not in skipped
                and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
            )
            for name in sorted(files):
                full = os.path.join(folder, name)
                if not os.path.islink(full) or os.path.isfile(full):
                    yield Path(full).relative_to(root).as_posix()


def copy_tree(
    root: Path,
    out_dir: Path,
    files: Sequence[str],
    outputs: Mapping[str, bytes],
) -> list[str]:
    """Write the migrated tree: ``outputs`` (path -> new bytes, new files included) and every
    other file of ``files`` copied byte for byte. Returns the paths that could not be written
    (each with the reason)."""
    problems = []
    for path in sorted({*files, *outputs}):
        target = out_dir.joinpath(*path.split("/"))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if path in outputs:
                atomic_write_bytes(target, outputs[path])
            else:
                _copy_file(root.joinpath(*path.split("/")), target)
        except (OSError, BenchmigError) as exc:
            logger.warning("cannot write %s: %s", target, exc)
            problems.append(f"{path}: {exc}")
    return problems


def _copy_file(source: Path, target: Path) -> None:
    """Copy bytes through a temp file beside ``target`` and a rename: a reader never sees half
    a file. (No ``fsync`` per untouched file: a migrated tree of 14,000 files would spend
    minutes on it; the rewritten files are synced, see ``atomic_write_bytes``.)"""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_in_place(
    root: Path, outputs: Mapping[str, bytes], read_sha: Mapping[str, str]
) -> list[str]:
    """Replace files under ``root`` with ``outputs``; a file whose bytes no longer hash to
    ``read_sha`` (it changed during the run) is skipped. Returns the problems."""
    problems = []
    for path, data in sorted(outputs.items()):
        target = root.joinpath(*path.split("/"))
        expected = read_sha.get(path)
        try:
            if expected is not None and hashlib.sha256(target.read_bytes()).hexdigest() != expected:
                problems.append(f"{path}: changed on disk while apply ran; not rewritten")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data)
        except (OSError, BenchmigError) as exc:
            problems.append(f"{path}: {exc}")
    return problems
