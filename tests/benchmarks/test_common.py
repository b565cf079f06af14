"""Shared helpers: percentiles, the steady-state rule, self-timed calls, the torch requirement."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.benchmarks._common import (
    MissingDependencyError,
    latency_percentiles,
    percentile,
    require_torch,
    steady_state,
    timed_call,
)
from tests.framework.fake_torch import torch_hidden

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=50), st.floats(min_value=0, max_value=100))
def test_percentile_matches_numpy_linear_interpolation(values: list[float], q: float) -> None:
    assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)), abs=1e-6)


def test_percentile_rejects_nothing_and_out_of_range() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1.0], 101)


def test_latency_percentiles_are_in_milliseconds() -> None:
    seconds = [i / 1000 for i in range(1, 101)]  # 1 .. 100 ms
    figures = latency_percentiles(seconds)
    assert figures["p50_latency_ms"] == pytest.approx(50.5)
    assert figures["p90_latency_ms"] == pytest.approx(90.1)
    assert figures["p99_latency_ms"] == pytest.approx(99.01)
    assert latency_percentiles([]) == {}


def test_steady_state_drops_the_first_call_unless_it_is_the_only_one() -> None:
    assert steady_state([9.0, 1.0, 2.0]) == [1.0, 2.0]
    assert steady_state([9.0]) == [9.0]
    assert steady_state([]) == []


def test_timed_call_synchronises_before_and_after_the_call() -> None:
    events: list[str] = []
    seconds = timed_call(lambda: events.append("call"), lambda: events.append("sync"))
    assert events == ["sync", "call", "sync"]
    assert seconds >= 0


def test_require_torch_says_what_to_do_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    with torch_hidden(monkeypatch), pytest.raises(MissingDependencyError) as info:
        require_torch("matmul_gflops")
    message = str(info.value)
    assert "'matmul_gflops' needs torch" in message
    assert "pip install" in message and "memory_bandwidth_numpy" in message
