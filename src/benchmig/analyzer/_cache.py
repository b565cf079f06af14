"""A content-hash cache of per-file analysis results, in one SQLite file.

Two tables make a warm re-run cheap:

* ``entries``: ``key -> blob``, where the key hashes the file's sha256, its root-relative path
  (module names and the stem-normalised fingerprint depend on it) and the *namespace* (benchmig
  version + extractor version + fingerprint version + a digest of the analyzer's own source,
  so that an edited analyzer, as in a development install, never reads what an older one
  cached). A new version never reads old entries.
* ``stats``: ``(absolute path) -> (size, mtime_ns, sha256)``: the fast path, so that an unchanged
  file is not even read and hashed. Files modified in the last seconds are not recorded there
  (a second write within the file system's timestamp granularity would go unnoticed).

SQLite in WAL mode with a busy timeout makes concurrent runs safe: workers read through their
own read-only connections; only the parent process writes, one transaction per batch. Any
database error disables the cache for the run with a warning; it never fails the analysis.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = [
    "CACHE_FILE_NAME",
    "AnalysisCache",
    "analyzer_code_digest",
    "default_cache_dir",
    "entry_key",
]

logger = logging.getLogger(__name__)

CACHE_FILE_NAME = "analyzer-cache.sqlite"
_SCHEMA = 1
_RACY_SECONDS = 2.0
_BUSY_TIMEOUT_S = 30.0

_CREATE = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, blob BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS stats (path TEXT PRIMARY KEY, size INTEGER NOT NULL,"
    " mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL)",
)


@functools.cache
def analyzer_code_digest() -> str:
    """A digest of the analyzer package's source files (names and bytes), read once per process."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """``$BENCHMIG_CACHE_DIR``, else ``$XDG_CACHE_HOME/benchmig``, else ``~/.cache/benchmig``."""
    env = os.environ if environ is None else environ
    explicit = env.get("BENCHMIG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "benchmig"


def entry_key(namespace: str, sha256: str, rel_path: str) -> str:
    """The cache key of one file's result: content hash, root-relative path and namespace."""
    return hashlib.sha256(f"{namespace}\0{rel_path}\0{sha256}".encode()).hexdigest()


class AnalysisCache:
    """One open connection to the cache file; use :meth:`open` (never raises on a bad cache)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self._db: sqlite3.Connection | None = connection
        self.path = path
        self.readonly = readonly

    @classmethod
    def open(
        cls, cache_dir: Path, namespace: str, *, readonly: bool = False
    ) -> AnalysisCache | None:
        """Open (creating it if needed) the cache in ``cache_dir``; ``None`` if that fails.

        Opening for writing drops every entry written under another ``namespace`` (another
        benchmig or extractor version), so the file does not grow across upgrades.
        """
        path = cache_dir / CACHE_FILE_NAME
        try:
            if readonly:
                if not path.exists():
                    return None
                db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
            else:
                cache_dir.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S)
                _prepare(db, namespace)
        except (OSError, sqlite3.Error) as exc:
            logger.warning(
                "analysis cache %s is unusable (%s): running without it; delete the file if it "
                "is corrupt",
                path,
                exc,
            )
            return None
        return cls(db, path, readonly)

    def close(self) -> None:
        """Close the connection; the object is unusable afterwards."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _disable(self, exc: Exception) -> None:
        logger.warning("analysis cache %s failed (%s): continuing without it", self.path, exc)
        self.close()

    def sha_for_stat(self, abs_path: str, size: int, mtime_ns: int) -> str | None:
        """The sha256 recorded for an unchanged file (same size and mtime), else ``None``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(
                "SELECT size, mtime_ns, sha256 FROM stats WHERE path = ?", (abs_path,)
            ).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None
        if row is None or row[0] != size or row[1] != mtime_ns:
            return None
        return str(row[2])

    def get(self, key: str) -> bytes | None:
        """The blob stored under ``key``, or ``None``."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT blob FROM entries WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None
        return None if row is None else bytes(row[0])

    def put_many(
        self,
        entries: Iterable[tuple[str, bytes]],
        stats: Iterable[tuple[str, int, int, str]] = (),
    ) -> None:
        """Store ``(key, blob)`` entries and ``(abs_path, size, mtime_ns, sha256)`` rows at once.

        Stat rows of files modified in the last seconds are left out (see the module docstring).
        """
        if self._db is None or self.readonly:
            return
        cutoff = time.time_ns() - int(_RACY_SECONDS * 1e9)
        settled = [row for row in stats if row[2] < cutoff]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", entries)
                self._db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?)", settled)
        except sqlite3.Error as exc:
            self._disable(exc)


def _prepare(db: sqlite3.Connection, namespace: str) -> None:
    """Create the tables, switch to WAL, and drop entries of another namespace."""
    try:
        db.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError as exc:  # e.g. a network file system without shared memory
        logger.debug("cache stays in rollback-journal mode: %s", exc)
    db.execute("PRAGMA synchronous=NORMAL")
    with db:
        for statement in _CREATE:
            db.execute(statement)
        rows = dict(db.execute("SELECT name, value FROM meta").fetchall())
        if rows.get("namespace") != namespace or rows.get("schema") != str(_SCHEMA):
            if rows:
                logger.info("analysis cache written by another version: starting afresh")
            db.execute("DELETE FROM entries")
            db.execute("DELETE FROM stats")
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('namespace', ?), ('schema', ?)",
                (namespace, str(_SCHEMA)),
            )
