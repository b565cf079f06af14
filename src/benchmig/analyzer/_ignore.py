"""Ignore rules of a walk: ``.gitignore`` files from the root down, and ``--exclude`` patterns."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pathspec

__all__ = ["IgnoreRules", "IgnoreSpec", "read_gitignore"]

logger = logging.getLogger(__name__)


class IgnoreSpec:
    """A gitignore spec with a one-regex prefilter: most paths match none of its patterns, and
    one combined ``re.match`` answers that far faster than asking every pattern in turn."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.spec = pathspec.GitIgnoreSpec.from_lines(lines)
        sources = []
        for pattern in self.spec.patterns:
            regex = getattr(pattern, "regex", None)
            if pattern.include is not None and isinstance(regex, re.Pattern):
                sources.append(str(regex.pattern).replace("(?P<ps_d>", "(?:"))
        try:
            self.any: re.Pattern[str] | None = re.compile("|".join(f"(?:{s})" for s in sources))
        except re.error:
            self.any = None
        self.empty = not sources

    def include(self, path: str) -> bool | None:
        """True if ignored, False if re-included by a ``!`` pattern, None if no pattern matches."""
        if self.empty or (self.any is not None and self.any.match(path) is None):
            return None
        return self.spec.check_file(path).include


@dataclass(frozen=True)
class IgnoreRules:
    """The ignore rules in force for one folder: ``.gitignore`` specs from the root down."""

    gitignores: tuple[tuple[str, IgnoreSpec], ...]  # (folder relative to the root, spec)
    excludes: IgnoreSpec | None

    def reason(self, rel: str, is_dir: bool) -> str | None:
        """``"excluded"``, ``"gitignored"`` or ``None`` for a root-relative path."""
        probe = rel + "/" if is_dir else rel
        if self.excludes is not None and self.excludes.include(probe):
            return "excluded"
        ignored = False
        for base, spec in self.gitignores:  # deeper files come later and override
            include = spec.include(probe[len(base) + 1 :] if base else probe)
            if include is not None:
                ignored = include
        return "gitignored" if ignored else None

    def entering(self, folder: str, rel: str) -> IgnoreRules:
        """The rules for the folder at ``rel``, adding its own ``.gitignore`` if it has one."""
        spec = read_gitignore(os.path.join(folder, ".gitignore"))
        if spec is None:
            return self
        return IgnoreRules((*self.gitignores, (rel, spec)), self.excludes)


def read_gitignore(path: str) -> IgnoreSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        logger.warning("cannot read %s (%s): its rules are not applied", path, exc.strerror)
        return None
    return IgnoreSpec(text.splitlines())
