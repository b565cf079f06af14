"""Run the file rewrites in parallel, dependencies first.

A file is submitted once every file it waits for (see :mod:`benchmig.codemods._plan`) has
finished; it then receives their outcomes, and a cluster member receives the decision taken on
its representative. Workers get the tree's analysis once, through the pool initializer. A
worker that dies (a crash in native code, the OOM killer) fails only the files it held: they
are reported as errors and the run goes on in a fresh pool.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from benchmig.analyzer import Analysis
from benchmig.codemods._outcome import FileOutcome
from benchmig.codemods._plan import ApplyPlan
from benchmig.codemods._support import ClusterDecision
from benchmig.codemods._transform import (
    FileResult,
    FileTask,
    init_worker,
    strategy_of,
    transform_file,
)

__all__ = ["Progress", "default_jobs", "run_plan"]

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, FileResult], None]
"""``progress(done, total, result)``, called in the parent as each file finishes."""

_IN_PROCESS_FILES = 4  # fewer files than this: starting workers costs more than it saves


def default_jobs() -> int:
    """One worker per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class _Scheduler:
    """Which files are ready, and what each one is told when it starts."""

    def __init__(self, plan: ApplyPlan, analysis: Analysis, root: Path, paths: list[str]) -> None:
        self.plan = plan
        self.analysis = analysis
        self.root = root
        self.waiting = {p: set(plan.files[p].deps) & set(paths) for p in paths}
        self.dependents: dict[str, list[str]] = defaultdict(list)
        for path, deps in self.waiting.items():
            for dep in deps:
                self.dependents[dep].append(path)
        self.results: dict[str, FileResult] = {}
        self.representative = {
            member: cluster for cluster in plan.clusters for member in cluster.members
        }

    def ready(self) -> list[str]:
        found = sorted(p for p, deps in self.waiting.items() if not deps)
        for path in found:
            del self.waiting[path]
        return found

    def finish(self, result: FileResult) -> None:
        path = result.outcome.path
        self.results[path] = result
        for dependent in self.dependents.get(path, ()):
            self.waiting.get(dependent, set()).discard(path)

    def task(self, path: str) -> FileTask:
        plan = self.plan.files[path]
        done: Mapping[str, FileOutcome] = {
            dep: self.results[dep].outcome for dep in plan.deps if dep in self.results
        }
        report = self.analysis.by_path[path]
        return FileTask(
            path=path,
            abs_path=str(self.root.joinpath(*path.split("/"))),
            codemods=plan.codemods,
            role=report.role,
            done=done,
            decision=self._decision(path),
        )

    def _decision(self, path: str) -> ClusterDecision | None:
        cluster = self.representative.get(path)
        if cluster is None or cluster.representative == path:
            return None
        result = self.results.get(cluster.representative)
        if result is None:
            return None
        outcome = result.outcome
        reasons = tuple(r for u in outcome.units for r in u.reasons)
        return ClusterDecision(cluster.id, cluster.representative, outcome.strategy, reasons)


def run_plan(
    plan: ApplyPlan,
    analysis: Analysis,
    root: Path,
    paths: list[str],
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> dict[str, FileResult]:
    """Rewrite ``paths`` (all planned for transformation) and return their results by path."""
    scheduler = _Scheduler(plan, analysis, root, paths)
    workers = jobs or default_jobs()
    if workers == 1 or len(paths) < _IN_PROCESS_FILES:
        return _run_here(scheduler, analysis, len(paths), progress)
    return _run_pool(scheduler, analysis, workers, len(paths), progress)


def _run_here(
    scheduler: _Scheduler, analysis: Analysis, total: int, progress: Progress | None
) -> dict[str, FileResult]:
    init_worker(analysis)
    try:
        while True:
            ready = scheduler.ready()
            if not ready:
                break
            for path in ready:
                result = transform_file(scheduler.task(path))
                scheduler.finish(result)
                if progress is not None:
                    progress(len(scheduler.results), total, result)
    finally:
        gc.unfreeze()  # this process goes on: let the collector see its objects again
    return scheduler.results


def _pool(workers: int, analysis: Analysis) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=init_worker,
        initargs=(analysis, os.getpid()),
    )


def _run_pool(
    scheduler: _Scheduler,
    analysis: Analysis,
    workers: int,
    total: int,
    progress: Progress | None,
) -> dict[str, FileResult]:
    pending: dict[Future[FileResult], FileTask] = {}
    pool = _pool(workers, analysis)

    def finish(result: FileResult) -> None:
        scheduler.finish(result)
        if progress is not None:
            progress(len(scheduler.results), total, result)

    try:
        while True:
            for path in scheduler.ready():
                task = scheduler.task(path)
                pending[pool.submit(transform_file, task)] = task
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            suspects: list[FileTask] = []
            for future in finished:
                task = pending.pop(future)
                try:
                    finish(future.result())
                except BrokenProcessPool:
                    suspects.append(task)
            if suspects:
                # A dead worker breaks the whole pool and every task it held: retry each one
                # alone, so only the file that kills a worker is reported as crashed.
                suspects.extend(pending.values())
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for task in suspects:
                    finish(_isolated(task, analysis))
                pool = _pool(workers, analysis)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return scheduler.results


def _isolated(task: FileTask, analysis: Analysis) -> FileResult:
    with _pool(1, analysis) as pool:
        try:
            return pool.submit(transform_file, task).result()
        except BrokenProcessPool:
            return _crashed(task)


def _crashed(task: FileTask) -> FileResult:
    logger.warning("%s: the worker process died while rewriting it", task.path)
    outcome = FileOutcome(
        path=task.path,
        status="error",
        strategy=strategy_of(task.role, "ok", (), False),
        error="the worker process died while rewriting this file (a crash in native code, or "
        "out of memory); it was left unchanged",
    )
    return FileResult(outcome)
