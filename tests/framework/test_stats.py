"""Tests of benchmig.framework._stats against numpy/scipy and by simulation."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from benchmig.framework._stats import (
    DRIFT_FLOOR,
    UNKNOWN_RUN_NOISE,
    group_samples,
    median_ci,
    relative_noise,
    run_noise,
    summarize,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
samples_st = st.lists(finite, min_size=1, max_size=200)
positive_samples_st = st.lists(
    st.floats(min_value=1e-3, max_value=1e6, allow_nan=False), min_size=1, max_size=200
)


@given(samples_st)
def test_summary_matches_numpy(samples: list[float]) -> None:
    s = summarize(samples)
    arr = np.asarray(samples)
    assert s.n == len(samples)
    assert s.median == pytest.approx(float(np.median(arr)), rel=1e-12, abs=1e-12)
    assert s.mean == pytest.approx(float(np.mean(arr)), rel=1e-9, abs=1e-6)
    assert s.p90 == pytest.approx(float(np.percentile(arr, 90)), rel=1e-12, abs=1e-12)
    assert s.p99 == pytest.approx(float(np.percentile(arr, 99)), rel=1e-12, abs=1e-12)
    assert s.iqr == pytest.approx(float(sps.iqr(arr)), rel=1e-9, abs=1e-9)
    assert (s.min, s.max) == (min(samples), max(samples))
    expected_sd = float(np.std(arr, ddof=1)) if len(samples) > 1 else 0.0
    assert s.stdev == pytest.approx(expected_sd, rel=1e-9, abs=1e-9)


@given(samples_st)
def test_ci_contains_median_and_is_ordered(samples: list[float]) -> None:
    s = summarize(samples)
    lo, hi = s.ci95
    assert s.min <= lo <= s.median <= hi <= s.max


@given(st.lists(finite, min_size=1, max_size=5))
def test_tiny_samples_fall_back_to_the_range(samples: list[float]) -> None:
    assert median_ci(samples) == (min(samples), max(samples))


def test_ci_uses_binomial_order_statistics() -> None:
    # Textbook ranks: n=9 -> (x_2, x_8), 96.1% coverage; n=30 -> (x_10, x_21), 95.7%.
    assert median_ci([float(i) for i in range(1, 10)]) == (2.0, 8.0)
    assert median_ci([float(i) for i in range(1, 31)]) == (10.0, 21.0)


def test_ci_coverage_by_simulation() -> None:
    rng = np.random.default_rng(12345)
    draws = rng.normal(loc=10.0, scale=2.0, size=(400, 30))
    covered = 0
    for row in draws:
        lo, hi = median_ci(row)
        covered += lo <= 10.0 <= hi
    assert 0.90 <= covered / 400 <= 0.99


@given(positive_samples_st, st.floats(min_value=1e-3, max_value=1e3))
def test_scaling_scales_every_statistic(samples: list[float], factor: float) -> None:
    a, b = summarize(samples), summarize([x * factor for x in samples])
    tol = 1e-9 * max(samples) * factor  # rounding noise of sums over values this large
    for name in ("median", "mean", "stdev", "min", "max", "p90", "p99", "iqr"):
        assert getattr(b, name) == pytest.approx(getattr(a, name) * factor, rel=1e-9, abs=tol)
    assert b.ci95 == pytest.approx((a.ci95[0] * factor, a.ci95[1] * factor), rel=1e-9)


@given(samples_st, st.randoms(use_true_random=False))
def test_order_of_samples_is_irrelevant(samples: list[float], rnd: random.Random) -> None:
    shuffled = list(samples)
    rnd.shuffle(shuffled)
    a, b = summarize(samples), summarize(shuffled)
    assert (a.median, a.p90, a.p99, a.iqr, a.ci95, a.min, a.max) == (
        b.median,
        b.p90,
        b.p99,
        b.iqr,
        b.ci95,
        b.min,
        b.max,
    )
    assert a.mean == pytest.approx(b.mean, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("bad", [[], [1.0, math.nan], [math.inf]])
def test_bad_input_raises(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        summarize(bad)


def test_single_sample() -> None:
    s = summarize([4.0])
    assert (s.median, s.stdev, s.iqr, s.ci95, s.n) == (4.0, 0.0, 0.0, (4.0, 4.0), 1)


def test_relative_noise_is_stdev_of_log_group_medians() -> None:
    groups = {0: [1.0, 2.0, 3.0], 1: [4.0, 4.0], 2: [8.0]}
    expected = float(np.std(np.log([2.0, 4.0, 8.0]), ddof=1))
    assert relative_noise(groups) == pytest.approx(expected)
    assert relative_noise({0: [1.0, 2.0]}) is None
    assert relative_noise({0: [1.0], 1: []}) is None
    assert relative_noise({0: [1.0], 1: [-1.0]}) is None


@given(
    st.dictionaries(st.integers(0, 8), positive_samples_st, min_size=2, max_size=6),
    st.floats(min_value=1e-3, max_value=1e3),
)
def test_relative_noise_is_scale_free(groups: dict[int, list[float]], factor: float) -> None:
    base = relative_noise(groups)
    scaled = relative_noise({g: [x * factor for x in v] for g, v in groups.items()})
    assert base is not None and scaled is not None
    assert scaled == pytest.approx(base, rel=1e-6, abs=1e-9)


@settings(max_examples=50)
@given(st.lists(st.tuples(finite, st.integers(0, 4)), max_size=50))
def test_group_samples_partitions(pairs: list[tuple[float, int]]) -> None:
    values, labels = [v for v, _ in pairs], [g for _, g in pairs]
    grouped = group_samples(values, labels)
    assert sorted(x for v in grouped.values() for x in v) == sorted(values)
    assert set(grouped) == set(labels)


def test_group_samples_rejects_length_mismatch() -> None:
    with pytest.raises(ValueError, match="parallel"):
        group_samples([1.0, 2.0], [0])


def test_run_noise_is_standard_error_plus_floor() -> None:
    groups = {0: [1.0], 1: [2.0], 2: [4.0], 3: [8.0]}
    spread = float(np.std(np.log([1.0, 2.0, 4.0, 8.0]), ddof=1))
    assert run_noise(groups, drift_floor=0.0) == pytest.approx(spread / 2.0)
    assert run_noise(groups, drift_floor=0.05) == pytest.approx(math.hypot(spread / 2.0, 0.05))


def test_run_noise_without_groups_falls_back() -> None:
    assert run_noise({}) == max(UNKNOWN_RUN_NOISE, DRIFT_FLOOR)
    assert run_noise({0: [1.0, 1.1]}, drift_floor=0.0) == UNKNOWN_RUN_NOISE
    assert run_noise({0: [1.0]}, drift_floor=0.2) == 0.2
