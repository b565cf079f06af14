"""The `migrate` CLI (run, list, hardware, compare): output, files and exit codes."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from benchmig.cli import main
from benchmig.framework import CaseResult, RunResults, summarize
from benchmig.framework._results_io import write_results

BENCHES = """
import time
from benchmig.framework import BenchmarkBase, BenchmarkRegistry

@BenchmarkRegistry.register(name="cli_sleep", category="micro", params={"ms": [1]})
class CliSleep(BenchmarkBase):
    def execute(self):
        time.sleep(self.config["ms"] / 1000)

@BenchmarkRegistry.register(name="cli_fails")
class CliFails(BenchmarkBase):
    def execute(self):
        raise RuntimeError("always fails")
"""

FAST = ["--max-time", "0.2", "--processes", "1", "--warmup", "1", "--no-history", "-q"]


@pytest.fixture
def bench_file(tmp_path: Path) -> Path:
    path = tmp_path / "cli_benches.py"
    path.write_text(textwrap.dedent(BENCHES))
    return path


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_run_writes_results_and_exits_zero(bench_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _invoke(
        "run", str(bench_file), "--filter", "cli_sleep", "--output-dir", str(out), *FAST
    )
    assert result.exit_code == 0, result.output
    assert "cli_sleep" in result.stdout
    document = json.loads((out / "results.json").read_text())
    (case,) = document["results"]
    assert case["status"] == "ok" and case["params"] == {"ms": 1}
    assert document["environment"]["python"]


def test_run_with_a_failing_benchmark_exits_3_and_keeps_the_others(
    bench_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = _invoke("run", str(bench_file), "--output-dir", str(out), *FAST)
    assert result.exit_code == 3
    statuses = {
        r["benchmark"]: r["status"]
        for r in json.loads((out / "results.json").read_text())["results"]
    }
    assert statuses == {"cli_sleep": "ok", "cli_fails": "failed"}


def test_run_records_history(bench_file: Path, tmp_path: Path) -> None:
    history = tmp_path / "h.sqlite"
    args = [
        "run",
        str(bench_file),
        "--filter",
        "cli_sleep",
        "--output-dir",
        str(tmp_path / "o"),
        "--history",
        str(history),
        "--max-time",
        "0.2",
        "--processes",
        "1",
        "-q",
    ]
    assert _invoke(*args).exit_code == 0
    from benchmig.framework._history import SqliteHistoryStore

    assert len(SqliteHistoryStore(history).list_runs()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hardware", "tpu9"], "tpu9"),
        (["--baseline", "missing.json"], "missing.json"),
    ],
)
def test_run_input_errors_exit_2(bench_file: Path, args: list[str], message: str) -> None:
    result = _invoke("run", str(bench_file), *args, *FAST)
    assert result.exit_code == 2
    assert message in result.stderr


def test_run_without_targets_is_a_usage_error() -> None:
    result = _invoke("run", "--no-history")
    assert result.exit_code == 2 and "nothing to run" in result.stderr


def test_run_suite_naming_a_missing_benchmark_exits_2(bench_file: Path, tmp_path: Path) -> None:
    suite = tmp_path / "suite.json"
    suite.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "kind": "benchmig-suite",
                "name": "s",
                "targets": [str(bench_file)],
                "benchmarks": [{"name": "no_such_bench"}],
            }
        )
    )
    result = _invoke("run", "--suite", str(suite), *FAST)
    assert result.exit_code == 2 and "no_such_bench" in result.stderr


def test_run_suite_overrides_params(bench_file: Path, tmp_path: Path) -> None:
    suite = tmp_path / "suite.json"
    suite.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "kind": "benchmig-suite",
                "name": "s",
                "targets": [str(bench_file)],
                "benchmarks": [{"name": "cli_sleep", "params": {"ms": [2]}}],
            }
        )
    )
    out = tmp_path / "out"
    result = _invoke("run", "--suite", str(suite), "--output-dir", str(out), *FAST)
    assert result.exit_code == 0, result.stderr
    (case,) = json.loads((out / "results.json").read_text())["results"]
    assert case["params"] == {"ms": 2}


def test_broken_benchmark_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken_cli_bench.py"
    path.write_text("import benchmig\nraise ImportError('no module named foo')\n")
    result = _invoke("run", str(path), *FAST)
    assert result.exit_code == 2
    assert "broken_cli_bench.py:2" in result.stderr


def test_list_json(bench_file: Path) -> None:
    result = _invoke("list", str(bench_file), "--json")
    assert result.exit_code == 0
    names = [b["name"] for b in json.loads(result.stdout)["benchmarks"]]
    assert names == ["cli_fails", "cli_sleep"]


def test_hardware_json_reports_cpu_and_reasons() -> None:
    result = _invoke("hardware", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["cpu"]["logical_cores"] >= 1
    unavailable = [b for b in document["backends"].values() if not b["available"]]
    assert all(b["reason"] for b in unavailable)
    assert any(b["name"] == "webgpu" for b in unavailable)


def _results_file(path: Path, scale: float, seed: int) -> Path:
    import numpy as np

    rng = np.random.default_rng(seed)
    cases = []
    for params in ({"n": 1}, {"n": 2}):
        samples = tuple(float(x) for x in rng.normal(10.0 * scale, 0.2, 60))
        groups = tuple(i // 20 for i in range(60))
        cases.append(
            CaseResult(
                benchmark="b",
                params=params,
                hardware="cpu",
                status="ok",
                metrics={"latency_ms": summarize(samples)},
                samples={"latency_ms": samples},
                sample_groups=groups,
            )
        )
    run = RunResults("r", "t0", "t1", {}, tuple(cases))
    return write_results(run, path)


def test_compare_exit_codes(tmp_path: Path) -> None:
    base = _results_file(tmp_path / "base", 1.0, 1)
    same = _results_file(tmp_path / "same", 1.0, 2)
    slow = _results_file(tmp_path / "slow", 1.5, 3)
    assert _invoke("compare", str(base), str(same)).exit_code == 0
    regressed = _invoke("compare", str(base), str(slow), "--json")
    assert regressed.exit_code == 1
    verdicts = {r["verdict"] for r in json.loads(regressed.stdout)["rows"]}
    assert verdicts == {"regression"}


def test_compare_rejects_corrupt_and_future_files(tmp_path: Path) -> None:
    base = _results_file(tmp_path / "base", 1.0, 1)
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"schema_version": 1, "results": [')
    result = _invoke("compare", str(base), str(corrupt))
    assert result.exit_code == 2 and "corrupt.json" in result.stderr
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"schema_version": 99, "kind": "benchmig-results", "results": []}))
    result = _invoke("compare", str(base), str(future))
    assert result.exit_code == 2 and "newer" in result.stderr
