"""What a worker process does with one file: read, hash, look up the cache, extract, fingerprint.

Only paths come in and only facts go out (:class:`FileRecord`), so nothing large crosses the
process boundary and no tree outlives its file. Nothing here raises for a bad file: unreadable
and oversized files become ``skipped`` facts, an extractor exception ``internal_error``.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from benchmig.analyzer._cache import AnalysisCache, entry_key
from benchmig.analyzer._classify import DynamicCall, find_dynamic_code
from benchmig.analyzer._clusters import (
    Fingerprint,
    fingerprint_source,
    model_key_pattern,
    normalise_source,
)
from benchmig.analyzer._discover import SourceFile, skipped_facts
from benchmig.analyzer._extract import extract_facts
from benchmig.analyzer._facts import FileFacts
from benchmig.analyzer._source import module_name

__all__ = [
    "Extractor",
    "FileRecord",
    "Outcome",
    "WorkerTask",
    "analyse_chunk",
    "analyse_file",
    "analyse_files",
    "decode_record",
    "encode_record",
    "internal_error",
    "paused_gc",
    "ping",
]

logger = logging.getLogger(__name__)

Extractor = Callable[..., FileFacts]
"""``extract(rel_path, data, *, max_bytes=...) -> FileFacts``; must be a module-level function."""

_FINGERPRINTED_ERRORS = frozenset({"syntax_error", "python2", "merge_conflict"})


@dataclass(frozen=True)
class FileRecord:
    """Everything one worker learned about one file (this is what the cache stores)."""

    facts: FileFacts
    fingerprint: Fingerprint | None = None
    dynamic: tuple[DynamicCall, ...] = ()


@dataclass(frozen=True)
class WorkerTask:
    """The settings every file of a run is analysed with (sent to each worker with a chunk)."""

    namespace: str
    cache_dir: str | None
    max_bytes: int
    extractor: Extractor | None  # None: benchmig.analyzer._extract.extract_facts


@dataclass(frozen=True)
class Outcome:
    """One file's record, with what the parent needs to update the cache.

    A worker process sends the record already encoded (``bytes``, the cache's form): the parent
    decodes it once and stores the same bytes, instead of unpickling and pickling it again.
    """

    source: SourceFile
    record: FileRecord | bytes
    sha256: str = ""
    cached: bool = False
    cacheable: bool = True
    worker_died: bool = False  # the process analysing it died, twice

    def unpacked(self) -> FileRecord:
        """The record (decoded if it came encoded)."""
        if isinstance(self.record, FileRecord):
            return self.record
        decoded = decode_record(self.record, self.source.rel_path)
        if decoded is None:  # cannot happen for bytes a worker just encoded; be safe anyway
            return FileRecord(internal_error(self.source, "a worker's result could not be read"))
        return decoded

    def packed(self) -> bytes:
        """The record's cache form."""
        return self.record if isinstance(self.record, bytes) else encode_record(self.record)


def encode_record(record: FileRecord) -> bytes:
    """Cache form of a record."""
    return pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)


def decode_record(blob: bytes | None, rel_path: str) -> FileRecord | None:
    """A cached record for ``rel_path``, or ``None`` for a miss or a corrupt entry."""
    if blob is None:
        return None
    try:
        record = pickle.loads(blob)
    except Exception as exc:  # a corrupt entry is a miss, whatever unpickling raised
        logger.debug("ignoring corrupt cache entry for %s: %s", rel_path, exc)
        return None
    if not isinstance(record, FileRecord) or record.facts.path != rel_path:
        return None
    return record


def internal_error(source: SourceFile, message: str, data: bytes | None = None) -> FileFacts:
    """A ``parse_error`` / ``internal_error`` fact for a file the analyzer itself failed on."""
    facts = skipped_facts(source.rel_path, "internal_error", message, source.size)
    return replace(
        facts,
        status="parse_error",
        sha256=hashlib.sha256(data).hexdigest() if data is not None else "",
        lines=data.count(b"\n") if data is not None else 0,
    )


def _read(source: SourceFile, max_bytes: int) -> bytes | FileFacts:
    if source.size > max_bytes:
        message = (
            f"the file has {source.size:,} bytes, over the limit of {max_bytes:,}; "
            "raise the limit to analyse it"
        )
        return skipped_facts(source.rel_path, "too_large", message, source.size)
    try:
        with open(source.abs_path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        message = f"{source.rel_path}: cannot read ({exc.strerror or exc}); check its permissions"
        return skipped_facts(source.rel_path, "unreadable", message, source.size)


def _extract(task: WorkerTask, rel_path: str, data: bytes, sha: str) -> FileFacts:
    if task.extractor is None:  # the digest is already known: do not hash the bytes twice
        return extract_facts(rel_path, data, max_bytes=task.max_bytes, sha256=sha)
    return task.extractor(rel_path, data, max_bytes=task.max_bytes)


def _signals(
    rel_path: str, data: bytes, facts: FileFacts
) -> tuple[Fingerprint | None, tuple[DynamicCall, ...]]:
    """Fingerprint and dynamic-code calls, from the same bytes (parsed or syntax errors only)."""
    reason = facts.error.reason if facts.error is not None else None
    if facts.status != "ok" and reason not in _FINGERPRINTED_ERRORS:
        return None, ()
    normalised = normalise_source(rel_path, data)
    dynamic = find_dynamic_code(normalised) if facts.status == "ok" else ()
    return fingerprint_source(normalised), dynamic


Twins = dict[str, tuple[FileRecord, str]]
"""Records analysed so far in a chunk, by content hash, with the path they were analysed as."""


def _retarget(twin: tuple[FileRecord, str], rel_path: str, data: bytes) -> FileRecord:
    """The record of a file whose bytes equal an already analysed file's (a copy elsewhere in
    the tree): the same facts under its own path and module name.

    Nothing the default extractor finds depends on the path but the module name (and whether
    it is importable); the fingerprint does, through the model key in the file's name, so it is
    computed again unless both names give the same key.
    """
    record, first_path = twin
    facts = record.facts
    module, importable = module_name(rel_path)
    extra = dict(facts.extra)
    if "importable" in extra:
        extra["importable"] = importable
    facts = replace(facts, path=rel_path, module=module, extra=extra)
    same_key = rel_path.rsplit("/", 1)[-1] == first_path.rsplit("/", 1)[-1]
    if not same_key:
        mine, theirs = model_key_pattern(rel_path), model_key_pattern(first_path)
        same_key = (mine and mine.pattern) == (theirs and theirs.pattern)
    if same_key:
        return FileRecord(facts, record.fingerprint, record.dynamic)
    fingerprint, dynamic = _signals(rel_path, data, facts)
    return FileRecord(facts, fingerprint, dynamic)


def analyse_file(
    source: SourceFile,
    task: WorkerTask,
    cache: AnalysisCache | None,
    twins: Twins | None = None,
) -> Outcome:
    """Read, hash, look up and (on a miss) analyse one file; never raises for a bad file.

    With ``twins`` (the default extractor only), a file whose bytes were analysed before in the
    same chunk reuses those facts (see :func:`_retarget`), and what is analysed is added to it.
    """
    data = _read(source, task.max_bytes)
    if isinstance(data, FileFacts):
        return Outcome(source, FileRecord(data), cacheable=False)
    sha = hashlib.sha256(data).hexdigest()
    if cache is not None:
        key = entry_key(task.namespace, sha, source.rel_path)
        cached = decode_record(cache.get(key), source.rel_path)
        if cached is not None:
            if twins is not None:
                twins.setdefault(sha, (cached, source.rel_path))
            return Outcome(source, cached, sha, cached=True)
    twin = twins.get(sha) if twins is not None else None
    if twin is not None:
        return Outcome(source, _retarget(twin, source.rel_path, data), sha)
    try:
        facts = _extract(task, source.rel_path, data, sha)
        fingerprint, dynamic = _signals(source.rel_path, data, facts)
    except Exception as exc:  # the extractor's bug must not stop the run: report it per file
        logger.debug("internal error on %s", source.rel_path, exc_info=True)
        message = f"internal error while analysing: {type(exc).__name__}: {exc}"
        record = FileRecord(internal_error(source, message, data))
        return Outcome(source, record, sha, cached=False, cacheable=False)
    record = FileRecord(facts, fingerprint, dynamic)
    if twins is not None:
        twins[sha] = (record, source.rel_path)
    return Outcome(source, record, sha)


_WORKER_CACHES: dict[tuple[str, str], AnalysisCache | None] = {}


def _worker_cache(task: WorkerTask) -> AnalysisCache | None:
    """This worker process's read-only connection (opened once per process, then reused)."""
    if task.cache_dir is None:
        return None
    key = (task.cache_dir, task.namespace)
    if key not in _WORKER_CACHES:
        folder = Path(task.cache_dir)
        _WORKER_CACHES[key] = AnalysisCache.open(folder, task.namespace, readonly=True)
    return _WORKER_CACHES[key]


@contextlib.contextmanager
def paused_gc() -> Iterator[Callable[[], None]]:
    """Pause the automatic cyclic garbage collector; yield a ``sweep()`` that collects only what
    was allocated since the previous sweep.

    Analysis allocates millions of small long-lived objects (facts, idioms, records); every
    automatic full collection would scan them all again, which costs more than the analysis
    itself on large trees. Those objects are acyclic (freed by reference counting); the few
    cycles parsing leaves behind are swept per file or per chunk, in the young generation only.

    When the collector is switched back on, what is still young goes straight to the oldest
    generation (``gc.freeze()`` then ``gc.unfreeze()``: two list splices) instead of being
    scanned by the next young collections: after a cold run of 8,700 files that scan cost the
    parent 0.5-0.7 s. It is only done if nothing else froze objects (their owner's choice).
    """

    def sweep() -> None:
        gc.collect(0)

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield sweep
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def analyse_files(
    chunk: Sequence[SourceFile], task: WorkerTask, cache: AnalysisCache | None
) -> list[Outcome]:
    """Analyse a chunk in this process (records stay decoded); copies are analysed once."""
    twins: Twins | None = {} if task.extractor is None else None
    return [analyse_file(source, task, cache, twins) for source in chunk]


def analyse_chunk(chunk: Sequence[SourceFile], task: WorkerTask) -> list[Outcome]:
    """The task a worker process runs: a chunk of files, in order."""
    cache = _worker_cache(task)
    outcomes = []
    # Copies of one file (same bytes) have the same size: the chunker keeps them together.
    twins: Twins | None = {} if task.extractor is None else None
    with paused_gc() as sweep:
        for source in chunk:
            outcome = analyse_file(source, task, cache, twins)
            outcomes.append(replace(outcome, record=outcome.packed()))
            sweep()
    return outcomes


def ping() -> bool:
    """A no-op task: proves that a worker process starts and answers."""
    return True
