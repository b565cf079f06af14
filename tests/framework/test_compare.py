"""Tests of benchmig.framework._compare on synthetic runs with a known truth."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.errors import InputError
from benchmig.framework._compare import (
    Comparison,
    compare_runs,
    format_comparison_table,
    metric_direction,
)
from benchmig.framework._results import CaseResult, CaseStatus, RunResults
from benchmig.framework._stats import DRIFT_FLOOR, UNKNOWN_RUN_NOISE, summarize

SEEDS = range(20)


def make_case(
    levels: Sequence[float],
    rng: np.random.Generator,
    *,
    benchmark: str = "loop",
    params: Mapping[str, Any] | None = None,
    per_group: int = 20,
    within: float = 0.03,
    metric: str = "latency_ms",
    status: CaseStatus = "ok",
    scalars: Mapping[str, float] | None = None,
) -> CaseResult:
    """One case measured in ``len(levels)`` worker groups, each at its own level."""
    values: list[float] = []
    groups: list[int] = []
    for group, level in enumerate(levels):
        values.extend((level * np.exp(rng.normal(0.0, within, per_group))).tolist())
        groups.extend([group] * per_group)
    metrics: dict[str, Any] = {metric: summarize(values), **(scalars or {})}
    return CaseResult(
        benchmark=benchmark,
        params=dict(params or {"n": 1}),
        hardware="cpu",
        status=status,
        metrics=metrics,
        samples={metric: tuple(values)},
        sample_groups=tuple(groups),
        error="boom" if status == "failed" else None,
    )


def simulated(
    rng: np.random.Generator,
    level: float,
    *,
    groups: int = 6,
    between: float = 0.05,
    run_drift: float = 0.0,
    **kw: Any,
) -> CaseResult:
    """A case whose worker groups scatter around ``level`` by ``between`` (log stdev), after the
    whole run drifted by ``run_drift`` (log stdev, shared by every group, so invisible in them)."""
    shifted = level * math.exp(rng.normal(0.0, run_drift))
    return make_case((shifted * np.exp(rng.normal(0.0, between, groups))).tolist(), rng, **kw)


def run(*cases: CaseResult) -> RunResults:
    return RunResults(
        run_id="r", started_at="", finished_at="", environment={}, results=tuple(cases)
    )


def only_verdict(comparison: Comparison) -> str:
    (row,) = comparison.rows
    return row.verdict


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("latency_ms", "lower"),
        ("wall_time_s", "lower"),
        ("duration", "lower"),
        ("peak_memory_mb", "lower"),
        ("model_bytes", "lower"),
        ("seconds", "lower"),
        ("cuda_peak_allocated_mb", "lower"),
        ("time_per_step_ms", "lower"),
        ("Latency (ms)", "lower"),
        ("samples_per_second", "higher"),
        ("bytes_per_s", "higher"),
        ("copy_gib_s", "higher"),
        ("tflops", "higher"),
        ("throughput_per_s", "higher"),
        ("items_per_second", "higher"),
        ("tokens_per_s", "higher"),
        ("ops", "higher"),
        ("matmul_gflops", "higher"),
        ("bandwidth_gb_s", "higher"),
        ("speedup", "higher"),
        ("top1_accuracy", "higher"),
        ("widgets", None),
        ("score", None),
    ],
)
def test_metric_direction(name: str, expected: str | None) -> None:
    assert metric_direction(name) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_identical_distributions_are_never_a_regression(seed: int) -> None:
    rng = np.random.default_rng(seed)
    result = compare_runs(run(simulated(rng, 10.0)), run(simulated(rng, 10.0)))
    assert only_verdict(result) in {"unchanged", "inconclusive"}
    assert not result.has_regression


@pytest.mark.parametrize("seed", SEEDS)
def test_one_and_a_half_times_slower_is_always_a_regression(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    result = compare_runs(run(simulated(rng, 10.0)), run(simulated(rng, 15.0)))
    assert only_verdict(result) == "regression"
    assert result.has_regression
    assert result.rows[0].change == pytest.approx(0.5, abs=0.12)


@pytest.mark.parametrize("seed", range(5))
def test_throughput_direction(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = run(simulated(rng, 1500.0, metric="throughput_per_s"))
    lower = run(simulated(rng, 1000.0, metric="throughput_per_s"))
    higher = run(simulated(rng, 2250.0, metric="throughput_per_s"))
    assert only_verdict(compare_runs(base, lower)) == "regression"
    assert only_verdict(compare_runs(base, higher)) == "improvement"


@pytest.mark.parametrize("seed", range(10))
def test_shifted_run_within_group_noise_is_inconclusive(seed: int) -> None:
    rng = np.random.default_rng(seed)
    spread = np.exp([-0.15, 0.0, 0.15])  # groups of each run disagree by ~15%
    base = make_case((10.0 * spread).tolist(), rng, per_group=30, within=0.01)
    cur = make_case((11.5 * spread).tolist(), rng, per_group=30, within=0.01)
    result = compare_runs(run(base), run(cur))
    (row,) = result.rows
    assert row.verdict == "inconclusive"
    assert row.p_value is not None and row.p_value < 0.01
    per_run = math.hypot(0.15 / math.sqrt(3), DRIFT_FLOOR)  # standard error of 3 groups + floor
    assert row.noise == pytest.approx(math.sqrt(2) * per_run, rel=0.2)
    assert "noise" in row.note and "%" in row.note


def test_hidden_run_drift_a_a_versus_real_slowdown() -> None:
    """Whole runs drift by 4% (groups agree, 3% apart): no false alarm, 1.5x always caught."""
    rng = np.random.default_rng(7)
    noisy: dict[str, Any] = {"groups": 4, "between": 0.03, "run_drift": 0.04}
    a_a_changes = []
    for _ in range(20):
        base = run(simulated(rng, 10.0, **noisy))
        a_a = compare_runs(base, run(simulated(rng, 10.0, **noisy)))
        assert not a_a.has_regression
        a_a_changes.append(abs(a_a.rows[0].change or 0.0))
        assert compare_runs(base, run(simulated(rng, 15.0, **noisy))).has_regression
    assert max(a_a_changes) > 0.06  # the drift is real: a bare 5% threshold would fail here


def test_single_group_uses_the_conservative_fallback() -> None:
    rng = np.random.default_rng(3)
    base = make_case([10.0], rng, per_group=60)
    drifted = make_case([11.5], rng, per_group=60)
    slow = make_case([15.0], rng, per_group=60)
    drift = compare_runs(run(base), run(drifted)).rows[0]
    assert drift.verdict == "inconclusive"
    assert drift.noise == pytest.approx(math.hypot(UNKNOWN_RUN_NOISE, UNKNOWN_RUN_NOISE))
    assert only_verdict(compare_runs(run(base), run(slow))) == "regression"


def test_history_noise_widens_the_margin() -> None:
    rng = np.random.default_rng(11)
    base = simulated(rng, 10.0, between=0.01)
    cur = simulated(rng, 13.0, between=0.01)
    assert only_verdict(compare_runs(run(base), run(cur))) == "regression"
    widened = compare_runs(run(base), run(cur), history_noise={cur.key: 0.1})
    assert widened.rows[0].verdict == "inconclusive"
    # The history figure is per run: two runs differ by sqrt(2) times that.
    assert widened.rows[0].noise == pytest.approx(math.sqrt(2) * 0.1)
    other_key = compare_runs(run(base), run(cur), history_noise={"elsewhere": 0.1})
    assert other_key.rows[0].verdict == "regression"
    # A smaller history figure never narrows what this pair of runs shows.
    narrow = compare_runs(run(base), run(cur), history_noise={cur.key: 1e-6})
    assert narrow.rows[0].noise is not None and narrow.rows[0].noise > 1e-6


def test_drift_floor_sets_the_smallest_margin() -> None:
    rng = np.random.default_rng(12)
    base = simulated(rng, 10.0, between=0.005)
    cur = simulated(rng, 11.2, between=0.005)
    assert only_verdict(compare_runs(run(base), run(cur))) == "inconclusive"
    quiet = compare_runs(run(base), run(cur), drift_floor=0.0)
    assert only_verdict(quiet) == "regression"
    assert quiet.rows[0].noise is not None and quiet.rows[0].noise < 0.01


def test_too_few_samples_for_a_large_change_is_inconclusive() -> None:
    rng = np.random.default_rng(13)
    base = make_case([10.0], rng, per_group=3)
    cur = make_case([30.0], rng, per_group=3)
    (row,) = compare_runs(run(base), run(cur)).rows
    assert row.verdict == "inconclusive"
    assert row.p_value is not None and row.p_value >= 0.01
    assert "not significant" in row.note


def test_param_combinations_are_not_confused() -> None:
    rng = np.random.default_rng(5)
    base = run(simulated(rng, 1.0, params={"batch": 1}), simulated(rng, 5.0, params={"batch": 8}))
    cur = run(
        simulated(rng, 5.0 * 1.5, params={"batch": 8}), simulated(rng, 1.0, params={"batch": 1})
    )
    verdicts = {row.params["batch"]: row.verdict for row in compare_runs(base, cur).rows}
    assert verdicts == {1: "unchanged", 8: "regression"}


def test_missing_and_failed_cases() -> None:
    rng = np.random.default_rng(0)
    base = run(
        simulated(rng, 1.0, benchmark="gone"),
        simulated(rng, 1.0, benchmark="broken"),
        simulated(rng, 1.0, benchmark="stays"),
    )
    cur = run(
        simulated(rng, 1.0, benchmark="broken", status="failed"),
        simulated(rng, 1.0, benchmark="new"),
        simulated(rng, 1.0, benchmark="stays"),
    )
    result = compare_runs(base, cur)
    verdicts = {row.benchmark: row.verdict for row in result.rows}
    assert verdicts == {
        "gone": "missing_current",
        "broken": "not_comparable",
        "stays": "unchanged",
        "new": "missing_baseline",
    }
    broken = next(r for r in result.rows if r.benchmark == "broken")
    assert "failed (boom)" in broken.note
    assert result.counts()["not_comparable"] == 1
    assert not result.has_regression


def test_unknown_direction_and_scalar_metrics_never_get_a_verdict() -> None:
    rng = np.random.default_rng(2)
    base = simulated(rng, 10.0, metric="widgets", scalars={"peak_memory_mb": 100.0})
    cur = simulated(rng, 20.0, metric="widgets", scalars={"peak_memory_mb": 300.0})
    rows = {row.metric: row for row in compare_runs(run(base), run(cur)).rows}
    assert rows["widgets"].verdict == "info"
    assert rows["widgets"].direction is None
    assert rows["widgets"].p_value is not None and rows["widgets"].p_value < 0.01
    assert rows["peak_memory_mb"].verdict == "info"
    assert rows["peak_memory_mb"].direction == "lower"
    assert rows["peak_memory_mb"].change == pytest.approx(2.0)
    assert rows["peak_memory_mb"].p_value is None


def test_metric_on_one_side_only() -> None:
    rng = np.random.default_rng(4)
    base = simulated(rng, 10.0, scalars={"peak_memory_mb": 1.0})
    rows = {row.metric: row.verdict for row in compare_runs(run(base), run(base)).rows}
    assert rows == {"latency_ms": "unchanged", "peak_memory_mb": "info"}
    cur = simulated(rng, 10.0)
    rows = {row.metric: row.verdict for row in compare_runs(run(base), run(cur)).rows}
    assert rows["peak_memory_mb"] == "missing_current"


def test_bad_settings_and_duplicate_cases_raise() -> None:
    rng = np.random.default_rng(1)
    case = simulated(rng, 1.0)
    with pytest.raises(InputError, match="twice"):
        compare_runs(run(case, case), run(case))
    with pytest.raises(InputError, match="alpha"):
        compare_runs(run(case), run(case), alpha=0.0)
    with pytest.raises(InputError, match="threshold"):
        compare_runs(run(case), run(case), threshold=-0.1)
    with pytest.raises(InputError, match="drift_floor"):
        compare_runs(run(case), run(case), drift_floor=-0.1)


def test_json_form_and_table() -> None:
    rng = np.random.default_rng(9)
    base = run(simulated(rng, 10.0, params={"batch": 1}), simulated(rng, 1.0, benchmark="x"))
    cur = run(simulated(rng, 15.0, params={"batch": 1}))
    result = compare_runs(base, cur)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["schema_version"] == 1
    assert data["kind"] == "benchmig-comparison"
    assert data["has_regression"] is True
    assert {r["verdict"] for r in data["rows"]} == {"regression", "missing_current"}
    table = format_comparison_table(result)
    lines = table.splitlines()
    assert lines[0].split() == [
        "benchmark", "params", "hardware", "metric", "baseline", "current", "change", "verdict"
    ]  # fmt: skip
    assert lines[0].index("verdict") == lines[1].index("regression")
    assert "batch=1" in lines[1]
    assert f"{result.rows[0].change:+.1%}" in lines[1]
    assert lines[-1].startswith("2 rows: 1 missing_current, 1 regression")


@settings(max_examples=60, deadline=None)
@given(
    base=st.lists(st.floats(1.0, 2.0), min_size=3, max_size=40),
    cur=st.lists(st.floats(1.0, 2.0), min_size=3, max_size=40),
    factor=st.floats(0.4, 2.5),
    n_groups=st.integers(1, 4),
    metric=st.sampled_from(["latency_ms", "throughput_per_s"]),
)
def test_verdict_is_antisymmetric(
    base: list[float], cur: list[float], factor: float, n_groups: int, metric: str
) -> None:
    def case(values: list[float]) -> CaseResult:
        return CaseResult(
            benchmark="b",
            params={},
            hardware="cpu",
            status="ok",
            metrics={metric: summarize(values)},
            samples={metric: tuple(values)},
            sample_groups=tuple(i % n_groups for i in range(len(values))),
        )

    a, b = run(case(base)), run(case([x * factor for x in cur]))
    forward, backward = only_verdict(compare_runs(a, b)), only_verdict(compare_runs(b, a))
    mirror = {"regression": "improvement", "improvement": "regression"}
    assert backward == mirror.get(forward, forward)


def _with_probes(case: CaseResult, probe_ms: float) -> CaseResult:
    from dataclasses import replace

    return replace(case, settings={"machine_probe_ms": [probe_ms * f for f in (0.98, 1.0, 1.02)]})


@pytest.mark.parametrize("seed", SEEDS)
def test_a_machine_that_slowed_down_as_a_whole_is_not_a_regression(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = _with_probes(make_case([10.0, 10.1, 9.9], rng), probe_ms=1.0)
    # Everything, the machine probe included, got 45% slower: a busy neighbour, not the code.
    slow_machine = _with_probes(make_case([14.5, 14.6, 14.4], rng), probe_ms=1.45)
    assert only_verdict(compare_runs(run(base), run(slow_machine))) == "inconclusive"
    # The same slowdown on a steady machine is a regression.
    steady = _with_probes(make_case([14.5, 14.6, 14.4], rng), probe_ms=1.0)
    assert only_verdict(compare_runs(run(base), run(steady))) == "regression"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_cpu_bound_benchmark_that_lost_its_core_is_not_a_regression(seed: int) -> None:
    from dataclasses import replace

    rng = np.random.default_rng(seed)
    base = replace(make_case([10.0, 10.1, 9.9], rng), settings={"cpu_share": [0.99, 0.98, 0.99]})
    shared = replace(make_case([16.0, 16.2, 15.9], rng), settings={"cpu_share": [0.6, 0.62, 0.61]})
    assert only_verdict(compare_runs(run(base), run(shared))) == "inconclusive"
    full_core = replace(shared, settings={"cpu_share": [0.99, 0.99, 0.98]})
    assert only_verdict(compare_runs(run(base), run(full_core))) == "regression"
    # a sleeping benchmark's CPU share says nothing about the machine
    idle = replace(base, settings={"cpu_share": [0.01, 0.01, 0.01]})
    idle_slow = replace(shared, settings={"cpu_share": [0.02, 0.02, 0.02]})
    assert only_verdict(compare_runs(run(idle), run(idle_slow))) == "regression"
