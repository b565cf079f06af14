"""LoadGen-like scenarios on a fake clock: the queueing arithmetic is exact."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.benchmarks._scenarios import (
    ScenarioRun,
    offline,
    poisson_arrivals,
    scenario_metrics,
    server,
    single_stream,
)


class FakeClock:
    """A clock that only moves when a query runs (``service_s``) or the server sleeps."""

    def __init__(self, service_s: float) -> None:
        self.now = 100.0
        self.service_s = service_s
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def run(self, *_: object) -> None:
        self.now += self.service_s

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_single_stream_issues_queries_one_after_the_other() -> None:
    clock = FakeClock(0.002)
    run = single_stream(clock.run, 5, clock=clock)
    assert run.latencies_s == pytest.approx((0.002,) * 5)
    assert run.elapsed_s == pytest.approx(0.010) and run.queries == 5


def test_offline_runs_every_query_in_batches_the_last_one_smaller() -> None:
    batches: list[tuple[int, int]] = []
    clock = FakeClock(0.01)

    def run_batch(first: int, count: int) -> None:
        batches.append((first, count))
        clock.run()

    run = offline(run_batch, 10, 4, clock=clock)
    assert batches == [(0, 4), (4, 4), (8, 2)]
    assert run.elapsed_s == pytest.approx(0.03) and run.queries == 10


def test_server_waits_for_arrivals_and_counts_queueing_in_latency() -> None:
    clock = FakeClock(0.010)
    # Two queries 1 ms apart behind a 10 ms service: the second waits 9 ms in the queue.
    run = server(clock.run, [0.005, 0.006, 0.100], clock=clock, sleep=clock.sleep)
    assert run.latencies_s == pytest.approx((0.010, 0.019, 0.010))
    assert clock.slept == pytest.approx([0.005, 0.100 - 0.025])  # idle until each arrival


@given(
    st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=30),
    st.floats(min_value=1e-4, max_value=0.1),
)
def test_server_latency_is_that_of_a_fifo_single_server_queue(
    gaps: list[float], service_s: float
) -> None:
    arrivals = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    clock = FakeClock(service_s)
    run = server(clock.run, arrivals, clock=clock, sleep=clock.sleep)
    done = 0.0
    expected = []
    for arrival in arrivals:  # Lindley's recursion: start at max(arrival, previous completion)
        done = max(arrival, done) + service_s
        expected.append(done - arrival)
    assert run.latencies_s == pytest.approx(expected, abs=1e-9)


def test_poisson_arrivals_are_seeded_increasing_and_at_the_rate() -> None:
    arrivals = poisson_arrivals(200.0, 4000, seed=1)
    assert arrivals == poisson_arrivals(200.0, 4000, seed=1)
    assert arrivals != poisson_arrivals(200.0, 4000, seed=2)
    gaps = [b - a for a, b in zip([0.0, *arrivals], arrivals, strict=False)]
    assert all(g > 0 for g in gaps)
    assert statistics.mean(gaps) == pytest.approx(1 / 200, rel=0.05)
    assert statistics.stdev(gaps) == pytest.approx(1 / 200, rel=0.1)  # exponential: sd = mean
    with pytest.raises(ValueError, match="rate"):
        poisson_arrivals(0.0, 3, seed=0)


def _run(kind: str, latencies: list[float], elapsed: float, queries: int) -> ScenarioRun:
    return ScenarioRun(kind, tuple(latencies), elapsed, queries)


def test_server_metrics_check_the_p99_against_the_bound() -> None:
    fast = _run("server", [0.001] * 99 + [0.004], 0.5, 100)
    slow = _run("server", [0.001] * 90 + [0.050] * 10, 0.25, 100)
    ok = scenario_metrics([fast], target_qps=200.0, latency_bound_ms=5.0)
    assert ok["meets_latency_bound"] == 1.0 and ok["late_queries_pct"] == 0.0
    assert ok["achieved_qps"] == pytest.approx(200.0) and ok["target_qps"] == 200.0
    late = scenario_metrics([fast, slow], target_qps=200.0, latency_bound_ms=5.0)
    assert late["meets_latency_bound"] == 0.0
    assert late["late_queries_pct"] == pytest.approx(5.0)  # pooled: 10 of 200
    assert late["achieved_qps"] == pytest.approx(300.0)  # median of 200 and 400


def test_single_stream_and_offline_metrics() -> None:
    single = scenario_metrics([_run("single_stream", [0.002] * 10, 0.02, 10)], 1.0, 10.0)
    assert single["p50_latency_ms"] == pytest.approx(2.0)
    assert single["queries_per_s"] == pytest.approx(500.0)
    batch = scenario_metrics([_run("offline", [0.1, 0.1], 0.2, 64)], 1.0, 10.0)
    assert batch == {"samples_per_s": pytest.approx(320.0)}
    assert scenario_metrics([], 1.0, 1.0) == {}
