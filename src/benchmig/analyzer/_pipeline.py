"""Analyse many files in parallel: cache first, then a process pool that reads and extracts.

The parent sends paths, never contents: each worker (see ``_worker``) reads its files, hashes
them, asks the cache through its own read-only connection, and only on a miss runs the
extractor and the fingerprint. Results stream back chunk by chunk; the parent writes them to
the cache in a few large transactions and reports progress. Memory stays bounded by a few
chunks of source in flight.

A :class:`Pipeline` is fed file by file while discovery walks the tree: files unchanged since
the cache saw them are taken from it at once, and as soon as the others add up to enough
bytes for worker processes, the workers start (see ``_pool``), importing while the walk goes
on. Worker deaths and workers that cannot start are handled in ``_pool``; in the latter case
the run continues in-process.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from benchmig import __version__
from benchmig.analyzer._cache import AnalysisCache, analyzer_code_digest, entry_key
from benchmig.analyzer._clusters import FINGERPRINT_VERSION
from benchmig.analyzer._discover import SourceFile
from benchmig.analyzer._extract import EXTRACTOR_VERSION
from benchmig.analyzer._pool import Chunk, PoolUnavailable, StartedPool, run_pool, run_quarantine
from benchmig.analyzer._worker import (
    Extractor,
    FileRecord,
    Outcome,
    WorkerTask,
    analyse_files,
    decode_record,
    paused_gc,
)
from benchmig.errors import InputError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FileRecord",
    "Pipeline",
    "PipelineOptions",
    "RecordHook",
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
RecordHook = Callable[[FileRecord], None]


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
    on_record: RecordHook | None = None

    def add(self, rel_path: str, record: FileRecord) -> None:
        self.records[rel_path] = record
        if self.on_record is not None:
            self.on_record(record)


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


def _outcome_batches(
    pending: Sequence[SourceFile],
    task: WorkerTask,
    jobs: int,
    cache: AnalysisCache | None,
    tally: _Tally,
    started: StartedPool | None,
) -> Iterator[list[Outcome]]:
    chunks = _chunks(pending, jobs)
    if jobs > 1:
        suspects: list[SourceFile] = []
        try:
            yield from run_pool(chunks, task, min(jobs, len(chunks)), suspects, started)
        except PoolUnavailable as exc:
            logger.warning(
                "worker processes cannot start (%s): analysing in this process instead; a "
                "script calling analyze_paths needs an 'if __name__ == \"__main__\":' guard",
                exc,
            )
        if suspects:
            logger.warning("a worker process died: retrying %d files one at a time", len(suspects))
            for outcomes in run_quarantine(suspects, task):
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
        tally.add(outcome.source.rel_path, outcome.unpacked())
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


class Pipeline:
    """One run, fed file by file (:meth:`offer`, e.g. from discovery's walk), then :meth:`run`.

    Use it as a context manager: leaving it closes the cache and stops workers never used.
    """

    def __init__(self, options: PipelineOptions) -> None:
        self.options = options
        self.namespace = cache_namespace(options.extractor)
        self.cache: AnalysisCache | None = None  # opened with the first file
        self.cache_opened = False
        self.offered: dict[str, tuple[SourceFile, FileRecord | None]] = {}
        self.pending_bytes = 0
        self.started: StartedPool | None = None
        self.tried_start = False
        self.began = time.perf_counter()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the cache; stop workers started for nothing."""
        if self.started is not None:
            self.started.cancel()
            self.started = None
        if self.cache is not None:
            self.cache.close()
            self.cache = None

    def _open_cache(self) -> AnalysisCache | None:
        if not self.cache_opened:
            self.cache_opened = True
            folder = self.options.cache_dir
            self.cache = None if folder is None else AnalysisCache.open(folder, self.namespace)
        return self.cache

    def offer(self, source: SourceFile) -> None:
        """Take an unchanged file from the cache now; start the workers once the files left to
        analyse are enough for them (the same rule :meth:`run` applies to the whole list)."""
        record = _cached_fast(self._open_cache(), source, self.namespace)
        self.offered[source.rel_path] = (source, record)
        if record is not None or self.tried_start:
            return
        self.pending_bytes += source.size
        if self.pending_bytes < _IN_PROCESS_BYTES:
            return
        self.tried_start = True
        jobs = default_jobs() if self.options.jobs is None else self.options.jobs
        if jobs > 1:
            try:
                self.started = StartedPool(jobs)
            except PoolUnavailable as exc:  # run() tries again, and says so
                logger.debug("workers could not start early: %s", exc)

    def run(
        self,
        files: Sequence[SourceFile],
        progress: Progress | None = None,
        on_record: RecordHook | None = None,
    ) -> tuple[dict[str, FileRecord], RunStats]:
        """Analyse ``files`` (cache first) and return ``rel_path -> FileRecord`` plus figures.

        ``on_record(record)`` is called in this process as each file's record arrives (while
        worker processes still analyse others), once per file.
        """
        tally = _Tally(on_record=on_record)
        pending = []
        self._open_cache()
        with paused_gc():
            for source in files:
                known = self.offered.get(source.rel_path)
                if known is not None and known[0] == source:
                    record = known[1]
                else:
                    record = _cached_fast(self.cache, source, self.namespace)
                if record is None:
                    pending.append(source)
                else:
                    tally.add(source.rel_path, record)
        tally.from_cache = len(tally.records)
        jobs = _effective_jobs(self.options.jobs, pending)
        started, self.started = self.started, None
        if started is not None and (jobs == 1 or not pending):
            started.cancel()
            started = None
        try:
            self._analyse(pending, jobs, tally, started, len(files), progress)
        finally:
            self.close()
        stats = RunStats(
            files=len(files),
            from_cache=tally.from_cache,
            analysed=tally.analysed,
            bytes_read=tally.bytes_read,
            jobs=jobs,
            worker_crashes=tally.crashes,
            elapsed_s=time.perf_counter() - self.began,
        )
        return tally.records, stats

    def _analyse(
        self,
        pending: Sequence[SourceFile],
        jobs: int,
        tally: _Tally,
        started: StartedPool | None,
        total: int,
        progress: Progress | None,
    ) -> None:
        cache = self.cache
        cache_dir = str(self.options.cache_dir) if cache is not None else None
        task = WorkerTask(self.namespace, cache_dir, self.options.max_bytes, self.options.extractor)
        if progress is not None:
            progress(len(tally.records), total)
        writer = _CacheWriter(cache, self.namespace)
        with paused_gc() as sweep:
            for outcomes in _outcome_batches(pending, task, jobs, cache, tally, started):
                _collect(outcomes, tally)
                writer.add(outcomes)
                if not all(isinstance(o.record, bytes) for o in outcomes):
                    sweep()  # analysed here: parsing may leave cycles (decoded records have none)
                if progress is not None:
                    progress(len(tally.records), total)
        writer.flush()


def run_pipeline(
    files: Sequence[SourceFile],
    options: PipelineOptions,
    progress: Progress | None = None,
    on_record: RecordHook | None = None,
) -> tuple[dict[str, FileRecord], RunStats]:
    """Analyse ``files`` (cache first) and return ``rel_path -> FileRecord`` plus run figures
    (a :class:`Pipeline` offered every file at once; ``on_record`` as in :meth:`Pipeline.run`).
    """
    with Pipeline(options) as pipeline:
        with paused_gc():
            for source in files:
                pipeline.offer(source)
        return pipeline.run(files, progress, on_record)
