"""Tests of the history store (SQLite) and its small interface."""

from __future__ import annotations

import math
import multiprocessing
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.errors import InputError, SchemaVersionError
from benchmig.framework._history import (
    HISTORY_SCHEMA_VERSION,
    HistoryStore,
    HistoryStoreError,
    SqliteHistoryStore,
    default_history_path,
    git_commit_of,
    noise_of_medians,
    open_history_store,
)
from benchmig.framework._results import CaseResult, CaseStatus, RunResults
from tests.framework.test_results_io import make_run, make_stats

OK_KEY = make_run().results[0].key


def _run(index: int, median: float = 2.0, status: CaseStatus = "ok", **changes: Any) -> RunResults:
    fields: dict[str, Any] = {
        "run_id": f"run-{index:03d}",
        "started_at": f"2026-03-01T10:{index:02d}:00+00:00",
    }
    run = make_run(median=median, **{**fields, **changes})
    if status != "ok":
        first = replace(run.results[0], status=status, metrics={}, error="boom")
        run = replace(run, results=(first, *run.results[1:]))
    return run


@pytest.fixture
def store(tmp_path: Path) -> SqliteHistoryStore:
    return SqliteHistoryStore(tmp_path / "hist" / "history.sqlite")


def test_empty_store_reads_nothing_and_creates_nothing(store: SqliteHistoryStore) -> None:
    assert store.list_runs() == []
    assert store.case_history("mlp_latency") == []
    assert store.run_to_run_noise(OK_KEY) is None
    with pytest.raises(HistoryStoreError, match="is not in the history"):
        store.load_run("nope")
    assert not store.path.exists()


def test_record_creates_the_file_in_wal_mode(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1))
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HISTORY_SCHEMA_VERSION
        indices = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"runs", "cases", "metrics", "cases_by_key"} <= indices


def test_list_runs_newest_first_with_counts(store: SqliteHistoryStore) -> None:
    for index in (1, 3, 2):
        store.record_run(_run(index))
    runs = store.list_runs()
    assert [r.run_id for r in runs] == ["run-003", "run-002", "run-001"]
    latest = runs[0]
    assert latest.counts == {"ok": 1, "skipped": 1, "failed": 1}
    assert latest.total == 3
    assert latest.git_commit == "abc123"
    assert latest.started_at == "2026-03-01T10:03:00+00:00"
    assert [r.run_id for r in store.list_runs(limit=2)] == ["run-003", "run-002"]


def test_load_run_returns_the_whole_run(store: SqliteHistoryStore) -> None:
    run = _run(1)
    store.record_run(run)
    store.record_run(_run(2))
    assert store.load_run("run-001") == run
    assert store.load_run("run-002").run_id == "run-002"


def test_load_run_by_unique_prefix(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1, run_id="20260301-aaaa"))
    store.record_run(_run(2, run_id="20260301-bbbb"))
    assert store.load_run("20260301-a").run_id == "20260301-aaaa"
    with pytest.raises(HistoryStoreError, match="matches several runs"):
        store.load_run("20260301-")
    with pytest.raises(HistoryStoreError, match="is not in"):
        store.load_run("2026%")  # no wildcards
    with pytest.raises(HistoryStoreError, match="is not in"):
        store.load_run("20260301-A")  # and case matters


def test_unwritable_location_is_reported(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    store = SqliteHistoryStore(tmp_path / "file" / "history.sqlite")
    with pytest.raises(HistoryStoreError, match="cannot create the folder of the history store"):
        store.record_run(_run(1))


def test_recording_a_run_again_replaces_it(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1, median=2.0))
    store.record_run(_run(1, median=3.0))
    assert len(store.list_runs()) == 1
    assert store.list_runs()[0].total == 3
    points = store.case_history("mlp_latency", hardware="cpu")
    assert [p.median for p in points] == [3.0]


def test_repeated_case_in_one_run_keeps_the_last(store: SqliteHistoryStore) -> None:
    run = _run(1)
    again = replace(run.results[0], metrics={"latency_ms": make_stats(9.0)})
    store.record_run(replace(run, results=(*run.results, again)))
    assert [p.median for p in store.case_history("mlp_latency", hardware="cpu")] == [9.0]


def test_case_history_points(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1, median=2.0))
    store.record_run(_run(2, status="failed"))
    store.record_run(_run(3, median=4.0))
    points = store.case_history("mlp_latency", hardware="cpu")
    assert [(p.run_id, p.status, p.median) for p in points] == [
        ("run-001", "ok", 2.0),
        ("run-002", "failed", None),
        ("run-003", "ok", 4.0),
    ]
    first = points[0]
    assert first.key == OK_KEY
    assert first.params == {"batch_size": 8, "dtype": "float32"}
    assert (first.ci95_lo, first.ci95_hi) == pytest.approx((1.94, 2.06))
    assert first.git_commit == "abc123"
    assert [p.run_id for p in store.case_history("mlp_latency", hardware="cpu", limit=2)] == [
        "run-002",
        "run-003",
    ]


def test_case_history_filters(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1))
    both = store.case_history("mlp_latency")
    assert sorted(p.hardware for p in both) == ["cpu", "cuda"]
    params = {"dtype": "float32", "batch_size": 8}  # key order does not matter
    assert len(store.case_history("mlp_latency", params=params, hardware="cuda")) == 1
    assert store.case_history("mlp_latency", params={"batch_size": 1}) == []
    memory = store.case_history("mlp_latency", hardware="cpu", metric="peak_memory_mb")
    assert [(p.median, p.ci95_lo) for p in memory] == [(41.5, None)]
    assert store.case_history("pool")[0].status == "failed"


def test_run_to_run_noise(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1, median=1.0))
    store.record_run(_run(2, median=2.0))
    assert store.run_to_run_noise(OK_KEY) is None
    store.record_run(_run(3, status="failed"))
    assert store.run_to_run_noise(OK_KEY) is None  # failed runs carry no median
    store.record_run(_run(4, median=4.0))
    sigma = 1.0 / (0.6745 * math.sqrt(2.0))
    assert store.run_to_run_noise(OK_KEY) == pytest.approx(math.log(2) * sigma)
    store.record_run(_run(5, median=4.0))
    store.record_run(_run(6, median=4.0))
    assert store.run_to_run_noise(OK_KEY, last=3) == 0.0
    # successive |log| differences (time order 1, 2, 4, 4, 4): log2, log2, 0, 0 -> median log2/2
    assert store.run_to_run_noise(OK_KEY, last=10) == pytest.approx(math.log(2) / 2 * sigma)
    assert store.run_to_run_noise(OK_KEY, last=10, exclude_run=_run(6).run_id) == pytest.approx(
        math.log(2) * sigma
    )
    assert store.run_to_run_noise("unknown|{}|cpu") is None


def test_noise_is_robust_to_one_step_change() -> None:
    before, after = [1.0, 1.01, 0.99, 1.0, 1.02], [1.5, 1.49, 1.51, 1.5]
    noise = noise_of_medians(before + after)
    assert noise is not None and noise < 0.03


@given(medians=st.lists(st.floats(0.001, 1e6), min_size=3, max_size=20), scale=st.floats(0.01, 100))
def test_noise_is_relative(medians: list[float], scale: float) -> None:
    noise = noise_of_medians(medians)
    assert noise is not None
    assert noise >= 0
    assert noise_of_medians(m * scale for m in medians) == pytest.approx(noise, abs=1e-9)


def test_noise_needs_three_positive_points() -> None:
    assert noise_of_medians([1.0, 2.0]) is None
    assert noise_of_medians([1.0, 2.0, 0.0, float("nan")]) is None


def test_limits_must_be_positive(store: SqliteHistoryStore) -> None:
    with pytest.raises(InputError, match="limit must be at least 1"):
        store.list_runs(limit=0)


def test_newer_schema_is_refused(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1))
    with sqlite3.connect(store.path) as conn:
        conn.execute(f"PRAGMA user_version = {HISTORY_SCHEMA_VERSION + 1}")
    fresh = SqliteHistoryStore(store.path)
    with pytest.raises(SchemaVersionError, match="written by a newer benchmig"):
        fresh.list_runs()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    path.write_text("this is a text file, not SQLite, and it is long enough to have a header" * 5)
    with pytest.raises(HistoryStoreError, match="not a benchmig history file"):
        SqliteHistoryStore(path).record_run(_run(1))


def test_lock_held_too_long_is_reported(store: SqliteHistoryStore) -> None:
    store.record_run(_run(1))
    blocker = sqlite3.connect(store.path, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        impatient = SqliteHistoryStore(store.path, timeout_s=0.05)
        with pytest.raises(HistoryStoreError, match="another process held it"):
            impatient.record_run(_run(2))
        assert [r.run_id for r in impatient.list_runs()] == ["run-001"]  # readers are not blocked
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_default_path_and_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BENCHMIG_HISTORY", raising=False)
    assert default_history_path() == Path(".benchmig") / "history.sqlite"
    monkeypatch.setenv("BENCHMIG_HISTORY", "  ")
    assert default_history_path() == Path(".benchmig") / "history.sqlite"
    monkeypatch.setenv("BENCHMIG_HISTORY", str(tmp_path / "h.db"))
    assert default_history_path() == tmp_path / "h.db"
    store = open_history_store()
    assert isinstance(store, SqliteHistoryStore)
    assert isinstance(store, HistoryStore)
    assert store.path == tmp_path / "h.db"
    assert isinstance(open_history_store(tmp_path / "other.db"), HistoryStore)


@pytest.mark.parametrize(
    ("environment", "commit"),
    [
        ({"git": "abc"}, "abc"),
        ({"git": {"commit": "def", "dirty": True}}, "def"),
        ({"git": {"sha": "123"}}, "123"),
        ({"git": ""}, None),
        ({"git": None}, None),
        ({}, None),
    ],
)
def test_git_commit_of(environment: dict[str, Any], commit: str | None) -> None:
    assert git_commit_of(environment) == commit


def _record_many(path: str, writer: int, count: int, barrier: Any) -> None:
    store = SqliteHistoryStore(Path(path))
    barrier.wait()
    for index in range(count):
        run = make_run(run_id=f"w{writer}-r{index}", median=1.0 + index)
        case = CaseResult(benchmark=f"writer_{writer}", params={"i": index}, hardware="cpu",
                          status="ok", metrics={"latency_ms": make_stats(1.0)})  # fmt: skip
        store.record_run(replace(run, results=(*run.results, case)))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"  # not created yet: the writers race to create it too
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(4)
    workers = [
        context.Process(target=_record_many, args=(str(path), writer, 5, barrier))
        for writer in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    runs = SqliteHistoryStore(path).list_runs(limit=100)
    assert sorted(r.run_id for r in runs) == sorted(
        f"w{w}-r{i}" for w in range(4) for i in range(5)
    )
    assert all(r.total == 4 for r in runs)
