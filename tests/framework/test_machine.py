"""Tests of benchmig.framework._machine: probes, drift and the machine-speed correction.

The simulated machine is the one measured in docs/performance.md: a core that runs at two speeds
1.6x apart and switches between them every few samples, so that whole worker processes (and
whole runs) can land on the slow or the fast speed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest

from benchmig.framework._compare import compare_runs
from benchmig.framework._machine import (
    SAMPLE_PROBE_KEY,
    cpu_weight,
    machine_drift,
    machine_probe_ms,
    probe_fit,
    probe_reference,
    sample_probe_us,
    speed_corrected_samples,
)
from benchmig.framework._results import CaseResult, RunResults
from benchmig.framework._stats import summarize

SEEDS = range(20)
SLOW = 1.6  # the slow speed's factor on CPU time


def machine_case(
    level: float,
    speeds: Sequence[Sequence[float]],
    rng: np.random.Generator,
    *,
    cpu_share: float = 1.0,
    follows_probe: bool = True,
    with_probes: bool = True,
) -> CaseResult:
    """A case measured in one worker group per entry of ``speeds`` (each sample's machine speed).

    A sample takes ``level * speed ** cpu_share`` (only the computing part slows down) with 2%
    jitter; its probe takes ``70 us * speed`` with 3% jitter. ``follows_probe=False`` makes a
    benchmark whose time does not depend on the probe's speed (memory-bound, a GPU).
    """
    samples: list[float] = []
    probes: list[float] = []
    groups: list[int] = []
    for group, group_speeds in enumerate(speeds):
        for speed in group_speeds:
            slowed = speed**cpu_share if follows_probe else 1.0
            samples.append(level * slowed * math.exp(rng.normal(0.0, 0.02)))
            probes.append(70.0 * speed * math.exp(rng.normal(0.0, 0.03)))
            groups.append(group)
    probe_ms = [0.6 * statistics_median(s) for s in speeds for _ in range(2)]
    settings: dict[str, object] = {
        "cpu_share": [cpu_share] * len(speeds),
        "machine_probe_ms": probe_ms,
    }
    if with_probes:
        settings[SAMPLE_PROBE_KEY] = probes
    return CaseResult(
        benchmark="loop",
        params={"n": 1},
        hardware="cpu",
        status="ok",
        metrics={"latency_ms": summarize(samples)},
        samples={"latency_ms": tuple(samples)},
        sample_groups=tuple(groups),
        settings=settings,
    )


def statistics_median(values: Sequence[float]) -> float:
    return float(np.median(values))


def switching_speeds(
    rng: np.random.Generator, groups: int = 3, per_group: int = 40
) -> list[list[float]]:
    """Each group starts at a random speed and switches with probability 5% per sample."""
    out = []
    for _ in range(groups):
        speed = SLOW if rng.random() < 0.5 else 1.0
        group = []
        for _ in range(per_group):
            if rng.random() < 0.05:
                speed = 1.0 if speed == SLOW else SLOW
            group.append(speed)
        out.append(group)
    return out


def _slope(base: CaseResult, cur: CaseResult, name: str) -> float | None:
    fit = probe_fit(base, cur, name)
    return fit.slope if fit is not None and fit.corrects else None


def run(case: CaseResult) -> RunResults:
    return RunResults(run_id="r", started_at="", finished_at="", environment={}, results=(case,))


def verdict(base: CaseResult, cur: CaseResult, history: float | None = None) -> str:
    noise = {} if history is None else {cur.key: history}
    comparison = compare_runs(run(base), run(cur), history_noise=noise)
    rows = [r for r in comparison.rows if r.metric == "latency_ms"]
    assert len(rows) == 1
    return rows[0].verdict


def all_at(speed: float, groups: int = 3, per_group: int = 40) -> list[list[float]]:
    return [[speed] * per_group for _ in range(groups)]


def test_probes_measure_a_fixed_loop() -> None:
    assert 0.0 < sample_probe_us() < 1e6
    assert 0.0 < machine_probe_ms(repeats=3) < 1e4


def test_the_correction_scales_by_the_probe_to_the_fitted_power() -> None:
    rng = np.random.default_rng(0)
    case = machine_case(10.0, switching_speeds(rng, groups=2, per_group=30), rng)
    corrected = speed_corrected_samples(case, "latency_ms", 0.8, 70.0)
    assert corrected is not None
    probes = case.settings[SAMPLE_PROBE_KEY]
    for raw, fixed, probe in zip(case.samples["latency_ms"], corrected, probes, strict=True):
        assert fixed == pytest.approx(raw * (70.0 / probe) ** 0.8)


@pytest.mark.parametrize("seed", range(5))
def test_the_sensitivity_is_fitted_within_runs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    follows = [machine_case(10.0, switching_speeds(rng), rng) for _ in range(2)]
    slope = _slope(follows[0], follows[1], "latency_ms")
    assert slope == pytest.approx(1.0, abs=0.15)
    half = [machine_case(10.0, switching_speeds(rng), rng, cpu_share=0.5) for _ in range(2)]
    assert _slope(half[0], half[1], "latency_ms") == pytest.approx(0.5, abs=0.15)
    # a 1.5x change between the runs does not leak into the slope
    slower = machine_case(15.0, switching_speeds(rng), rng)
    assert _slope(follows[0], slower, "latency_ms") == pytest.approx(1.0, abs=0.15)
    # not following the probe, or no speed change within the runs: cannot be told
    flat = [machine_case(10.0, switching_speeds(rng), rng, follows_probe=False) for _ in range(2)]
    assert _slope(flat[0], flat[1], "latency_ms") is None
    steady = machine_case(10.0, all_at(1.0), rng)
    assert _slope(steady, machine_case(10.0, all_at(SLOW), rng), "latency_ms") is None


def test_no_correction_without_a_probe_per_sample() -> None:
    rng = np.random.default_rng(1)
    with_probes = machine_case(10.0, all_at(1.0), rng)
    without = machine_case(10.0, all_at(1.0), rng, with_probes=False)
    assert speed_corrected_samples(without, "latency_ms", 1.0, 70.0) is None
    assert probe_reference(with_probes, without, "latency_ms") is None
    reference = probe_reference(with_probes, with_probes, "latency_ms")
    assert reference == pytest.approx(70.0, rel=0.05)


@pytest.mark.parametrize("seed", SEEDS)
def test_identical_runs_on_a_two_speed_machine_are_not_regressions(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = machine_case(10.0, switching_speeds(rng), rng)
    cur = machine_case(10.0, switching_speeds(rng), rng)
    assert verdict(base, cur) in ("unchanged", "inconclusive")
    # the worst case: one run entirely at the slow speed, the other at the fast one; nothing
    # within the runs shows how the benchmark follows the probe, so it cannot be corrected
    slow_run = machine_case(10.0, all_at(SLOW), rng)
    fast_run = machine_case(10.0, all_at(1.0), rng)
    assert verdict(fast_run, slow_run) == "inconclusive"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_slowdown_hidden_by_a_faster_machine_is_caught(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # 1.5x more work, but most of the second run had the fast core and the first the slow one
    base_speeds = [[SLOW] * 30 + [1.0] * 10 for _ in range(3)]
    cur_speeds = [[1.0] * 30 + [SLOW] * 10 for _ in range(3)]
    base = machine_case(10.0, base_speeds, rng)
    cur = machine_case(15.0, cur_speeds, rng)
    assert verdict(base, cur) == "regression"
    # without a probe per sample (older results) nothing can tell it from the machine
    old_base = machine_case(10.0, base_speeds, rng, with_probes=False)
    old_cur = machine_case(15.0, cur_speeds, rng, with_probes=False)
    assert verdict(old_base, old_cur) != "regression"
    # with randomly switching speeds on both sides
    mixed = machine_case(15.0, switching_speeds(rng), rng)
    mixed_base = machine_case(10.0, switching_speeds(rng), rng)
    assert verdict(mixed_base, mixed) == "regression"
    # the history store's noise of raw medians (the machine's two speeds in it) does not hide it
    assert verdict(mixed_base, mixed, history=0.25) == "regression"
    # while raw samples keep the margin the history store measured for them
    steady_base = machine_case(10.0, all_at(1.0), rng, with_probes=False)
    steady_cur = machine_case(15.0, all_at(1.0), rng, with_probes=False)
    assert verdict(steady_base, steady_cur) == "regression"
    assert verdict(steady_base, steady_cur, history=0.25) == "inconclusive"
    # a run entirely at one speed, the other entirely at the other: the change cannot be told
    # from the machine, and the verdict says so instead of passing it
    hidden = verdict(machine_case(10.0, all_at(SLOW), rng), machine_case(15.0, all_at(1.0), rng))
    assert hidden == "inconclusive"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_benchmark_that_does_not_follow_the_probe_keeps_its_raw_verdict(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = machine_case(10.0, switching_speeds(rng), rng, follows_probe=False)
    same = machine_case(10.0, switching_speeds(rng), rng, follows_probe=False)
    slower = machine_case(15.0, switching_speeds(rng), rng, follows_probe=False)
    assert verdict(base, same) == "unchanged"
    assert verdict(base, slower) == "regression"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_sleep_is_not_excused_by_a_slower_core(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # A 5 ms sleep uses no CPU: the core's speed neither slows it nor explains its slowdown.
    base = machine_case(5.0, all_at(1.0), rng, cpu_share=0.01, with_probes=False)
    cur = machine_case(7.5, all_at(SLOW), rng, cpu_share=0.01, with_probes=False)
    assert machine_drift(base, cur) < 0.01
    assert verdict(base, cur) == "regression"


def test_drift_counts_the_probe_for_cpu_bound_cases_only() -> None:
    rng = np.random.default_rng(3)
    fast, slow = machine_case(10.0, all_at(1.0), rng), machine_case(10.0, all_at(SLOW), rng)
    assert machine_drift(fast, slow) == pytest.approx(math.log(SLOW), rel=0.01)
    assert machine_drift(fast, slow, probe_weight=0.0) == 0.0
    assert cpu_weight(fast) == 1.0
