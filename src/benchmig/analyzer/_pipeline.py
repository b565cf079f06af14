"""Analyse many files in parallel: cache first, then a process pool that reads and extracts.

The parent sends paths, never contents: each worker (see ``_worker``) reads its files, hashes
them, asks the cache through its own read-only connection, and only on a miss runs the
extractor and the fingerprint. Results stream back chunk by chunk; the parent writes them to
the cache in one transaction per chunk and reports progress. Memory stays bounded by a few
chunks of source in flight.

A worker that dies (a crash in a parser, the OOM killer) breaks the pool: the files it was
working on are retried one at a time in a fresh single-worker pool, and a file that kills that
one too gets ``parse_error`` / ``internal_error``. If worker processes cannot start at all (a
calling script without an ``if __name__ == "__main__":`` guard), the run continues in-process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from benchmig import __version__
from benchmig.analyzer._cache import AnalysisCache, analyzer_code_digest, entry_key
from benchmig.analyzer._clusters import FINGERPRINT_VERSION
from benchmig.analyzer._discover import SourceFile
from benchmig.analyzer._extract import EXTRACTOR_VERSION
from benchmig.analyzer._worker import (
    Extractor,
    FileRecord,
    Outcome,
    WorkerTask,
    analyse_chunk,
    analyse_files,
    decode_record,
    internal_error,
    paused_gc,
    ping,
)
from benchmig.errors import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileRecord",
    "PipelineOptions",
    "RunStats",
    "default_jobs",
    "run_pipeline",
]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 8_000_000
_IN_PROCESS_BYTES = 6_000_000  # below this, starting workers (~0.6 s each) costs more than it saves
_MAX_CHUNK_FILES = 64
_MAX_TWIN_CHUNK_FILES = 256  # a chunk may grow to this to keep files of equal size together
_FLUSH_BYTES = 16_000_000  # cache writes are batched up to this many bytes of records

Progress = Callable[[int, int], None]
Chunk = tuple[SourceFile, ...]


@dataclass(frozen=True)
class PipelineOptions:
    """How to run: parallelism, cache folder (``None``: no cache), size limit, extractor."""

    jobs: int | None = None
    cache_dir: Path | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    extractor: Extractor | None = None  # None: benchmig.analyzer._extract.extract_facts


@dataclass(frozen=True)
class RunStats:
    """How a run went; for progress messages and measurements, not part of ``analysis.json``."""

    files: int
    from_cache: int
    analysed: int
    bytes_read: int
    jobs: int
    worker_crashes: int  # files a worker process died on (in the pool and again alone)
    elapsed_s: float


@dataclass
class _Tally:
    from_cache: int = 0
    analysed: int = 0
    bytes_read: int = 0
    crashes: int = 0
    records: dict[str, FileRecord] = field(default_factory=dict)


class _PoolUnavailable(Exception):
    """Worker processes do not start here."""


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def cache_namespace(extractor: Extractor | None) -> str:
    """What cached results depend on besides the file: benchmig, extractor, fingerprint
    versions and the analyzer's own code."""
    if extractor is not None:
        return f"custom:{extractor.__module__}.{extractor.__qualname__}"
    versions = f"benchmig={__version__};extractor={EXTRACTOR_VERSION}"
    return f"{versions};fingerprint={FINGERPRINT_VERSION};code={analyzer_code_digest()}"


def _chunks(files: Sequence[SourceFile], jobs: int) -> deque[Chunk]:
    """Largest files first (no straggler at the end), in chunks of roughly equal bytes.

    Files of equal size stay in one chunk (up to a bound), so that copies of a file, which a
    worker analyses once per chunk, are found.
    """
    ordered = sorted(files, key=lambda f: (-f.size, f.rel_path))
    target = min(max(sum(f.size for f in ordered) // (jobs * 24), 256_000), 4_000_000)
    chunks: deque[Chunk] = deque()
    current: list[SourceFile] = []
    size = 0
    for n, source in enumerate(ordered):
        current.append(source)
        size += source.size
        full = size >= target or len(current) >= _MAX_CHUNK_FILES
        twin_next = n + 1 < len(ordered) and ordered[n + 1].size == source.size
        if full and not (twin_next and len(current) < _MAX_TWIN_CHUNK_FILES):
            chunks.append(tuple(current))
            current, size = [], 0
    if current:
        chunks.append(tuple(current))
    return chunks


def _new_pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers have all started and answered a ping (raises
    :class:`_PoolUnavailable`)."""
    # spawn: no inherited SQLite handles or threads, and the same behaviour on every platform
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        # One ping per worker, all at once: the pool starts a process per task it cannot give
        # to an idle one, so every worker imports at the same time. (After a single ping, the
        # second worker would only start with the second chunk: 0.4-0.8 s late.)
        for future in [pool.submit(ping) for _ in range(workers)]:
            future.result()
    except Exception as exc:
        pool.shutdown(wait=True, cancel_futures=True)
        raise _PoolUnavailable(f"{type(exc).__name__}: {exc}") from exc
    return pool


def _run_pool(
    chunks: deque[Chunk], task: WorkerTask, jobs: int, suspects: list[SourceFile]
) -> Iterator[list[Outcome]]:
    """Run ``chunks`` on ``jobs`` workers; files of chunks lost to a dead worker go to
    ``suspects``. Chunks not started stay in ``chunks`` if :class:`_PoolUnavailable` is raised."""
    while chunks:
        with _new_pool(jobs) as pool:
            in_flight: dict[Future[list[Outcome]], Chunk] = {}
            broken = False
            while (chunks or in_flight) and not broken:
                while chunks and len(in_flight) < 2 * jobs:
                    chunk = chunks.popleft()
                    in_flight[pool.submit(analyse_chunk, chunk, task)] = chunk
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = in_flight.pop(future)
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.extend(chunk)
                    except Exception as exc:  # a failure outside the per-file guard
                        logger.warning(
                            "a worker failed on a chunk (%s): retrying file by file", exc
                        )
                        suspects.extend(chunk)
            for future, chunk in in_flight.items():  # lost with the pool, unless already done
                if future.done() and future.exception() is None:
                    yield future.result()
                else:
                    suspects.extend(chunk)


def _died(source: SourceFile, exc: BaseException) -> Outcome:
    message = (
        "the worker process died while analysing this file "
        f"({type(exc).__name__}: {exc}); the parser may have crashed on it"
    )
    logger.warning("%s: %s", source.rel_path, message)
    record = FileRecord(internal_error(source, message))
    return Outcome(source, record, cacheable=False, worker_died=True)


def _run_quarantine(suspects: Sequence[SourceFile], task: WorkerTask) -> Iterator[list[Outcome]]:
    """Retry suspects one at a time, each alone in a worker; a second death convicts the file."""
    queue = deque(sorted(suspects, key=lambda f: f.rel_path))
    while queue:
        try:
            pool = _new_pool(1)
        except _PoolUnavailable as exc:
            yield [_died(source, exc) for source in queue]
            return
        with pool:
            while queue:
                source = queue.popleft()
                try:
                    yield pool.submit(analyse_chunk, (source,), task).result()
                except Exception as exc:
                    yield [_died(source, exc)]
                    break  # the pool is broken: start a fresh one for the rest


def _outcome_batches(
    pending: Sequence[SourceFile],
    task: WorkerTask,
    jobs: int,
    cache: AnalysisCache | None,
    tally: _Tally,
) -> Iterator[list[Outcome]]:
    chunks = _chunks(pending, jobs)
    if jobs > 1:
        suspects: list[SourceFile] = []
        try:
            yield from _run_pool(chunks, task, min(jobs, len(chunks)), suspects)
        except _PoolUnavailable as exc:
            logger.warning(
                "worker processes cannot start (%s): analysing in this process instead; a "
                "script calling analyze_paths needs an 'if __name__ == \"__main__\":' guard",
                exc,
            )
        if suspects:
            logger.warning("a worker process died: retrying %d files one at a time", len(suspects))
            for outcomes in _run_quarantine(suspects, task):
                tally.crashes += sum(1 for o in outcomes if o.worker_died)
                yield outcomes
    for chunk in chunks:  # everything when jobs == 1; what is left if no pool could start
        yield analyse_files(chunk, task, cache)


def _cached_fast(
    cache: AnalysisCache | None, source: SourceFile, namespace: str
) -> FileRecord | None:
    """A record for a file whose size and mtime are unchanged: not even read and hashed."""
    if cache is None:
        return None
    sha = cache.sha_for_stat(source.abs_path, source.size, source.mtime_ns)
    if sha is None:
        return None
    return decode_record(cache.get(entry_key(namespace, sha, source.rel_path)), source.rel_path)


class _CacheWriter:
    """Buffers results and writes them in few large transactions (each commit costs a WAL
    write; per chunk they were a quarter of the parent's time on a cold run)."""

    def __init__(self, cache: AnalysisCache | None, namespace: str) -> None:
        self.cache = cache
        self.namespace = namespace
        self.entries: list[tuple[str, bytes]] = []
        self.stats: list[tuple[str, int, int, str]] = []
        self.pending = 0

    def add(self, outcomes: Sequence[Outcome]) -> None:
        if self.cache is None:
            return
        for o in outcomes:
            if not o.cacheable:
                continue
            if not o.cached:
                blob = o.packed()
                self.entries.append((entry_key(self.namespace, o.sha256, o.source.rel_path), blob))
                self.pending += len(blob)
            self.stats.append((o.source.abs_path, o.source.size, o.source.mtime_ns, o.sha256))
        if self.pending >= _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.cache is not None and (self.entries or self.stats):
            self.cache.put_many(self.entries, self.stats)
        self.entries, self.stats, self.pending = [], [], 0


def _collect(outcomes: Sequence[Outcome], tally: _Tally) -> None:
    for outcome in outcomes:
        tally.records[outcome.source.rel_path] = outcome.unpacked()
        if outcome.cached:
            tally.from_cache += 1
        else:
            tally.analysed += 1
        if outcome.sha256:
            tally.bytes_read += outcome.source.size


def _effective_jobs(requested: int | None, pending: Sequence[SourceFile]) -> int:
    if requested is not None:
        if requested < 1:
            raise InputError(f"--jobs must be at least 1, got {requested}")
        return requested
    if sum(f.size for f in pending) < _IN_PROCESS_BYTES:
        return 1
    return default_jobs()


def run_pipeline(
    files: Sequence[SourceFile],
    options: PipelineOptions,
    progress: Progress | None = None,
) -> tuple[dict[str, FileRecord], RunStats]:
    """Analyse ``files`` (cache first) and return ``rel_path -> FileRecord`` plus run figures."""
    started = time.perf_counter()
    namespace = cache_namespace(options.extractor)
    cache = None if options.cache_dir is None else AnalysisCache.open(options.cache_dir, namespace)
    tally = _Tally()
    pending = []
    with paused_gc():
        for source in files:
            record = _cached_fast(cache, source, namespace)
            if record is None:
                pending.append(source)
            else:
                tally.records[source.rel_path] = record
    tally.from_cache = len(tally.records)
    jobs = _effective_jobs(options.jobs, pending)
    cache_dir = str(options.cache_dir) if cache is not None else None
    task = WorkerTask(namespace, cache_dir, options.max_bytes, options.extractor)
    if progress is not None:
        progress(len(tally.records), len(files))
    try:
        writer = _CacheWriter(cache, namespace)
        with paused_gc() as sweep:
            for outcomes in _outcome_batches(pending, task, jobs, cache, tally):
                _collect(outcomes, tally)
                writer.add(outcomes)
                sweep()
                if progress is not None:
                    progress(len(tally.records), len(files))
        writer.flush()
    finally:
        if cache is not None:
            cache.close()
    stats = RunStats(
        files=len(files),
        from_cache=tally.from_cache,
        analysed=tally.analysed,
        bytes_read=tally.bytes_read,
        jobs=jobs,
        worker_crashes=tally.crashes,
        elapsed_s=time.perf_counter() - started,
    )
    return tally.records, stats
