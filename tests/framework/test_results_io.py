"""Tests of results.json writing and reading, old and future schema versions included."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.errors import EXIT_USAGE, InputError, SchemaVersionError
from benchmig.framework._results import (
    RESULTS_SCHEMA_VERSION,
    CaseResult,
    RunResults,
    SampleStats,
)
from benchmig.framework._results_io import (
    RESULTS_FILENAME,
    load_results,
    results_from_document,
    write_results,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "results"


def make_stats(median: float, n: int = 5) -> SampleStats:
    """Plausible stats around ``median`` (shared with the history tests)."""
    return SampleStats(
        median=median,
        mean=median * 1.01,
        stdev=median * 0.05,
        min=median * 0.9,
        max=median * 1.2,
        p90=median * 1.1,
        p99=median * 1.19,
        iqr=median * 0.06,
        ci95=(median * 0.97, median * 1.03),
        n=n,
    )


def make_run(run_id: str = "run-1", median: float = 2.0, **changes: Any) -> RunResults:
    """A run with an ok case (stats, samples, groups), a skipped one and a failed one."""
    ok = CaseResult(
        benchmark="mlp_latency",
        params={"batch_size": 8, "dtype": "float32"},
        hardware="cpu",
        status="ok",
        category="inference",
        metrics={
            "latency_ms": make_stats(median),
            "throughput_per_s": make_stats(8000 / median),
            "peak_memory_mb": 41.5,
        },
        samples={
            "latency_ms": (1.9, 2.0, 2.1, 2.0),
            "throughput_per_s": (4210.5, 4000, 3809.5, 4e3),
        },
        sample_groups=(0, 0, 1, 1),
        settings={"warmup": 2, "repeats": 2, "processes": 2},
        duration_s=0.75,
    )
    skipped = CaseResult(
        benchmark="mlp_latency",
        params={"batch_size": 8, "dtype": "float32"},
        hardware="cuda",
        status="skipped",
        error="cuda is not available",
    )
    failed = CaseResult(
        benchmark="pool",
        params={},
        hardware="cpu",
        status="failed",
        category="resource_pool",
        error="RuntimeError: boom\nTraceback...",
        simulated=True,
    )
    fields: dict[str, Any] = {
        "run_id": run_id,
        "started_at": "2026-03-01T10:00:00+00:00",
        "finished_at": "2026-03-01T10:01:00+00:00",
        "environment": {"python": "3.11.7", "git": {"commit": "abc123", "dirty": False}},
        "results": (ok, skipped, failed),
        "settings": {"warmup": 2},
    }
    fields.update(changes)
    return RunResults(**fields)


def test_round_trip_keeps_everything(tmp_path: Path) -> None:
    run = make_run()
    path = write_results(run, tmp_path / "new" / "folder")
    assert path == tmp_path / "new" / "folder" / RESULTS_FILENAME
    loaded = load_results(path)
    assert loaded == run
    ok = loaded.results[0]
    assert ok.stats("latency_ms") == make_stats(2.0)
    assert ok.samples["latency_ms"] == (1.9, 2.0, 2.1, 2.0)
    assert ok.sample_groups == (0, 0, 1, 1)
    assert ok.metrics["peak_memory_mb"] == 41.5


def test_load_accepts_the_folder(tmp_path: Path) -> None:
    write_results(make_run(), tmp_path)
    assert load_results(tmp_path) == make_run()


def test_folder_without_results_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"folder without a results\.json"):
        load_results(tmp_path)


def test_written_file_has_stable_field_order(tmp_path: Path) -> None:
    first = write_results(make_run(), tmp_path / "a").read_text(encoding="utf-8")
    second = write_results(make_run(), tmp_path / "b").read_text(encoding="utf-8")
    assert first == second
    document = json.loads(first)
    assert list(document)[:3] == ["schema_version", "kind", "run_id"]
    assert document["schema_version"] == RESULTS_SCHEMA_VERSION
    assert document["kind"] == "benchmig-results"


def test_rewrite_replaces_previous_results(tmp_path: Path) -> None:
    write_results(make_run(run_id="old"), tmp_path)
    write_results(make_run(run_id="new"), tmp_path)
    assert load_results(tmp_path).run_id == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [RESULTS_FILENAME]


def test_output_folder_that_is_a_file_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(InputError, match="cannot create the output folder"):
        write_results(make_run(), blocker)


def test_current_version_fixture_stays_readable() -> None:
    run = load_results(FIXTURES / "results_v1.json")
    assert run.run_id == "20260301T101500-a1b2c3d4"
    assert [r.status for r in run.results] == ["ok", "skipped", "timeout"]
    latency = run.results[0].stats("latency_ms")
    assert latency is not None
    assert latency.ci95 == (2.45, 2.7)
    assert run.results[0].sample_groups == (0, 0, 0, 1, 1, 1)


def test_schema_0_fixture_is_upgraded() -> None:
    run = load_results(FIXTURES / "results_v0.json")
    assert run.schema_version == RESULTS_SCHEMA_VERSION
    assert run.started_at == run.finished_at == "2025-11-03T09:12:44+00:00"
    assert run.run_id.startswith("v0-")
    assert run.run_id == load_results(FIXTURES / "results_v0.json").run_id
    bert_cpu, bert_cuda, matmul = run.results
    assert (bert_cpu.benchmark, bert_cpu.hardware, bert_cpu.status) == ("bert_latency", "cpu", "ok")
    assert bert_cpu.params == {"batch_size": 8, "seq_len": 128}
    latency = bert_cpu.stats("latency_ms")
    assert latency is not None
    assert (latency.median, latency.ci95, latency.n) == (41.5, (40.9, 42.3), 30)
    assert bert_cpu.stats("throughput_per_s") is not None
    assert bert_cpu.metrics["peak_memory_mb"] == 812.5
    assert bert_cuda.status == "skipped"
    assert bert_cuda.metrics == {}
    assert bert_cuda.error == "cuda is not available"
    assert (matmul.category, matmul.status) == ("hardware", "failed")


def test_schema_0_without_name_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"schema_version": 0, "results": [{"status": "ok"}]}))
    with pytest.raises(InputError, match=r"cannot upgrade benchmig-results schema 0 to 1"):
        load_results(path)


def test_future_version_fixture_asks_for_an_upgrade() -> None:
    with pytest.raises(SchemaVersionError) as info:
        load_results(FIXTURES / "results_future.json")
    assert "written by a newer benchmig (schema 99, this one reads up to 1)" in str(info.value)
    assert info.value.exit_code == EXIT_USAGE == 2


def test_truncated_fixture_names_line_and_column() -> None:
    with pytest.raises(
        InputError, match=r"results_truncated\.json is not valid JSON \(line 6\d, col"
    ):
        load_results(FIXTURES / "results_truncated.json")


def test_corrupt_json_names_line_and_column(tmp_path: Path) -> None:
    path = write_results(make_run(), tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace('"', "", 1)  # break a key on line 5
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"is not valid JSON \(line 5, col 3\)"):
        load_results(path)


def test_another_kind_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "analysis.json"
    shutil.copy(FIXTURES / "results_v1.json", path)
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**document, "kind": "benchmig-analysis"}), encoding="utf-8")
    with pytest.raises(InputError, match="is a 'benchmig-analysis' document"):
        load_results(path)


@pytest.mark.parametrize(
    ("case", "match"),
    [
        ("not a case", r"results\[0\] must be an object"),
        ({"benchmark": "x", "status": "great"}, r"results\[0\]: 'status' must be one of"),
        ({"status": "ok"}, r"results\[0\] is missing the field 'benchmark'"),
        (
            {"benchmark": "x", "status": "ok", "metrics": {"latency_ms": {"median": 1}}},
            r"results\[0\] is missing the field 'ci95'",
        ),
        ({"benchmark": "x", "status": "ok", "samples": {"t": ["a"]}}, r"results\[0\] is malformed"),
    ],
)
def test_malformed_cases_name_the_result(case: Any, match: str) -> None:
    document = {"schema_version": 1, "results": [case]}
    with pytest.raises(InputError, match=match):
        results_from_document(document, "r.json")


def test_results_must_be_a_list() -> None:
    with pytest.raises(InputError, match="'results' must be a list"):
        results_from_document({"schema_version": 1, "results": {}}, "r.json")


finite = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False)
stats = st.builds(
    SampleStats,
    median=finite,
    mean=finite,
    stdev=finite,
    min=finite,
    max=finite,
    p90=finite,
    p99=finite,
    iqr=finite,
    ci95=st.tuples(finite, finite),
    n=st.integers(min_value=1, max_value=10_000),
)
cases = st.builds(
    CaseResult,
    benchmark=st.text(min_size=1, max_size=12),
    params=st.dictionaries(st.text(max_size=6), st.integers() | st.text(max_size=6), max_size=3),
    hardware=st.sampled_from(["cpu", "cuda", "cuda:1", "mps"]),
    status=st.sampled_from(["ok", "failed", "skipped", "timeout"]),
    metrics=st.dictionaries(st.text(min_size=1, max_size=8), stats | finite, max_size=3),
    samples=st.dictionaries(st.text(min_size=1, max_size=8), st.tuples(finite, finite), max_size=2),
    sample_groups=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    error=st.none() | st.text(max_size=20),
    simulated=st.booleans(),
    duration_s=finite,
)


@settings(max_examples=40, deadline=None)
@given(results=st.lists(cases, max_size=4), run_id=st.text(min_size=1, max_size=20))
def test_any_run_round_trips(tmp_path_factory: Any, results: list[CaseResult], run_id: str) -> None:
    run = make_run(run_id=run_id, results=tuple(results))
    assert load_results(write_results(run, tmp_path_factory.mktemp("r"))) == run
