"""The parallel pipeline: cache first, in-process and pooled runs, and failures kept per file."""

from __future__ import annotations

import builtins
import gc
import os
import pickle
from pathlib import Path
from typing import Any, ClassVar

import pytest

from benchmig.analyzer import _pipeline, _pool, _worker, analyze_paths
from benchmig.analyzer._cache import AnalysisCache
from benchmig.analyzer._discover import discover
from benchmig.analyzer._facts import FileFacts
from benchmig.analyzer._pipeline import FileRecord, PipelineOptions, cache_namespace, run_pipeline

CALLS: list[str] = []


def counting_extractor(rel_path: str, data: bytes, *, max_bytes: int = 0) -> FileFacts:
    """A stand-in extractor that records what it was asked to parse."""
    CALLS.append(rel_path)
    return FileFacts(path=rel_path, module=rel_path[:-3], status="ok", lines=data.count(b"\n"))


def failing_extractor(rel_path: str, data: bytes, *, max_bytes: int = 0) -> FileFacts:
    """Raises on files named bad*, crashes the worker process on files named crash*."""
    name = rel_path.rsplit("/", 1)[-1]
    if name.startswith("bad"):
        raise ValueError("extractor bug")
    if name.startswith("crash"):
        os._exit(3)  # what a segfault in a parser looks like to the pool
    return counting_extractor(rel_path, data)


def _tree(root: Path, count: int = 6, body: str = "x = 1\n") -> None:
    for n in range(count):
        (root / f"m{n}.py").write_text(body * (n + 1))


def _run(root: Path, **options: Any) -> tuple[dict[str, FileRecord], Any]:
    files = discover([root]).files
    return run_pipeline(files, PipelineOptions(**options))


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    CALLS.clear()


def test_in_process_run_with_progress(tmp_path: Path) -> None:
    _tree(tmp_path)
    seen: list[tuple[int, int]] = []
    files = discover([tmp_path]).files
    records, stats = run_pipeline(
        files,
        PipelineOptions(jobs=1, extractor=counting_extractor),
        lambda d, t: seen.append((d, t)),
    )
    assert sorted(records) == [f"m{n}.py" for n in range(6)]
    assert records["m2.py"].facts.lines == 3
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (stats.files, stats.analysed, stats.from_cache, stats.jobs) == (6, 6, 0, 1)


def test_warm_run_parses_nothing_and_changed_files_again(tmp_path: Path) -> None:
    src, cache = tmp_path / "src", tmp_path / "cache"
    src.mkdir()
    _tree(src)
    for path in src.iterdir():  # settle the mtimes, as for files not edited in the last seconds
        os.utime(path, ns=(1_600_000_000 * 10**9, 1_600_000_000 * 10**9))
    first, _ = _run(src, jobs=1, cache_dir=cache, extractor=counting_extractor)
    assert len(CALLS) == 6
    CALLS.clear()
    second, stats = _run(src, jobs=1, cache_dir=cache, extractor=counting_extractor)
    assert CALLS == [] and stats.from_cache == 6 and stats.bytes_read == 0
    assert second == first
    (src / "m1.py").write_text("y = 2\n")
    os.utime(src / "m3.py", ns=(1_700_000_000 * 10**9, 1_700_000_000 * 10**9))  # touched only
    third, stats = _run(src, jobs=1, cache_dir=cache, extractor=counting_extractor)
    assert CALLS == ["m1.py"]  # m3 was re-hashed, found by content, not parsed
    assert stats.from_cache == 5 and third["m1.py"].facts.lines == 1


def test_corrupt_cache_entries_are_ignored(tmp_path: Path) -> None:
    src, cache = tmp_path / "src", tmp_path / "cache"
    src.mkdir()
    _tree(src, count=2)
    _run(src, jobs=1, cache_dir=cache, extractor=counting_extractor)
    store = AnalysisCache.open(cache, cache_namespace(counting_extractor))
    assert store is not None
    keys = [k for (k,) in store._db.execute("SELECT key FROM entries")]  # type: ignore[union-attr]
    store.put_many([(keys[0], b"garbage"), (keys[1], pickle.dumps("not a record"))])
    store.close()
    CALLS.clear()
    records, _ = _run(src, jobs=1, cache_dir=cache, extractor=counting_extractor)
    assert sorted(CALLS) == ["m0.py", "m1.py"]
    assert all(r.facts.status == "ok" for r in records.values())


def test_extractor_exception_becomes_internal_error_for_that_file(tmp_path: Path) -> None:
    _tree(tmp_path, count=3)
    (tmp_path / "bad.py").write_text("x = 1\n")
    records, _ = _run(tmp_path, jobs=1, extractor=failing_extractor)
    bad = records["bad.py"].facts
    assert bad.status == "parse_error"
    assert bad.error is not None and bad.error.reason == "internal_error"
    assert "ValueError: extractor bug" in bad.error.message
    assert bad.sha256 and bad.lines == 1
    assert all(records[f"m{n}.py"].facts.status == "ok" for n in range(3))


def test_unreadable_file_is_skipped_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, count=2)
    locked = str(tmp_path / "m1.py")
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    records, _ = _run(tmp_path, jobs=1, extractor=counting_extractor)
    facts = records["m1.py"].facts
    assert facts.status == "skipped"
    assert facts.error is not None and facts.error.reason == "unreadable"
    assert "Permission denied" in facts.error.message
    assert records["m0.py"].facts.status == "ok"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads mode-000 files")
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    path = tmp_path / "secret.py"
    path.write_text("x = 1\n")
    path.chmod(0)
    try:
        records, _ = _run(tmp_path, jobs=1, extractor=counting_extractor)
    finally:
        path.chmod(0o644)
    error = records["secret.py"].facts.error
    assert error is not None and error.reason == "unreadable"


def test_too_large_file_is_skipped_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge_generated.py"
    line = b"VALUE_%08d = %08d\n"
    with big.open("wb") as handle:
        for n in range(20_000_000 // 24 + 1):
            handle.write(line % (n, n))
    assert big.stat().st_size > 20_000_000
    records, stats = _run(tmp_path, jobs=1, extractor=counting_extractor)
    facts = records["huge_generated.py"].facts
    assert facts.status == "skipped"
    assert facts.error is not None and facts.error.reason == "too_large"
    assert facts.size_bytes == big.stat().st_size
    assert CALLS == [] and stats.bytes_read == 0


def test_pool_run_equals_in_process_run(tmp_path: Path) -> None:
    _tree(tmp_path, count=12, body="def f(x):\n    return x * 2  # comment\n")
    serial, _ = _run(tmp_path, jobs=1)
    pooled, stats = _run(tmp_path, jobs=2)
    assert stats.jobs == 2
    assert pooled == serial
    assert serial["m11.py"].fingerprint is not None


@pytest.mark.slow
def test_worker_crash_costs_only_the_crashing_file(tmp_path: Path) -> None:
    _tree(tmp_path, count=8)
    (tmp_path / "crash_me.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text("x = 1\n")
    records, stats = _run(tmp_path, jobs=2, extractor=failing_extractor)
    assert len(records) == 10
    crashed = records["crash_me.py"].facts
    assert crashed.status == "parse_error"
    assert crashed.error is not None and crashed.error.reason == "internal_error"
    assert "died" in crashed.error.message
    assert records["bad.py"].facts.error is not None
    assert all(records[f"m{n}.py"].facts.status == "ok" for n in range(8))
    assert stats.worker_crashes == 1


def test_run_goes_on_in_process_when_workers_cannot_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_pool(workers: int) -> Any:
        raise _pool.PoolUnavailable("RuntimeError: bootstrapping phase")

    monkeypatch.setattr(_pool, "new_pool", no_pool)
    _tree(tmp_path, count=4)
    records, stats = _run(tmp_path, jobs=2, extractor=counting_extractor)
    assert sorted(CALLS) == sorted(records) and len(records) == 4
    assert stats.worker_crashes == 0
    assert "__main__" in caplog.text


def test_jobs_below_one_is_an_input_error(tmp_path: Path) -> None:
    from benchmig.errors import InputError

    _tree(tmp_path, count=1)
    with pytest.raises(InputError, match="jobs"):
        analyze_paths([tmp_path], jobs=0, use_cache=False)


def test_analyze_paths_reports_unreadable_and_loops_as_files(tmp_path: Path) -> None:
    _tree(tmp_path, count=2)
    if hasattr(os, "symlink"):
        (tmp_path / "loop").symlink_to(tmp_path)
    analysis = analyze_paths([tmp_path], jobs=1, use_cache=False)
    paths = [f.path for f in analysis.files]
    assert paths == sorted(paths)
    if hasattr(os, "symlink"):
        loop = analysis.file("loop")
        assert loop.facts.status == "skipped" and loop.migration.strategy == "manual"


_TEMPLATE = """import time
import torch


class BertBenchmark:
    def run(self, model="bert"):
        start = time.perf_counter()
        torch.cuda.synchronize()
        return time.perf_counter() - start


if __name__ == "__main__":
    BertBenchmark().run()
"""


def _copies(root: Path) -> dict[str, str]:
    texts = {
        "a/bench_bert.py": _TEMPLATE,
        "b/bench_bert.py": _TEMPLATE,  # the same name: the same model key
        "c/bench_gpt.py": _TEMPLATE,  # another model key: another fingerprint
        "d/run-copy.py": _TEMPLATE,  # not importable
        "e/__init__.py": _TEMPLATE,  # a package's module name
        "f/broken.py": "def f(:\n    pass\n" * 40,
        "g/broken.py": "def f(:\n    pass\n" * 40,
        "h/other.py": _TEMPLATE.replace("bert", "tres"),  # same size, other bytes
    }
    for rel, text in texts.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return texts


def test_copies_are_analysed_once_with_their_own_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _copies(tmp_path)
    parsed: list[str] = []
    real = _worker.extract_facts

    def counting(rel_path: str, data: bytes, **kwargs: Any) -> FileFacts:
        parsed.append(rel_path)
        return real(rel_path, data, **kwargs)

    monkeypatch.setattr(_worker, "extract_facts", counting)
    records, stats = _run(tmp_path, jobs=1)
    assert stats.analysed == len(texts)
    assert sorted(parsed) == ["a/bench_bert.py", "f/broken.py", "h/other.py"]
    for rel, text in texts.items():  # exactly what analysing the file alone gives
        data = text.encode()
        facts = real(rel, data)
        fingerprint, dynamic = _worker._signals(rel, data, facts)
        assert records[rel] == FileRecord(facts, fingerprint, dynamic), rel
    assert records["d/run-copy.py"].facts.extra["importable"] is False
    assert records["e/__init__.py"].facts.module == "e"
    bert, gpt = records["b/bench_bert.py"].fingerprint, records["c/bench_gpt.py"].fingerprint
    assert bert is not None and gpt is not None and bert.exact != gpt.exact


def test_copies_in_a_pool_equal_the_in_process_run(tmp_path: Path) -> None:
    _copies(tmp_path)
    serial, _ = _run(tmp_path, jobs=1)
    pooled, _ = _run(tmp_path, jobs=2)
    assert pooled == serial


def test_chunks_keep_files_of_equal_size_together(tmp_path: Path) -> None:
    for n in range(150):
        (tmp_path / f"same{n:03}.py").write_text("x = 1\n")
    for n in range(100):
        (tmp_path / f"own{n:03}.py").write_text("y = 2\n" * (n + 2))
    chunks = _pipeline._chunks(discover([tmp_path]).files, 2)
    holding = [c for c in chunks if any(f.rel_path.startswith("same") for f in c)]
    assert len(holding) == 1 and sum(1 for f in holding[0] if f.size == 6) == 150
    assert sum(len(c) for c in chunks) == 250
    assert max(len(c) for c in chunks) <= _pipeline._MAX_TWIN_CHUNK_FILES


class _FakeStart:
    """Stands in for a started pool: records what the pipeline does with it."""

    made: ClassVar[list[_FakeStart]] = []

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.cancelled = False
        _FakeStart.made.append(self)

    def cancel(self) -> None:
        self.cancelled = True


def test_workers_start_while_files_are_offered_once_enough_bytes_are_pending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _FakeStart.made.clear()
    monkeypatch.setattr(_pipeline, "StartedPool", _FakeStart)
    monkeypatch.setattr(_pipeline, "_IN_PROCESS_BYTES", 30)
    _tree(tmp_path, count=6)  # 6, 12, 18, ... bytes
    files = discover([tmp_path]).files
    pipeline = _pipeline.Pipeline(PipelineOptions(jobs=2, extractor=counting_extractor))
    with pipeline:
        for source in files[:2]:
            pipeline.offer(source)
        assert _FakeStart.made == []  # 18 bytes pending: not worth workers yet
        for source in files[2:]:
            pipeline.offer(source)
        assert [s.workers for s in _FakeStart.made] == [2]  # once, with every worker
        records, stats = pipeline.run([])  # nothing left to analyse after all
    assert records == {} and stats.files == 0
    assert _FakeStart.made[0].cancelled


def test_no_early_workers_for_one_job_or_cached_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _FakeStart.made.clear()
    monkeypatch.setattr(_pipeline, "StartedPool", _FakeStart)
    monkeypatch.setattr(_pipeline, "_IN_PROCESS_BYTES", 1)
    _tree(tmp_path, count=3)
    for path in tmp_path.glob("*.py"):  # settled files: the cache trusts their size and mtime
        os.utime(path, (1_600_000_000, 1_600_000_000))
    cache = tmp_path / "cache"
    _run(tmp_path, jobs=1, cache_dir=cache)
    assert _FakeStart.made == []  # one job: never a pool
    records, stats = _run(tmp_path, jobs=2, cache_dir=cache)
    assert len(records) == 3
    assert _FakeStart.made == [] and stats.from_cache == 3  # nothing pending: no pool


def test_early_workers_analyse_what_the_walk_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_pipeline, "_IN_PROCESS_BYTES", 20)
    _tree(tmp_path, count=6)
    files = discover([tmp_path]).files
    serial, _ = run_pipeline(files, PipelineOptions(jobs=1, cache_dir=None))
    with _pipeline.Pipeline(PipelineOptions(jobs=2, cache_dir=None)) as pipeline:
        found = discover([tmp_path], on_file=pipeline.offer)
        assert pipeline.started is not None  # started during the walk
        records, stats = pipeline.run(found.files)
    assert stats.jobs == 2 and records == serial


def test_objects_made_while_the_collector_is_paused_skip_the_young_generations() -> None:
    if gc.get_freeze_count():
        pytest.skip("something in this process froze objects")
    with _worker.paused_gc():
        marker: list[object] = [object()]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert not any(o is marker for o in gc.get_objects(generation=0))
    assert any(o is marker for o in gc.get_objects(generation=2))
