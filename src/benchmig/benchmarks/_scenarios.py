"""LoadGen-like scenarios: single-stream latency, offline throughput, server with Poisson arrivals.

Each scenario runs a whole set of queries in one call and returns a :class:`ScenarioRun`; the
clock and the sleep are parameters so that the queueing logic can be tested with a fake clock.
A query function runs one query to completion (device work included: it synchronises).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmig.benchmarks._common import latency_percentiles, percentile

__all__ = [
    "SCENARIOS",
    "ScenarioRun",
    "offline",
    "poisson_arrivals",
    "scenario_metrics",
    "server",
    "single_stream",
]

SCENARIOS = ("single_stream", "offline", "server")

Clock = Callable[[], float]


@dataclass(frozen=True)
class ScenarioRun:
    """One run of a scenario: per-query latencies (seconds) and the whole run's duration."""

    scenario: str
    latencies_s: tuple[float, ...]
    elapsed_s: float
    queries: int


def poisson_arrivals(rate_per_s: float, count: int, seed: int) -> list[float]:
    """Arrival times (seconds from the start) of ``count`` queries of a Poisson process."""
    if rate_per_s <= 0:
        raise ValueError(f"arrival rate must be > 0 queries/s, got {rate_per_s}")
    rng = random.Random(seed)
    times: list[float] = []
    now = 0.0
    for _ in range(count):
        now += rng.expovariate(rate_per_s)
        times.append(now)
    return times


def single_stream(
    run_query: Callable[[int], object], queries: int, clock: Clock = time.perf_counter
) -> ScenarioRun:
    """Queries one after the other, each issued when the previous one finished."""
    latencies: list[float] = []
    start = clock()
    for index in range(queries):
        issued = clock()
        run_query(index)
        latencies.append(clock() - issued)
    return ScenarioRun("single_stream", tuple(latencies), clock() - start, queries)


def offline(
    run_batch: Callable[[int, int], object],
    queries: int,
    batch_size: int,
    clock: Clock = time.perf_counter,
) -> ScenarioRun:
    """Every query available at once, processed in batches of ``batch_size`` (the last smaller).

    ``run_batch(first, count)`` runs queries ``first .. first + count - 1``; the latencies are
    per batch.
    """
    latencies: list[float] = []
    start = clock()
    for first in range(0, queries, batch_size):
        issued = clock()
        run_batch(first, min(batch_size, queries - first))
        latencies.append(clock() - issued)
    return ScenarioRun("offline", tuple(latencies), clock() - start, queries)


def server(
    run_query: Callable[[int], object],
    arrivals: Sequence[float],
    clock: Clock = time.perf_counter,
    sleep: Callable[[float], object] = time.sleep,
) -> ScenarioRun:
    """Queries arriving at ``arrivals`` (seconds from the start), served first-come first-served.

    A query's latency runs from its scheduled arrival to its completion, so the time it waited
    behind earlier queries counts: past the service capacity, latency grows with the queue.
    """
    latencies: list[float] = []
    start = clock()
    for index, offset in enumerate(arrivals):
        arrival = start + offset
        idle = arrival - clock()
        if idle > 0:
            sleep(idle)
        run_query(index)
        latencies.append(clock() - arrival)
    return ScenarioRun("server", tuple(latencies), clock() - start, len(arrivals))


def scenario_metrics(
    runs: Sequence[ScenarioRun], target_qps: float, latency_bound_ms: float
) -> dict[str, float]:
    """Figures of the runs of one scenario, latencies pooled over the runs.

    single_stream: latency percentiles and ``queries_per_s``; offline: ``samples_per_s``;
    server: latency percentiles, ``target_qps``, ``achieved_qps``, ``late_queries_pct`` (over the
    bound) and ``meets_latency_bound`` (1 when the p99 is within ``latency_bound_ms``).
    """
    if not runs:
        return {}
    kind = runs[0].scenario
    rates = [r.queries / r.elapsed_s for r in runs if r.elapsed_s > 0]
    rate = statistics.median(rates) if rates else 0.0
    if kind == "offline":
        return {"samples_per_s": rate}
    pooled = [x for r in runs for x in r.latencies_s]
    figures = latency_percentiles(pooled)
    if kind == "single_stream":
        return figures | {"queries_per_s": rate}
    bound_s = latency_bound_ms / 1000.0
    late = sum(1 for x in pooled if x > bound_s) / len(pooled) * 100.0
    return figures | {
        "target_qps": target_qps,
        "achieved_qps": rate,
        "late_queries_pct": late,
        "latency_bound_ms": latency_bound_ms,
        "meets_latency_bound": 1.0 if percentile(pooled, 99) <= bound_s else 0.0,
    }
