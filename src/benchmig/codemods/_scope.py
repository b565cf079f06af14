"""Which tree an apply run reads: its root, its analysis, and the files it was asked about.

A rewrite is only as safe as the analysis behind it: whether a ``sys.path`` hack serves other
files, which helper a script imports, who imports a file. So when ``migrate apply`` is given
single files, it analyses the whole project around them (the nearest folder above with a
``.git``, ``pyproject.toml``, ``setup.py`` or ``setup.cfg``, else the files' common folder)
and rewrites only the files named. Given folders, the folders are the tree, as given.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from benchmig.analyzer import Analysis, analyze_paths, load_analysis
from benchmig.analyzer._discover import find_root
from benchmig.errors import InputError

__all__ = ["PROJECT_MARKERS", "load_scope", "project_root", "selected_paths"]

logger = logging.getLogger(__name__)

PROJECT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")


def project_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` that holds a project marker, or None."""
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in PROJECT_MARKERS):
            return candidate
    return None


def load_scope(
    paths: Sequence[Path], analysis_file: Path | None, *, jobs: int | None, use_cache: bool
) -> tuple[Path, Analysis]:
    """The root of the run and the analysis of the tree below it.

    Raises :class:`InputError` when ``analysis_file`` describes another tree or names no file
    that exists under the root.
    """
    start = find_root(paths)
    if analysis_file is not None:
        return _recorded(paths, start, analysis_file)
    if all(Path(p).is_dir() for p in paths):
        return start, analyze_paths(list(paths), jobs=jobs, use_cache=use_cache)
    root = project_root(start) or start
    if root != start:
        logger.info("analysing the project at %s to rewrite the files given", root)
    return root, analyze_paths([root], jobs=jobs, use_cache=use_cache)


def _recorded(paths: Sequence[Path], start: Path, analysis_file: Path) -> tuple[Path, Analysis]:
    analysis = load_analysis(analysis_file)
    recorded = Path(analysis.root)
    if recorded.exists():
        recorded = recorded.resolve()
        inside = all(
            recorded == p or recorded in p.parents
            for p in (Path(os.path.abspath(q)).resolve() for q in paths)
        )
        if not inside:
            raise InputError(
                f"{analysis_file} describes {analysis.root}, not {start}: give paths inside "
                f"that tree, or re-create it with 'migrate analyze {start}'"
            )
        root = Path(os.path.abspath(analysis.root))
    else:  # the tree moved since it was analysed: trust the paths given
        root = start
    if not any(root.joinpath(*f.path.split("/")).exists() for f in analysis.files):
        raise InputError(f"{analysis_file} names no file that exists under {root}")
    return root, replace(analysis, root=str(root))


def selected_paths(paths: Sequence[Path], root: Path, analysis: Analysis) -> list[str]:
    """Root-relative paths of the analysed files at or below ``paths``."""
    starts = [Path(os.path.abspath(p)) for p in paths]
    wanted = []
    for report in analysis.files:
        absolute = root.joinpath(*report.path.split("/"))
        if any(absolute == s or s in absolute.parents for s in starts):
            wanted.append(report.path)
    return wanted
