"""The history store: every run recorded, so trends and run-to-run noise can be read back.

:class:`HistoryStore` is the interface the runner and ``compare`` talk to;
:class:`SqliteHistoryStore` is the embedded default (stdlib ``sqlite3``, one file, WAL mode,
safe for concurrent writers).
A shared server database for a fleet of machines is another class with the same five methods,
returned by :func:`open_history_store`; the runner does not change. Schema in docs/schemas.md.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import math
import os
import sqlite3
import statistics
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from benchmig.errors import InputError, SchemaVersionError
from benchmig.framework._results import CaseResult, RunResults, SampleStats
from benchmig.framework._results_io import results_from_document

__all__ = [
    "HISTORY_ENV",
    "HISTORY_SCHEMA_VERSION",
    "HistoryPoint",
    "HistoryStore",
    "HistoryStoreError",
    "RunSummary",
    "SqliteHistoryStore",
    "default_history_path",
    "git_commit_of",
    "noise_of_medians",
    "open_history_store",
]

logger = logging.getLogger(__name__)

HISTORY_ENV = "BENCHMIG_HISTORY"
HISTORY_SCHEMA_VERSION = 1


class HistoryStoreError(InputError):
    """The history store cannot be opened, read or written (exit 2)."""


@dataclass(frozen=True)
class RunSummary:
    """One recorded run, without its results: what ``list_runs`` returns."""

    run_id: str
    started_at: str
    finished_at: str
    git_commit: str | None
    counts: Mapping[str, int] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def total(self) -> int:
        """How many cases the run holds, all statuses together."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class HistoryPoint:
    """One case of one run, reduced to one metric: a point of a trend line."""

    run_id: str
    started_at: str
    git_commit: str | None
    key: str
    benchmark: str
    params: Mapping[str, Any]
    hardware: str
    status: str
    median: float | None
    ci95_lo: float | None
    ci95_hi: float | None


@runtime_checkable
class HistoryStore(Protocol):
    """Where runs are recorded. Keep it small: every store implements exactly these methods."""

    def record_run(self, run: RunResults) -> None:
        """Record a whole run atomically; recording the same ``run_id`` again replaces it."""
        ...

    def list_runs(self, limit: int = 20) -> list[RunSummary]:
        """The most recent runs, newest first."""
        ...

    def load_run(self, run_id: str) -> RunResults:
        """The full results of one run (raises :class:`HistoryStoreError` when unknown)."""
        ...

    def case_history(
        self,
        benchmark: str,
        *,
        params: Mapping[str, Any] | None = None,
        hardware: str | None = None,
        metric: str = "latency_ms",
        limit: int = 100,
    ) -> list[HistoryPoint]:
        """The latest ``limit`` points of a benchmark's cases, oldest first."""
        ...

    def run_to_run_noise(
        self,
        key: str,
        metric: str = "latency_ms",
        last: int = 10,
        *,
        exclude_run: str | None = None,
    ) -> float | None:
        """Robust relative noise of one case's medians over its last ``ok`` runs (None under 3)."""
        ...


def default_history_path() -> Path:
    """``$BENCHMIG_HISTORY`` when set, else ``./.benchmig/history.sqlite``."""
    configured = os.environ.get(HISTORY_ENV, "").strip()
    return Path(configured) if configured else Path(".benchmig") / "history.sqlite"


def open_history_store(location: Path | str | None = None) -> HistoryStore:
    """The store at ``location`` (default :func:`default_history_path`).

    The one place that chooses a store class: a server store plugs in here (by URL scheme).
    """
    return SqliteHistoryStore(Path(location) if location is not None else default_history_path())


def git_commit_of(environment: Mapping[str, Any]) -> str | None:
    """The commit in ``environment["git"]``: a string, or a mapping with ``commit``/``sha``."""
    git = environment.get("git")
    if isinstance(git, str):
        return git or None
    if isinstance(git, Mapping):
        for name in ("commit", "sha", "revision"):
            value = git.get(name)
            if isinstance(value, str) and value:
                return value
    return None


# For normal noise, median(|x_i - x_(i-1)|) = 0.6745 * sqrt(2) * sigma.
_MASD_TO_SIGMA = 1.0 / (0.6745 * math.sqrt(2.0))


def noise_of_medians(medians: Iterable[float]) -> float | None:
    """Relative run-to-run noise of a series of run medians, in time order (0.05 is about 5%).

    A robust sigma of ``log(median)`` from the median absolute *successive* difference: a real
    step change (a past regression) or one outlier run barely moves it, where a plain stdev
    would count the step as noise and hide the next regression behind a wide margin.
    """
    logs = [math.log(m) for m in medians if m > 0 and math.isfinite(m)]
    if len(logs) < 3:
        return None
    return statistics.median(abs(b - a) for a, b in itertools.pairwise(logs)) * _MASD_TO_SIGMA


def _params_json(params: Mapping[str, Any]) -> str:
    return json.dumps(dict(params), sort_keys=True, default=str)


def _check_limit(name: str, value: int) -> None:
    if value < 1:
        raise InputError(f"{name} must be at least 1, got {value}")


_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL, git_commit TEXT, interrupted INTEGER NOT NULL,
        document BLOB NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS runs_by_start ON runs (started_at)",
    """CREATE TABLE IF NOT EXISTS cases (
        run INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE, case_key TEXT NOT NULL,
        benchmark TEXT NOT NULL, params TEXT NOT NULL, hardware TEXT NOT NULL,
        category TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (run, case_key))""",
    "CREATE INDEX IF NOT EXISTS cases_by_key ON cases (case_key)",
    "CREATE INDEX IF NOT EXISTS cases_by_benchmark ON cases (benchmark, hardware)",
    """CREATE TABLE IF NOT EXISTS metrics (
        run INTEGER NOT NULL, case_key TEXT NOT NULL, metric TEXT NOT NULL, median REAL,
        ci95_lo REAL, ci95_hi REAL, n INTEGER, PRIMARY KEY (run, case_key, metric),
        FOREIGN KEY (run, case_key) REFERENCES cases (run, case_key) ON DELETE CASCADE)""",
)
_ORDER = "ORDER BY r.started_at DESC, r.id DESC"


class SqliteHistoryStore:
    """The embedded history store: one SQLite file (WAL mode, ``busy_timeout``).

    Nothing touches the disk until the first call; reads of a missing file find nothing, and the
    first write creates the file and its folder. Each call opens its own connection, so one
    store object may be used from several threads, and several processes may write at once.
    """

    def __init__(self, path: Path | str, *, timeout_s: float = 30.0) -> None:
        self.path = Path(path)
        self._timeout_s = timeout_s
        self._ready = False

    def __repr__(self) -> str:
        return f"SqliteHistoryStore({str(self.path)!r})"

    def record_run(self, run: RunResults) -> None:
        """Record ``run`` in one transaction, replacing a run of the same ``run_id``."""
        cases = {case.key: case for case in run.results}  # a repeated case: the last one counts
        document = zlib.compress(json.dumps(run.to_dict()).encode("utf-8"))
        commit = git_commit_of(run.environment)
        with self._session(create=True) as conn, _transaction(conn):
            conn.execute("DELETE FROM runs WHERE run_id = ?", (run.run_id,))
            row_id = conn.execute(
                "INSERT INTO runs (run_id, started_at, finished_at, git_commit, interrupted,"
                " document) VALUES (?, ?, ?, ?, ?, ?)",
                (run.run_id, run.started_at, run.finished_at, commit, run.interrupted, document),
            ).lastrowid
            conn.executemany(
                "INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(row_id, key, *_case_row(case)) for key, case in cases.items()],
            )
            conn.executemany(
                "INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(row_id, key, *row) for key, case in cases.items() for row in _metric_rows(case)],
            )
        logger.debug("recorded run %s (%d cases) in %s", run.run_id, len(cases), self.path)

    def list_runs(self, limit: int = 20) -> list[RunSummary]:
        """The latest ``limit`` runs, newest first, with their case counts by status."""
        _check_limit("limit", limit)
        rows = self._query(
            "SELECT r.run_id, r.started_at, r.finished_at, r.git_commit, r.interrupted, c.status,"
            " COUNT(c.status) FROM (SELECT id, run_id, started_at, finished_at, git_commit,"
            f" interrupted FROM runs r {_ORDER} LIMIT ?) r"
            f" LEFT JOIN cases c ON c.run = r.id GROUP BY r.id, c.status {_ORDER}",
            (limit,),
        )
        heads: dict[str, tuple[str, str, str | None, int]] = {}
        counts: dict[str, dict[str, int]] = {}
        for run_id, started, finished, commit, interrupted, status, count in rows:
            heads.setdefault(run_id, (started, finished, commit, interrupted))
            if status is not None:
                counts.setdefault(run_id, {})[status] = count
        return [
            RunSummary(run_id, started, finished, commit, counts.get(run_id, {}), bool(flag))
            for run_id, (started, finished, commit, flag) in heads.items()
        ]

    def load_run(self, run_id: str) -> RunResults:
        """The full results of ``run_id`` (or of the one run whose id starts with it)."""
        rows = self._query("SELECT run_id, document FROM runs WHERE run_id = ?", (run_id,))
        if not rows and run_id:  # a unique prefix, like git's short hashes
            rows = self._query(
                "SELECT run_id, document FROM runs WHERE substr(run_id, 1, ?) = ? LIMIT 2",
                (len(run_id), run_id),
            )
        if len(rows) != 1:
            problem = "matches several runs" if rows else "is not in"
            raise HistoryStoreError(
                f"run {run_id!r} {problem} the history {self.path}; "
                "see `list_runs` for the recorded run ids"
            )
        found_id, blob = rows[0]
        try:
            document = json.loads(zlib.decompress(blob).decode("utf-8"))
        except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise HistoryStoreError(f"{self.path}: run {found_id!r} is corrupt ({exc})") from exc
        return results_from_document(document, f"{self.path} (run {found_id})")

    def case_history(
        self,
        benchmark: str,
        *,
        params: Mapping[str, Any] | None = None,
        hardware: str | None = None,
        metric: str = "latency_ms",
        limit: int = 100,
    ) -> list[HistoryPoint]:
        """The latest ``limit`` points of the benchmark's cases, oldest first.

        ``params`` (the whole combination) and ``hardware`` narrow it to one case; a case with
        no value for ``metric`` (failed, skipped) still appears, with ``median`` None.
        """
        _check_limit("limit", limit)
        where, args = ["c.benchmark = ?"], [metric, benchmark]
        if params is not None:
            where.append("c.params = ?")
            args.append(_params_json(params))
        if hardware is not None:
            where.append("c.hardware = ?")
            args.append(hardware)
        rows = self._query(
            "SELECT r.run_id, r.started_at, r.git_commit, c.case_key, c.benchmark, c.params,"
            " c.hardware, c.status, m.median, m.ci95_lo, m.ci95_hi"
            " FROM cases c JOIN runs r ON r.id = c.run LEFT JOIN metrics m"
            " ON m.run = c.run AND m.case_key = c.case_key AND m.metric = ?"
            f" WHERE {' AND '.join(where)} {_ORDER}, c.case_key LIMIT ?",
            (*args, limit),
        )
        points = [
            HistoryPoint(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), *r[6:]) for r in rows
        ]
        points.reverse()
        return points

    def run_to_run_noise(
        self,
        key: str,
        metric: str = "latency_ms",
        last: int = 10,
        *,
        exclude_run: str | None = None,
    ) -> float | None:
        """:func:`noise_of_medians` over the case's last ``last`` ok runs; None under 3 points.

        ``exclude_run`` leaves one run out (the run being judged must not widen its own margin).
        """
        _check_limit("last", last)
        rows = self._query(
            "SELECT m.median FROM cases c JOIN runs r ON r.id = c.run JOIN metrics m"
            " ON m.run = c.run AND m.case_key = c.case_key AND m.metric = ?"
            " WHERE c.case_key = ? AND c.status = 'ok' AND m.median > 0 AND r.run_id != ?"
            f" {_ORDER} LIMIT ?",
            (metric, key, exclude_run or "", last),
        )
        return noise_of_medians(reversed([row[0] for row in rows]))

    # -- plumbing -----------------------------------------------------------------------------
    def _query(self, sql: str, args: Sequence[Any]) -> list[Any]:
        if not self.path.exists():
            return []
        with self._session(create=False) as conn:
            return conn.execute(sql, args).fetchall()

    @contextlib.contextmanager
    def _session(self, *, create: bool) -> Iterator[sqlite3.Connection]:
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryStoreError(
                    f"cannot create the folder of the history store {self.path}: "
                    f"{exc.strerror or exc}; set {HISTORY_ENV} to a writable place"
                ) from exc
        try:
            conn = sqlite3.connect(self.path, timeout=self._timeout_s, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self._timeout_s * 1000)}")
                conn.execute("PRAGMA foreign_keys = ON")
                if not self._ready:
                    self._prepare(conn)
                yield conn
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise self._error(exc) from exc

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL and create the tables once (another process may be doing the same)."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < HISTORY_SCHEMA_VERSION:
            _enable_wal(conn, self._timeout_s)
            with _transaction(conn):
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version == 0:
                    for statement in _SCHEMA:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {HISTORY_SCHEMA_VERSION}")
                    version = HISTORY_SCHEMA_VERSION
        if version > HISTORY_SCHEMA_VERSION:
            raise SchemaVersionError(
                f"history store {self.path} was written by a newer benchmig (schema {version}, "
                f"this one reads up to {HISTORY_SCHEMA_VERSION}): upgrade benchmig"
            )
        self._ready = True

    def _error(self, exc: sqlite3.Error) -> HistoryStoreError:
        text = str(exc)
        if "locked" in text or "busy" in text:
            hint = f"another process held it for over {self._timeout_s:g} s; try again"
        elif isinstance(exc, sqlite3.DatabaseError) and "not a database" in text:
            hint = f"it is not a benchmig history file; move it away or set {HISTORY_ENV}"
        else:
            hint = f"check the file, or set {HISTORY_ENV} to use another one"
        return HistoryStoreError(f"history store {self.path}: {text}; {hint}")


def _enable_wal(conn: sqlite3.Connection, timeout_s: float) -> None:
    """Switch to WAL, retrying: SQLite answers "locked" at once here, without ``busy_timeout``."""
    deadline, delay = time.monotonic() + timeout_s, 0.001
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
    if mode != "wal":  # e.g. a file system without shared memory: still correct, less concurrent
        logger.warning("history store journal mode is %r, not 'wal'", mode)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE``: take the write lock up front, so ``busy_timeout`` can wait for it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _case_row(case: CaseResult) -> tuple[str, str, str, str, str]:
    params = _params_json(case.params)
    return case.benchmark, params, case.hardware, case.category, case.status


def _metric_rows(case: CaseResult) -> Iterator[tuple[str, float, float | None, float | None, int]]:
    for name, value in case.metrics.items():
        if isinstance(value, SampleStats):
            yield name, value.median, value.ci95[0], value.ci95[1], value.n
        else:
            yield name, float(value), None, None, 1
