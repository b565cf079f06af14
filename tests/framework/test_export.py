"""Exporters to CI formats, checked against the formats as their tools document them.

* Bencher Metric Format: https://bencher.dev/docs/reference/bencher-metric-format (its JSON
  schema: an object of benchmark names, each an object of measures, each an object with a number
  ``value`` and optional numbers ``lower_value``/``upper_value``; the built-in ``latency``
  measure is in nanoseconds, ``throughput`` in operations per second).
* github-action-benchmark, tools ``customSmallerIsBetter``/``customBiggerIsBetter``: a JSON list
  of ``{"name": str, "unit": str, "value": number, "range"?: str, "extra"?: str}``; the action
  reads ``range`` with ``/(\\+-|±)\\s*(\\d.+)/`` (src/extractRangeInfo.ts).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.cli import main
from benchmig.errors import InputError
from benchmig.framework._export import (
    GithubTool,
    case_label,
    export_text,
    to_bmf,
    to_github_action_benchmark,
)
from benchmig.framework._results import CaseResult, RunResults
from benchmig.framework._results_io import write_results
from tests.framework.test_results_io import make_run, make_stats

_ACTION_RANGE = re.compile(r"(?P<prefix>(\+-|±)\s*)(?P<value>\d.+)")
OK_LABEL = "mlp_latency[batch_size=8,dtype=float32]@cpu"


def assert_bmf(document: Any) -> None:
    """The BMF JSON schema (draft-07) from Bencher's reference page, checked by hand."""
    assert isinstance(document, dict)
    for benchmark, measures in document.items():
        assert isinstance(benchmark, str) and benchmark and len(benchmark) <= 1024
        assert isinstance(measures, dict) and measures
        for slug, metric in measures.items():
            assert isinstance(slug, str) and 0 < len(slug) <= 64
            assert isinstance(metric, dict) and "value" in metric
            assert set(metric) <= {"value", "lower_value", "upper_value"}
            for number in metric.values():
                assert isinstance(number, int | float) and not isinstance(number, bool)
                assert math.isfinite(number)
            if "lower_value" in metric:
                assert metric["lower_value"] <= metric["value"] <= metric["upper_value"]


def assert_github(document: Any) -> None:
    """github-action-benchmark's BenchmarkResult list (src/extract.ts)."""
    assert isinstance(document, list)
    for entry in document:
        assert set(entry) <= {"name", "unit", "value", "range", "extra"}
        assert isinstance(entry["name"], str) and entry["name"]
        assert isinstance(entry["unit"], str) and entry["unit"]
        assert isinstance(entry["value"], int | float) and math.isfinite(entry["value"])
        if "range" in entry:
            match = _ACTION_RANGE.search(entry["range"])
            assert match is not None, entry["range"]
            assert math.isfinite(float(match.group("value")))  # JavaScript's Number() agrees
        assert isinstance(entry.get("extra", ""), str)


def _run_with_extras() -> RunResults:
    run = make_run()
    ok = run.results[0]
    weird = replace(
        ok,
        params={"n": 1},
        metrics={**ok.metrics, "accuracy": 0.93, "mystery_score": 4.0, "bad": math.nan},
    )
    simulated = replace(ok, params={"n": 2}, simulated=True)
    return replace(run, results=(*run.results, weird, simulated))


def test_bmf_maps_latency_to_nanoseconds_and_keeps_the_ci() -> None:
    document = to_bmf(make_run(median=2.0))
    assert_bmf(document)
    assert list(document) == [OK_LABEL]  # the skipped and the failed case are not exported
    measures = document[OK_LABEL]
    assert measures["latency"] == pytest.approx(
        {"value": 2.0e6, "lower_value": 1.94e6, "upper_value": 2.06e6}
    )
    assert measures["throughput"]["value"] == pytest.approx(4000.0)
    assert measures["peak-memory-mb"] == {"value": 41.5}


def test_bmf_skips_simulated_and_non_finite_and_slugs_names() -> None:
    document = to_bmf(_run_with_extras())
    assert_bmf(document)
    assert "mlp_latency[n=2]@cpu" not in document  # simulated numbers are never exported
    extra = document["mlp_latency[n=1]@cpu"]
    assert extra["mystery-score"] == {"value": 4.0}
    assert "bad" not in extra


def test_github_latency_and_memory_are_smaller_is_better() -> None:
    smaller = to_github_action_benchmark(_run_with_extras(), "customSmallerIsBetter")
    assert_github(smaller)
    names = {e["name"] for e in smaller}
    assert f"{OK_LABEL} latency_ms" in names and f"{OK_LABEL} peak_memory_mb" in names
    assert not any("throughput" in n or "accuracy" in n or "mystery" in n for n in names)
    latency = next(e for e in smaller if e["name"] == f"{OK_LABEL} latency_ms")
    assert latency["unit"] == "ms" and latency["value"] == 2.0
    assert latency["range"] == "± 0.06"
    assert "95% CI [1.94, 2.06] ms" in latency["extra"] and "run run-1" in latency["extra"]
    memory = next(e for e in smaller if e["name"] == f"{OK_LABEL} peak_memory_mb")
    assert memory["unit"] == "MB" and "range" not in memory


def test_github_throughput_and_rates_are_bigger_is_better() -> None:
    bigger = to_github_action_benchmark(_run_with_extras(), "customBiggerIsBetter")
    assert_github(bigger)
    assert {e["name"] for e in bigger} == {
        f"{OK_LABEL} throughput_per_s",
        "mlp_latency[n=1]@cpu throughput_per_s",
        "mlp_latency[n=1]@cpu accuracy",
    }
    assert next(e for e in bigger if e["name"].endswith("throughput_per_s"))["unit"] == "items/s"


@pytest.mark.parametrize(
    ("metric", "tool", "unit"),
    [
        ("bandwidth_gb_s", "customBiggerIsBetter", "GB/s"),
        ("gflops", "customBiggerIsBetter", "GFLOP/s"),
        ("achieved_qps", "customBiggerIsBetter", "queries/s"),
        ("requests_per_s", "customBiggerIsBetter", "requests/s"),
        ("p99_latency_ms", "customSmallerIsBetter", "ms"),
        ("duration_s", "customSmallerIsBetter", "s"),
        ("copies_rss_mb", "customSmallerIsBetter", "MB"),
        ("elapsed_time", "customSmallerIsBetter", "value"),
    ],
)
def test_units_come_from_metric_names(metric: str, tool: GithubTool, unit: str) -> None:
    case = CaseResult("b", {}, "cpu", "ok", metrics={metric: 3.0})
    (entry,) = to_github_action_benchmark(RunResults("r", "", "", {}, (case,)), tool)
    assert entry["unit"] == unit and entry["value"] == 3.0


def test_range_is_never_a_lone_digit() -> None:
    # The action's pattern \d.+ needs two characters: "± 2" would be dropped, "± 2.0" is read.
    case = replace(make_run().results[0], metrics={"latency_ms": make_stats(100.0)})
    stats = replace(make_stats(100.0), ci95=(99.0, 101.0))
    case = replace(case, metrics={"latency_ms": stats})
    entry = to_github_action_benchmark(
        RunResults("r", "", "", {}, (case,)), "customSmallerIsBetter"
    )
    assert entry[0]["range"] == "± 1.0"
    assert_github(entry)


def test_case_label_sorts_params_and_omits_empty_brackets() -> None:
    case = CaseResult("b", {"z": 1, "a": "x"}, "cuda:1", "ok")
    assert case_label(case) == "b[a=x,z=1]@cuda:1"
    assert case_label(replace(case, params={})) == "b@cuda:1"


def test_export_text_is_strict_json_and_rejects_unknown_formats() -> None:
    text = export_text(make_run(), "bmf")
    assert text.endswith("\n") and json.loads(text) == to_bmf(make_run())
    with pytest.raises(InputError, match="unknown export format 'csv'"):
        export_text(make_run(), "csv")
    with pytest.raises(InputError, match="unknown --tool"):
        export_text(make_run(), "github-action-benchmark", tool="smaller")


_names = st.text(min_size=1, max_size=12)
_values = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    name=_names,
    param=st.one_of(st.integers(), _names),
    median=_values,
    spread=st.floats(min_value=0.0, max_value=0.5),
    extra=st.floats(allow_nan=True, allow_infinity=True),
)
def test_every_export_is_valid_for_its_tool(
    name: str, param: object, median: float, spread: float, extra: float
) -> None:
    stats = replace(make_stats(median), ci95=(median * (1 - spread), median * (1 + spread)))
    case = CaseResult(
        name,
        {"p": param},
        "cpu",
        "ok",
        metrics={"latency_ms": stats, "throughput_per_s": stats, "custom_ms": extra},
    )
    run = RunResults("r", "", "", {}, (case,))
    assert_bmf(json.loads(export_text(run, "bmf")))
    for tool in ("customSmallerIsBetter", "customBiggerIsBetter"):
        assert_github(json.loads(export_text(run, "github-action-benchmark", tool=tool)))


def test_export_command_writes_each_format(tmp_path: Path) -> None:
    results = write_results(_run_with_extras(), tmp_path / "run")
    runner = CliRunner()
    done = runner.invoke(main, ["export", str(results), "--format", "bmf"])
    assert done.exit_code == 0, done.output
    assert_bmf(json.loads(done.stdout))
    out = tmp_path / "gab.json"
    args = ["export", str(results), "--format", "github-action-benchmark"]
    done = runner.invoke(main, [*args, "--tool", "customBiggerIsBetter", "--out", str(out)])
    assert done.exit_code == 0, done.output
    entries = json.loads(out.read_text())
    assert_github(entries)
    assert all(e["unit"] != "ms" for e in entries)


def test_export_command_bad_input_exits_2(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["export", str(tmp_path / "nope.json"), "--format", "bmf"])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    results = write_results(make_run(), tmp_path)
    bad = runner.invoke(main, ["export", str(results), "--format", "xml"])
    assert bad.exit_code == 2
