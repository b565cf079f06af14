"""Find the Python files of a legacy tree: one root, ``.gitignore`` and ``--exclude`` respected.

Discovery only looks at names and ``stat`` results (plus the first line of extensionless files,
for a python shebang); it never opens a ``.py`` file. What it leaves out is counted by reason,
and what it cannot look at (a symlink loop, a broken link) comes back as a skipped
:class:`~benchmig.analyzer._facts.FileFacts`, so nothing disappears silently.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmig.analyzer._facts import FileError, FileFacts
from benchmig.analyzer._ignore import IgnoreRules, IgnoreSpec
from benchmig.analyzer._source import module_name
from benchmig.errors import InputError

__all__ = [
    "DEFAULT_SKIP_DIRS",
    "Discovery",
    "SourceFile",
    "discover",
    "module_for",
    "skipped_facts",
]

logger = logging.getLogger(__name__)

DEFAULT_SKIP_DIRS: dict[str, str] = {
    ".git": "vcs",
    ".hg": "vcs",
    ".svn": "vcs",
    "node_modules": "default_excluded",
    "build": "default_excluded",
    "dist": "default_excluded",
    "__pycache__": "default_excluded",
    ".tox": "default_excluded",
    ".nox": "default_excluded",
    ".mypy_cache": "default_excluded",
    ".pytest_cache": "default_excluded",
    ".ruff_cache": "default_excluded",
    ".eggs": "default_excluded",
    "site-packages": "default_excluded",
}
"""Folder names never walked, with the reason they are counted under."""

_VENV_NAMES = frozenset({".venv", "venv", "env", ".env"})
_SHEBANG_PROBE = 256


@dataclass(frozen=True)
class SourceFile:
    """A candidate file: where it is, and the ``stat`` facts the cache's fast path keys on."""

    rel_path: str  # POSIX, relative to the root
    abs_path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Discovery:
    """What a walk found: the root, the candidate files, the files it could not look at."""

    root: Path
    files: tuple[SourceFile, ...]
    problems: tuple[FileFacts, ...] = ()  # skipped: symlink_loop, unreadable
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> entries (a folder counts 1)


def module_for(rel_path: str) -> str:
    """Dotted module name of a root-relative path (``a/b.py`` -> ``a.b``).

    ``a/__init__.py`` names the package ``a``: the extractor's rule (defined in ``_source``).
    """
    return module_name(rel_path)[0]


def skipped_facts(rel_path: str, reason: str, message: str, size: int = 0) -> FileFacts:
    """A :class:`FileFacts` for a file that was not analysed, saying why."""
    return FileFacts(
        path=rel_path,
        module=module_for(rel_path),
        status="skipped",
        size_bytes=size,
        error=FileError(reason, message),
    )


@dataclass(frozen=True)
class _Folder:
    """A folder to walk: where it is, its root-relative path, its rules, the real paths of it
    and its parents (to recognise a symlink that loops back)."""

    path: str
    rel: str
    rules: IgnoreRules
    reals: tuple[str, ...]


class _Walker:
    """One walk over the start paths below one root."""

    def __init__(
        self,
        root: Path,
        rules: IgnoreRules,
        shebang: bool,
        starts: Sequence[str],
        on_file: Callable[[SourceFile], None] | None = None,
    ) -> None:
        self.root = root
        self.on_file = on_file
        self.base_rules = rules
        self.shebang = shebang
        self.start_reals = tuple(os.path.realpath(s) for s in starts)
        self.files: dict[str, SourceFile] = {}
        self.problems: dict[str, FileFacts] = {}
        self.skipped: Counter[str] = Counter()
        self.visited: set[str] = set()

    def rel(self, path: str) -> str:
        return Path(os.path.relpath(path, self.root)).as_posix()

    def rules_for(self, folder: str) -> IgnoreRules:
        """Rules in force inside ``folder``: every ``.gitignore`` from the root down to it."""
        rules = self.base_rules
        rel = self.rel(folder)
        parts = [] if rel == "." else rel.split("/")
        current = str(self.root)
        rules = rules.entering(current, "")
        for index, part in enumerate(parts):
            current = os.path.join(current, part)
            rules = rules.entering(current, "/".join(parts[: index + 1]))
        return rules

    def walk(self, start: str) -> None:
        real = os.path.realpath(start)
        self.visited.add(real)
        rel = self.rel(start)
        stack = [_Folder(start, "" if rel == "." else rel, self.rules_for(start), (real,))]
        while stack:
            folder = stack.pop()
            for entry in self._entries(folder.path):
                child = self._visit(entry, folder)
                if child is not None:
                    stack.append(child)

    def _entries(self, folder: str) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(folder) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            logger.warning("cannot list %s (%s): skipped", folder, exc.strerror)
            self.skipped["unreadable_folder"] += 1
            return []

    def _visit(self, entry: os.DirEntry[str], folder: _Folder) -> _Folder | None:
        rel = f"{folder.rel}/{entry.name}" if folder.rel else entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            return self._visit_dir(entry, rel, folder)
        if not self._is_candidate(entry):
            self.skipped["not_python"] += 1
            return None
        reason = folder.rules.reason(rel, is_dir=False)
        if reason is not None:
            self.skipped[reason] += 1
            return None
        self.add_file(entry.path, rel)
        return None

    def _visit_dir(self, entry: os.DirEntry[str], rel: str, folder: _Folder) -> _Folder | None:
        reason = _dir_skip_reason(entry) or folder.rules.reason(rel, is_dir=True)
        if reason is not None:
            self.skipped[reason] += 1
            return None
        real = os.path.realpath(entry.path) if entry.is_symlink() else None
        if real is not None:
            if any(_is_inside(r, real) for r in folder.reals):
                self.problems[rel] = skipped_facts(
                    rel, "symlink_loop", f"{rel}: symlink to {real} loops back to a parent folder"
                )
                return None
            if real in self.visited or any(_is_inside(real, s) for s in self.start_reals):
                self.skipped["symlink_duplicate"] += 1  # walked through its real path
                return None
            self.visited.add(real)
        real = real or os.path.join(folder.reals[-1], entry.name)
        return _Folder(
            entry.path, rel, folder.rules.entering(entry.path, rel), (*folder.reals, real)
        )

    def _is_candidate(self, entry: os.DirEntry[str]) -> bool:
        name = entry.name
        if name.endswith(".py"):
            return True
        if not self.shebang or "." in name:
            return False
        return _has_python_shebang(entry.path)

    def add_file(self, path: str, rel: str) -> None:
        """Stat one file and record it as a candidate, or as a problem if it cannot be."""
        try:
            info = os.stat(path)
        except OSError as exc:
            self.problems[rel] = _stat_problem(rel, path, exc)
            return
        if not stat.S_ISREG(info.st_mode):
            self.skipped["not_regular_file"] += 1
            return
        source = SourceFile(rel, os.path.abspath(path), info.st_size, info.st_mtime_ns)
        self.files[rel] = source
        if self.on_file is not None:
            self.on_file(source)


def _is_inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _stat_problem(rel: str, path: str, exc: OSError) -> FileFacts:
    if exc.errno == errno.ELOOP:
        return skipped_facts(rel, "symlink_loop", f"{rel}: symlink loop ({exc.strerror})")
    if os.path.islink(path):
        target = os.readlink(path)
        return skipped_facts(rel, "unreadable", f"{rel}: broken symlink to {target}")
    return skipped_facts(rel, "unreadable", f"{rel}: cannot stat ({exc.strerror})")


def _dir_skip_reason(entry: os.DirEntry[str]) -> str | None:
    name = entry.name
    reason = DEFAULT_SKIP_DIRS.get(name)
    if reason is not None:
        return reason
    if name.endswith(".egg-info"):
        return "default_excluded"
    if _is_virtualenv(entry.path, name):
        return "virtualenv"
    return None


def _is_virtualenv(path: str, name: str) -> bool:
    if os.path.exists(os.path.join(path, "pyvenv.cfg")):
        return True
    if name not in _VENV_NAMES:
        return False
    if os.path.isdir(os.path.join(path, "Lib", "site-packages")):
        return True
    lib = os.path.join(path, "lib")
    try:
        pythons = [n for n in os.listdir(lib) if n.startswith("python")]
    except OSError:
        return False
    return any(os.path.isdir(os.path.join(lib, n, "site-packages")) for n in pythons)


def _has_python_shebang(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SHEBANG_PROBE)
    except OSError:
        return False
    first = head.split(b"\n", 1)[0]
    return first.startswith(b"#!") and b"python" in first


def find_root(paths: Sequence[Path]) -> Path:
    """The one root of a run: the folder given, a file's folder, or the common parent of several."""
    if not paths:
        raise InputError("no path to analyze: give at least one file or folder")
    folders = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if not absolute.exists() and not absolute.is_symlink():
            raise InputError(f"{path}: no such file or folder; check the path")
        folders.append(str(absolute if absolute.is_dir() else absolute.parent))
    try:
        return Path(os.path.commonpath(folders))
    except ValueError as exc:  # different drives on Windows
        raise InputError(
            f"the paths have no common folder ({exc}): analyze them one by one"
        ) from exc


def discover(
    paths: Sequence[Path],
    *,
    excludes: Sequence[str] = (),
    shebang: bool = True,
    on_file: Callable[[SourceFile], None] | None = None,
) -> Discovery:
    """Walk ``paths`` (files or folders) and return the candidate Python files below one root.

    ``excludes`` are gitignore-style patterns relative to the root (``generated/``,
    ``*_old.py``). Files named explicitly are always analysed; inside folders, ``.gitignore``
    files, ``excludes`` and the default folders (:data:`DEFAULT_SKIP_DIRS`, virtualenvs) are
    skipped. ``on_file(source)`` is called for each candidate as the walk finds it (files are
    only final in the answer). Raises :class:`InputError` for a path that does not exist.
    """
    root = find_root(paths)
    rules = IgnoreRules((), IgnoreSpec(excludes) if excludes else None)
    starts = [os.path.abspath(p) for p in paths]
    walker = _Walker(root, rules, shebang, [s for s in starts if os.path.isdir(s)], on_file)
    for start in starts:
        if os.path.isdir(start):
            walker.walk(start)
        else:
            walker.add_file(start, walker.rel(start))
    problems = {rel: f for rel, f in walker.problems.items() if rel not in walker.files}
    logger.debug("discovered %d files below %s", len(walker.files), root)
    return Discovery(
        root=root,
        files=tuple(walker.files[k] for k in sorted(walker.files)),
        problems=tuple(problems[k] for k in sorted(problems)),
        skipped=dict(sorted(walker.skipped.items())),
    )
