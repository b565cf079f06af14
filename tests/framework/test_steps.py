"""Step detection on run histories: real steps found, noise, outliers and gaps left alone."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.errors import InputError
from benchmig.framework._steps import StepSettings, detect_steps, estimate_noise


def series_with_steps(n: int, noise: float, steps: dict[int, float], seed: int = 0) -> list[float]:
    """Run medians around 10 with log-normal noise; ``steps`` maps a run to a factor from it on."""
    rng = np.random.default_rng(seed)
    logs = rng.normal(0.0, noise, n)
    for at, factor in steps.items():
        logs[at:] += math.log(factor)
    return [float(v) for v in 10.0 * np.exp(logs)]


@pytest.mark.parametrize("seed", range(5))
def test_flat_noisy_series_has_no_step(seed: int) -> None:
    assert detect_steps(series_with_steps(40, 0.05, {}, seed)) == []


@pytest.mark.parametrize("seed", range(5))
def test_a_20_percent_step_is_found_where_it_happened(seed: int) -> None:
    steps = detect_steps(series_with_steps(30, 0.02, {15: 1.2}, seed))
    assert len(steps) == 1
    step = steps[0]
    assert abs(step.index - 15) <= 1
    assert step.change == pytest.approx(0.2, abs=0.05)
    assert step.change == pytest.approx(step.after / step.before - 1)
    assert step.z > 5


def test_down_then_up_are_two_steps_in_order() -> None:
    steps = detect_steps(series_with_steps(45, 0.02, {12: 0.8, 30: 1.5}, seed=3))
    assert [s.index for s in steps] == [12, 30]
    assert steps[0].change < 0 < steps[1].change
    assert steps[1].before == pytest.approx(steps[0].after, rel=0.05)


def test_one_disturbed_run_is_not_a_step() -> None:
    values = series_with_steps(30, 0.02, {}, seed=1)
    values[10] *= 1.6
    values[20] *= 0.6
    assert detect_steps(values) == []


def test_a_step_needs_min_size_runs_at_its_new_level() -> None:
    values = series_with_steps(20, 0.01, {18: 1.5}, seed=2)  # only two runs after the step
    assert detect_steps(values) == []
    assert [s.index for s in detect_steps(values, settings=StepSettings(min_size=2))] == [18]


def test_gaps_are_skipped_and_indices_refer_to_the_input() -> None:
    values: list[float | None] = list(series_with_steps(30, 0.02, {15: 1.3}, seed=4))
    for i in (3, 14, 16, 25):
        values[i] = None
    values[7] = -1.0
    values[8] = math.nan
    steps = detect_steps(values)
    assert [s.index for s in steps] == [15]


def test_too_short_series_has_no_step() -> None:
    assert detect_steps([1.0, 1.0, 2.0, 2.0, 2.0]) == []
    assert detect_steps([]) == []


def test_small_steps_below_min_change_are_dropped() -> None:
    values = series_with_steps(
        30, 0.001, {15: 1.01}, seed=5
    )  # 1%: real (10 noise units), but small
    assert detect_steps(values) == []
    found = detect_steps(values, settings=StepSettings(min_change=0.0, noise_floor=0.0005))
    assert [s.index for s in found] == [15]


def test_wide_confidence_intervals_weaken_the_evidence() -> None:
    values = series_with_steps(30, 0.01, {15: 1.06}, seed=6)
    assert [s.index for s in detect_steps(values)] == [15]
    wide = [(v * 0.7, v * 1.4) for v in values]  # runs that measured almost nothing
    assert detect_steps(values, ci=wide) == []
    narrow = [(v * 0.999, v * 1.001) for v in values]  # within-run CI: run-to-run noise rules
    assert [s.index for s in detect_steps(values, ci=narrow)] == [15]


def test_a_machine_flipping_between_two_speeds_is_noise_not_steps() -> None:
    rng = np.random.default_rng(7)
    slow = rng.random(40) < 0.35  # contention: some runs take twice as long
    values = [float(v) for v in np.where(slow, 2.0, 1.0) * np.exp(rng.normal(0, 0.03, 40))]
    assert detect_steps(values) == []


def test_given_noise_overrides_the_estimate() -> None:
    values = series_with_steps(30, 0.015, {15: 1.1}, seed=12)
    assert [s.index for s in detect_steps(values)] == [15]
    assert detect_steps(values, noise=0.2) == []


def test_estimate_noise_is_robust_to_steps_and_outliers() -> None:
    clean = series_with_steps(200, 0.05, {}, seed=9)
    stepped = series_with_steps(200, 0.05, {60: 1.5, 140: 0.7}, seed=9)
    stepped[100] *= 3.0
    assert estimate_noise(clean) == pytest.approx(0.05, rel=0.2)
    assert estimate_noise(stepped) == pytest.approx(estimate_noise(clean), rel=0.15)
    assert estimate_noise([1.0, 2.0]) is None


def test_invalid_settings_are_input_errors() -> None:
    with pytest.raises(InputError, match="penalty"):
        StepSettings(penalty=0)
    with pytest.raises(InputError, match="min_change"):
        StepSettings(min_change=-0.1)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(min_value=1e-3, max_value=1e6), min_size=0, max_size=60),
    st.integers(min_value=1, max_value=5),
)
def test_steps_are_consistent_for_any_series(values: list[float], min_size: int) -> None:
    conf = StepSettings(min_size=min_size)
    steps = detect_steps(values, settings=conf)
    indices = [s.index for s in steps]
    assert indices == sorted(indices)
    edges = [0, *indices, len(values)] if steps else []
    assert all(b - a >= min_size for a, b in itertools.pairwise(edges))
    for step in steps:
        assert step.before > 0 and step.after > 0 and step.z >= 0
        assert step.change == pytest.approx(step.after / step.before - 1)
        assert abs(math.log1p(step.change)) >= math.log1p(conf.min_change) * 0.5


@given(st.floats(min_value=1e-3, max_value=1e6), st.integers(min_value=0, max_value=50))
def test_a_constant_series_has_no_step(value: float, n: int) -> None:
    assert detect_steps([value] * n) == []
