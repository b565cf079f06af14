"""Resolve what a file imports (or launches) to files of the tree, packages, or nothing.

Resolution is static: nothing is imported. In ``sys.path`` order, an import is ``exact`` when
a file answers it the way Python would: a package-relative import, a module found in a folder
the file's ``sys.path`` hacks insert, next to a script (its ``sys.path[0]``), in appended hack
folders, or from the analysed root. Then come the standard library and well-known packages
(``stdlib`` / ``external``); then bare module names anywhere in the tree: one match is ``exact``
(``via="bare_name"``), several are ``ambiguous`` (every candidate kept, nearest first, never
trusted); then installed distributions; and otherwise ``unresolved``. docs/analyzer.md has the
table and the reasons for this order.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from benchmig.analyzer._facts import FileFacts, Idiom, ImportRecord
from benchmig.analyzer._packages import KNOWN_EXTERNAL, installed_top_levels, is_stdlib

__all__ = [
    "KNOWN_EXTERNAL",
    "Resolution",
    "Resolved",
    "Resolver",
    "is_stdlib",
]

Resolution = Literal["exact", "ambiguous", "unresolved", "external", "stdlib"]


@dataclass(frozen=True)
class Resolved:
    """Where one import (or launched script) leads."""

    resolution: Resolution
    targets: tuple[str, ...] = ()  # file paths (exact, ambiguous) or the top-level package
    reason: str = ""  # why it is unresolved or ambiguous, for people
    via: str = ""  # relative, script_dir, sys_path_hack, root, bare_name, stdlib, external


class Resolver:
    """Resolves imports of any file against one tree's file list."""

    def __init__(
        self, paths: Iterable[str], external: Iterable[str] = (), root_package: str = ""
    ) -> None:
        self.paths = frozenset(paths)
        self.folders: set[str] = set()
        self.children: dict[str, set[str]] = defaultdict(set)  # folder -> names importable in it
        for path in self.paths:
            parts = path.split("/")
            for depth in range(len(parts)):
                folder = "/".join(parts[:depth])
                self.folders.add(folder)
                name = parts[depth]
                last = depth == len(parts) - 1
                self.children[folder].add(name[:-3] if last and name.endswith(".py") else name)
        self.by_tail: dict[str, list[str]] = defaultdict(list)
        for path in sorted(self.paths):
            for tail in _module_tails(path):
                self.by_tail[tail].append(path)
        self.external = KNOWN_EXTERNAL | frozenset(external) | installed_top_levels()
        self.packages = frozenset(
            p[: -len("/__init__.py")] for p in self.paths if p.endswith("/__init__.py")
        )
        if "__init__.py" in self.paths:
            self.packages |= {""}
        self._memo: dict[str, Resolved] = {}
        # A root that is itself a package (it holds __init__.py) is imported by its name.
        self.root_prefix = f"{root_package}." if root_package and "" in self.packages else ""

    def file_at(self, folder: str, dotted: str) -> str | None:
        """The file a dotted module names below ``folder`` (``a.b`` -> ``a/b.py`` or a package);
        an empty ``dotted`` names the package ``folder`` itself. ``folder`` is normalised
        (``""`` for the root, no ``.`` or ``..`` parts)."""
        base = _below(folder, dotted.replace(".", "/")) if dotted else folder
        if base not in self.folders:  # not a package folder: a module file or nothing
            module = base + ".py"
            return module if dotted and module in self.paths else None
        init = _below(base, "__init__.py")
        if init in self.paths:
            return init
        module = base + ".py"
        return module if dotted and module in self.paths else None

    def _at(self, folder: str, record: ImportRecord, dotted: str) -> tuple[str, ...]:
        """Files ``record`` imports when ``dotted`` is looked up in ``folder`` (or nothing).

        ``from pkg import a, b`` leads to ``pkg/a.py`` and ``pkg/b.py`` when they are
        submodules, and to the package itself for any name that is not.
        """
        names = [n for n in record.names if n != "*"]
        base = _below(folder, dotted.replace(".", "/")) if dotted else folder
        found: set[str] = set()
        if names and base in self.folders:  # only a folder of the tree can hold submodules
            for name in names:
                submodule = self.file_at(base, name)
                if submodule is not None:
                    found.add(submodule)
            if len(found) == len(names):
                return tuple(sorted(found))
        module = self.file_at(folder, dotted)
        if module is not None:
            found.add(module)
        return tuple(sorted(found))

    def resolve(
        self, facts: FileFacts, record: ImportRecord, search: Sequence[tuple[str, str, bool]]
    ) -> Resolved:
        """Resolve one import of ``facts``; ``search`` is :func:`search_folders`' answer."""
        if record.level > 0:
            return self._relative(facts, record)
        dotted = record.module
        top = dotted.split(".")[0]
        near: str | None = None  # a searched folder that has `top`, but not the rest
        for folder, via, weak in search:
            if top not in self.children.get(folder, ()):
                continue  # the common case (stdlib, packages): nothing of that name there
            if weak and (is_stdlib(top) or top in KNOWN_EXTERNAL):
                continue
            found = self._at(folder, record, dotted)
            if found:
                return Resolved("exact", found, via=via)
            near = folder if near is None else near
        if self.root_prefix and dotted.startswith(self.root_prefix):
            inside = self._at("", record, dotted[len(self.root_prefix) :])
            if inside:
                return Resolved("exact", inside, via="root")
        answer = self._elsewhere(dotted)
        if facts.path in answer.targets:  # a file does not import itself by its name
            answer = self._by_name(dotted, tuple(t for t in answer.targets if t != facts.path))
        if answer.resolution == "unresolved" and near is not None:
            where = _below(near, top)
            reason = (
                f"'{dotted}': the tree has {where} but nothing for the rest (moved or removed?)"
            )
            return Resolved("unresolved", (), reason, via="none")
        if answer.resolution == "ambiguous":
            return _nearest_first(facts.path, answer)
        return answer

    def _elsewhere(self, dotted: str) -> Resolved:
        """What an absolute import resolves to when no searched folder has it (memoised: it
        depends on the name alone, and most imports are of the same few packages)."""
        known = self._memo.get(dotted)
        if known is None:
            top = dotted.split(".")[0]
            if is_stdlib(top):
                known = Resolved("stdlib", (top,), via="stdlib")
            elif top in KNOWN_EXTERNAL:  # before bare names: a torch.py somewhere is not torch
                known = Resolved("external", (top,), via="external")
            else:
                known = self._by_name(dotted, tuple(self.by_tail.get(dotted, ())))
            self._memo[dotted] = known
        return known

    def _by_name(self, dotted: str, candidates: tuple[str, ...]) -> Resolved:
        if len(candidates) == 1:
            return Resolved("exact", candidates, via="bare_name")
        if candidates:
            reason = (
                f"'{dotted}' matches {len(candidates)} files by its bare name and nothing puts "
                "one of their folders on sys.path"
            )
            return Resolved("ambiguous", candidates, reason, via="bare_name")
        top = dotted.split(".")[0]
        if top in self.external:
            return Resolved("external", (top,), via="external")
        return Resolved(
            "unresolved",
            (),
            f"'{dotted}' is no file of the tree, no standard-library module and no known or "
            "installed package",
            via="none",
        )

    def _relative(self, facts: FileFacts, record: ImportRecord) -> Resolved:
        folder = posixpath.dirname(facts.path)
        parts = folder.split("/") if folder else []
        if record.level - 1 > len(parts):
            return Resolved(
                "unresolved",
                (),
                f"relative import '{record.module}' goes above the analysed root",
                via="relative",
            )
        base = "/".join(parts[: len(parts) - (record.level - 1)])
        dotted = record.module.lstrip(".")
        found = self._at(base, record, dotted)
        if found:
            return Resolved("exact", found, via="relative")
        where = base or "the root"
        return Resolved(
            "unresolved",
            (),
            f"relative import '{record.module}' has no target file in {where}",
            via="relative",
        )

    def resolve_script(self, facts: FileFacts, idiom: Idiom) -> Resolved | None:
        """Resolve the Python script a ``subprocess_launch`` starts; ``None`` if none is named.

        The script is looked up next to the launcher, then from the root (the two working
        folders orchestrators are run from).
        """
        target = idiom.attrs.get("target")
        if not isinstance(target, str) or not target.endswith(".py"):
            return None
        if posixpath.isabs(target):
            return Resolved("unresolved", (), f"launched script '{target}' is an absolute path")
        folder = posixpath.dirname(facts.path)
        for base in (folder, ""):
            candidate = posixpath.normpath(posixpath.join(base, target))
            if candidate in self.paths:
                return Resolved("exact", (candidate,), via="script_dir" if base else "root")
        return Resolved(
            "unresolved", (), f"launched script '{target}' does not exist (moved or removed?)"
        )


def _nearest_first(importer: str, ambiguous: Resolved) -> Resolved:
    """Order the candidates of an ambiguous import by how much of the importer's folder they
    share (a copied folder imports its own copy): a hint for people, still not exact."""
    folder = importer.split("/")[:-1]

    def shared(candidate: str) -> int:
        parts = candidate.split("/")[:-1]
        return next(
            (n for n, (a, b) in enumerate(zip(folder, parts, strict=False)) if a != b),
            min(len(folder), len(parts)),
        )

    ranked = tuple(sorted(ambiguous.targets, key=lambda c: (-shared(c), c)))
    listed = ", ".join(ranked[:5]) + (", ..." if len(ranked) > 5 else "")
    return replace(
        ambiguous, targets=ranked, reason=f"{ambiguous.reason}: {listed} (nearest first)"
    )


def _below(folder: str, rel: str) -> str:
    return f"{folder}/{rel}" if folder else rel


def _module_tails(path: str) -> list[str]:
    """Every dotted suffix of a file's module name: ``a/b/c.py`` -> ``c``, ``b.c``, ``a.b.c``."""
    parts = path[:-3].split("/") if path.endswith(".py") else path.split("/")
    if parts and parts[-1] == "__init__":
        parts.pop()
    return [".".join(parts[i:]) for i in range(len(parts)) if parts[i:]]


def search_folders(facts: FileFacts, packages: Collection[str]) -> list[tuple[str, str, bool]]:
    """Where an absolute import of ``facts`` is looked up, in ``sys.path`` order: each
    ``(folder, via, weak)``. ``packages`` are the folders holding an ``__init__.py``.

    Folders a hack inserts at the front come first, then the file's own folder (a script's
    ``sys.path[0]``), folders appended by hacks, and the analysed root. A module inside a
    package is normally imported, not run: its own folder is then only a *weak* last resort
    (a Python 2 style implicit relative import), never used for a standard-library or
    well-known package name (``deepspeed/comm/torch.py`` does not shadow ``torch``).
    """
    front: list[tuple[str, str, bool]] = []
    back: list[tuple[str, str, bool]] = []
    for folder, inserted in sys_path_folders(facts):
        (front if inserted else back).append((folder, "sys_path_hack", False))
    own = posixpath.dirname(facts.path)
    in_package = own in packages
    entries = [
        *front,
        *([] if in_package else [(own, "script_dir", False)]),
        *back,
        ("", "root", False),
    ]
    if in_package:
        entries.append((own, "script_dir", True))
    first: dict[str, tuple[str, str, bool]] = {}
    for folder, via, weak in entries:
        first.setdefault(folder, (folder, "script_dir" if folder == own else via, weak))
    return list(first.values())


def sys_path_folders(facts: FileFacts) -> list[tuple[str, bool]]:
    """Root-relative folders the file's ``sys.path`` hacks add inside the tree, each with
    whether it goes to the front (``insert``, slice assignment) rather than the end.

    A folder derived from ``__file__`` is relative to the file's folder; a relative literal is
    relative to the working directory, taken to be the root (where scripts are usually run
    from). Absolute and computed paths cannot be mapped onto the tree and are ignored.
    """
    own = posixpath.dirname(facts.path)
    folders = []
    for idiom in facts.idioms_of("sys_path_hack"):
        target = idiom.attrs.get("target")
        kind = idiom.attrs.get("target_kind")
        if not isinstance(target, str) or kind not in ("dir", "file", "cwd"):
            continue
        base = "" if kind == "cwd" else own
        folder = own if kind == "file" else posixpath.normpath(posixpath.join(base, target))
        if folder == ".":
            folder = ""
        if folder != ".." and not folder.startswith("../"):
            front = idiom.attrs.get("operation") in ("insert", "assign")
            folders.append((folder, front))
    return folders
