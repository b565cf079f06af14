"""``migrate apply``: rewrite a legacy tree with the codemods, guided by its analysis.

:func:`apply_paths` runs the analyzer on the tree (:mod:`._scope`: given files, their whole
project) or loads its ``analysis.json``, plans which codemods
touch which file (:mod:`._plan`), rewrites the candidates in parallel, dependencies first
(:mod:`._schedule`, :mod:`._transform`), decides each duplicate cluster once, renames clashing
benchmark names (:mod:`._names`), and then, by mode, returns a diff, only reports, writes the
whole migrated tree to a folder, or replaces the files in place (after a git check). Nothing
it rewrites is ever imported or run.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from benchmig.analyzer import Analysis, FileReport
from benchmig.codemods._clusters import ClusterOutcome, decide_clusters
from benchmig.codemods._git import dirty_files
from benchmig.codemods._names import plan_renames, rename_registrations, renamed_outcome
from benchmig.codemods._outcome import FileOutcome
from benchmig.codemods._plan import FilePlan, build_plan
from benchmig.codemods._registry import CODEMOD_ORDER, codemod_class
from benchmig.codemods._safety import check_output
from benchmig.codemods._schedule import Progress, run_plan
from benchmig.codemods._scope import load_scope, selected_paths
from benchmig.codemods._transform import FileResult, strategy_of
from benchmig.codemods._unexplained import explain_manual, mark_migrated
from benchmig.codemods._writer import copy_tree, text_diff, tree_files, write_in_place
from benchmig.errors import InputError

__all__ = ["ApplyOptions", "ApplyResult", "Mode", "apply_paths"]

logger = logging.getLogger(__name__)

Mode = Literal["diff", "check", "out", "in-place"]


@dataclass(frozen=True)
class ApplyOptions:
    """How to apply: the mode and its folder, parallelism, which codemods, which analysis."""

    mode: Mode
    out_dir: Path | None = None
    jobs: int | None = None
    codemods: tuple[str, ...] = ()  # empty: all, in run order
    analysis: Path | None = None  # an analysis.json of the same tree (else analysed now)
    allow_dirty: bool = False
    use_cache: bool = True


@dataclass(frozen=True)
class ApplyResult:
    """What apply did (or would do) to every file of the tree."""

    root: str
    mode: Mode
    files: tuple[FileOutcome, ...]  # sorted by path
    clusters: tuple[ClusterOutcome, ...] = ()
    new_files: tuple[str, ...] = ()  # root-relative paths of files the codemods created
    created_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # source -> new files
    diff: str = ""  # --diff: the unified diff of every change
    problems: tuple[str, ...] = ()  # files that could not be written, with the reason
    seconds: float = 0.0
    stats: Mapping[str, Any] = field(default_factory=dict)

    @property
    def changed(self) -> list[FileOutcome]:
        """Files that change (or gain a new file beside them)."""
        return [f for f in self.files if f.status == "changed"]

    @property
    def errors(self) -> list[FileOutcome]:
        """Files left unchanged because their rewrite failed a check or raised."""
        return [f for f in self.files if f.status == "error"]


def _check_options(options: ApplyOptions) -> None:
    if options.mode == "out" and options.out_dir is None:
        raise InputError("--out needs a folder: migrate apply PATH --out DIR")
    if options.jobs is not None and options.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {options.jobs}")
    for name in options.codemods:
        codemod_class(name)


def _check_out_dir(paths: Sequence[Path], options: ApplyOptions) -> None:
    """``--out`` must not lie in what is copied (a file's project may hold it: not copied)."""
    if options.mode == "out" and options.out_dir is not None:
        out = Path(os.path.abspath(options.out_dir))
        for given in (Path(os.path.abspath(p)) for p in paths):
            if out == given or given in out.parents:
                raise InputError(
                    f"--out {options.out_dir} is inside the tree being migrated ({given}); "
                    "choose a folder outside it"
                )


def _left_alone(report: FileReport, plan: FilePlan) -> FileOutcome:
    status: Literal["unchanged", "skipped"] = (
        "unchanged" if report.facts.status == "ok" else "skipped"
    )
    return FileOutcome(
        path=report.path,
        status=status,
        strategy=strategy_of(report.role, report.facts.status, (), False),
        warnings=tuple(f"{b.location}: {b.reason}" for b in report.migration.blockers),
        error=None if report.facts.status == "ok" else plan.reason,
    )


def apply_paths(
    paths: Sequence[Path],
    options: ApplyOptions,
    *,
    progress: Progress | None = None,
    on_analysis: Callable[[Analysis], None] | None = None,
) -> ApplyResult:
    """Migrate the Python files under ``paths`` (one root) as ``options`` say.

    Raises :class:`~benchmig.errors.InputError` for bad paths or options, a mismatching
    analysis, or (``--in-place``) files with uncommitted changes; a file whose rewrite fails
    is reported in the result, never raised.
    """
    started = time.perf_counter()
    _check_options(options)
    _check_out_dir(paths, options)
    root, analysis = load_scope(
        paths, options.analysis, jobs=options.jobs, use_cache=options.use_cache
    )
    if on_analysis is not None:
        on_analysis(analysis)
    plan = build_plan(analysis, options.codemods or CODEMOD_ORDER)
    wanted = selected_paths(paths, root, analysis)
    todo = [p for p in plan.transformed if p in set(wanted)]
    results = run_plan(plan, analysis, root, todo, jobs=options.jobs, progress=progress)
    results = _dedupe(results, analysis, root)
    outcomes = {
        p: results[p].outcome if p in results else _left_alone(analysis.by_path[p], plan.files[p])
        for p in wanted
    }
    outcomes = {p: mark_migrated(o, analysis.by_path.get(p)) for p, o in outcomes.items()}
    clusters, outcomes = decide_clusters(plan, outcomes)
    outcomes = {
        p: explain_manual(o, analysis.by_path.get(p), analysis) for p, o in outcomes.items()
    }
    outputs = {p: r.output for p, r in results.items() if r.output is not None}
    created = {p: d for r in results.values() for p, d in r.new_files.items()}
    result = ApplyResult(
        root=str(root),
        mode=options.mode,
        files=tuple(outcomes[p] for p in sorted(outcomes)),
        clusters=clusters,
        new_files=tuple(sorted(created)),
        created_by={p: tuple(sorted(r.new_files)) for p, r in results.items() if r.new_files},
        stats={"transformed": len(todo), "files": len(wanted)},
    )
    result = _emit(result, paths, root, options, outputs, created, results)
    return replace(result, seconds=time.perf_counter() - started)


def _emit(
    result: ApplyResult,
    paths: Sequence[Path],
    root: Path,
    options: ApplyOptions,
    outputs: Mapping[str, bytes],
    created: Mapping[str, bytes],
    results: Mapping[str, FileResult],
) -> ApplyResult:
    if options.mode == "diff":
        return replace(result, diff=_diff(root, outputs, created))
    if options.mode == "check":
        return result
    everything = {**outputs, **created}
    if options.mode == "out":
        assert options.out_dir is not None
        out = Path(os.path.abspath(options.out_dir))
        files = list(tree_files(paths, root, skip=[out]))
        return replace(result, problems=tuple(copy_tree(root, out, files, everything)))
    touched = [root.joinpath(*p.split("/")) for p in everything]
    if not options.allow_dirty:
        dirty = dirty_files(root, touched)
        if dirty:
            listing = "\n  ".join(str(p) for p in dirty)
            raise InputError(
                f"{len(dirty)} file(s) to rewrite have uncommitted changes (commit or stash "
                f"them, or pass --allow-dirty):\n  {listing}"
            )
    read_sha = {p: r.sha256 for p, r in results.items()}
    return replace(result, problems=tuple(write_in_place(root, everything, read_sha)))


def _diff(root: Path, outputs: Mapping[str, bytes], created: Mapping[str, bytes]) -> str:
    parts = []
    for path in sorted({*outputs, *created}):
        target = root.joinpath(*path.split("/"))
        if path in outputs:
            parts.append(text_diff(path, target.read_bytes(), outputs[path]))
        else:
            old = target.read_bytes() if target.exists() else None
            if old != created[path]:
                parts.append(text_diff(path, old, created[path]))
    return "".join(parts)


def _dedupe(
    results: dict[str, FileResult], analysis: Analysis, root: Path
) -> dict[str, FileResult]:
    """Rename benchmark names registered by several files (see :mod:`._names`)."""
    renames = plan_renames({p: r.outcome for p, r in results.items()})
    for path, mapping in renames.items():
        result = results[path]
        original = root.joinpath(*path.split("/")).read_bytes()
        base = result.output if result.output is not None else original
        renamed, found, encoding = rename_registrations(base, mapping)
        reason = check_output(path, original, renamed, encoding) if found else None
        if not found or reason is not None:
            note = reason or "its registration does not spell the name as a literal"
            outcome = replace(
                result.outcome,
                warnings=result.outcome.warnings
                + tuple(
                    f"{path}: benchmark name {old!r} is also registered by another file and "
                    f"could not be renamed ({note}); rename it by hand"
                    for old in sorted(mapping)
                ),
            )
            results[path] = replace(result, outcome=outcome)
            continue
        used = {old: new for old, new in mapping.items() if old in found}
        outcome = renamed_outcome(result.outcome, used, _rename_note(path))
        outcome = replace(outcome, status="changed")
        results[path] = replace(result, outcome=outcome, output=renamed)
    return results


def _rename_note(path: str) -> Callable[[str, str], str]:
    def note(old: str, new: str) -> str:
        return f"{path}: benchmark {old!r} renamed {new!r} (another file registers that name)"

    return note
