"""The SQLite content-hash cache: keys, the stat fast path, versions, bad files, concurrency."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from benchmig.analyzer._cache import (
    CACHE_FILE_NAME,
    AnalysisCache,
    analyzer_code_digest,
    default_cache_dir,
    entry_key,
)

NS = "benchmig=1;extractor=1;fingerprint=1"
OLD_NS = time.time_ns() - 10 * 10**9  # a settled mtime, older than the racy window


def _open(folder: Path, namespace: str = NS, readonly: bool = False) -> AnalysisCache:
    cache = AnalysisCache.open(folder, namespace, readonly=readonly)
    assert cache is not None
    return cache


def test_default_folder_honours_environment() -> None:
    assert default_cache_dir({"BENCHMIG_CACHE_DIR": "/x/y"}) == Path("/x/y")
    assert default_cache_dir({"XDG_CACHE_HOME": "/c"}) == Path("/c/benchmig")
    assert default_cache_dir({}) == Path.home() / ".cache" / "benchmig"


def test_keys_depend_on_content_path_and_namespace() -> None:
    key = entry_key(NS, "ab" * 32, "a/b.py")
    assert key == entry_key(NS, "ab" * 32, "a/b.py")
    assert key != entry_key(NS, "cd" * 32, "a/b.py")
    assert key != entry_key(NS, "ab" * 32, "a/c.py")
    assert key != entry_key("benchmig=2", "ab" * 32, "a/b.py")


def test_entries_and_stats_round_trip(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many([("k1", b"blob-1")], [("/src/a.py", 10, OLD_NS, "sha-a")])
    assert cache.get("k1") == b"blob-1"
    assert cache.get("k2") is None
    assert cache.sha_for_stat("/src/a.py", 10, OLD_NS) == "sha-a"
    assert cache.sha_for_stat("/src/a.py", 11, OLD_NS) is None  # size changed
    assert cache.sha_for_stat("/src/a.py", 10, OLD_NS + 1) is None  # touched
    cache.close()
    again = _open(tmp_path, readonly=True)
    assert again.get("k1") == b"blob-1"
    again.put_many([("k3", b"x")])  # read-only connections never write
    assert again.get("k3") is None


def test_files_modified_just_now_are_not_trusted_by_stat(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many([], [("/src/new.py", 5, time.time_ns(), "sha")])
    assert cache.sha_for_stat("/src/new.py", 5, time.time_ns()) is None


def test_another_version_starts_afresh(tmp_path: Path) -> None:
    cache = _open(tmp_path)
    cache.put_many([("k", b"v")], [("/a.py", 1, OLD_NS, "s")])
    cache.close()
    newer = _open(tmp_path, namespace="benchmig=2")
    assert newer.get("k") is None
    assert newer.sha_for_stat("/a.py", 1, OLD_NS) is None


def test_corrupt_cache_file_disables_the_cache_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / CACHE_FILE_NAME).write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING):
        assert AnalysisCache.open(tmp_path, NS) is None
    assert "unusable" in caplog.text


def test_read_only_open_of_a_missing_cache_is_none(tmp_path: Path) -> None:
    assert AnalysisCache.open(tmp_path / "nothing", NS, readonly=True) is None


def test_concurrent_writers_do_not_lose_entries(tmp_path: Path) -> None:
    _open(tmp_path).close()
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        try:
            cache = _open(tmp_path)
            for n in range(50):
                cache.put_many([(f"{prefix}{n}", prefix.encode())])
            cache.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    cache = _open(tmp_path, readonly=True)
    assert all(cache.get(f"{p}{n}") == p.encode() for p in "abc" for n in range(50))


def test_the_namespace_changes_with_the_analyzer_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmig.analyzer import _pipeline

    digest = analyzer_code_digest()
    assert len(digest) == 16 and digest == analyzer_code_digest()
    before = _pipeline.cache_namespace(None)
    assert before.endswith(f";code={digest}")
    monkeypatch.setattr(_pipeline, "analyzer_code_digest", lambda: "0" * 16)
    assert _pipeline.cache_namespace(None) != before
