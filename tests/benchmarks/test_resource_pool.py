"""Resource-pool benchmarks through the runner: figures, zero lost requests, nothing left over."""

from __future__ import annotations

from multiprocessing import shared_memory

import pytest

from benchmig.benchmarks import resource_pool
from benchmig.benchmarks._mlp import MlpSpec, SharedWeights
from benchmig.benchmarks._pool import PoolError, WorkerPool
from tests.benchmarks.helpers import metric, run_case

pytestmark = pytest.mark.usefixtures("no_leftovers")

SMALL = {"hidden": 32, "requests": 8}


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_concurrency_reports_throughput_and_tail_latency(mode: str) -> None:
    result = run_case("pool_concurrency", mode=mode, workers=2, **SMALL)
    assert metric(result, "lost_requests") == 0
    assert metric(result, "requests_per_s") > 0
    assert metric(result, "p99_latency_ms") >= metric(result, "p50_latency_ms") > 0
    throughput = result.stats("throughput_per_s")
    assert throughput is not None and throughput.median > 0  # items_per_call = requests


def test_shared_weights_save_a_copy_per_extra_worker() -> None:
    result = run_case("pool_memory_sharing", repeats=1, workers=2, hidden=1024, layers=3)
    weights = metric(result, "weights_mb")
    assert weights == pytest.approx(
        (256 * 1024 + 2 * 1024 * 1024 + 1024 * 16 + 3 * 1024 + 16) * 4 / 2**20
    )
    # Two workers with copies hold two copies; two attached workers share the one block.
    assert metric(result, "rss_saved_mb") == pytest.approx(weights, rel=0.35)
    assert metric(result, "copies_uss_mb") > metric(result, "shared_uss_mb") + weights
    assert metric(result, "shared_rss_mb") > metric(
        result, "shared_uss_mb"
    )  # RSS counts shared pages


@pytest.mark.parametrize(("mode", "fault"), [("thread", "raise"), ("process", "crash")])
def test_error_recovery_loses_no_request(mode: str, fault: str) -> None:
    result = run_case(
        "pool_error_recovery", repeats=1, mode=mode, fault=fault, hidden=16, requests=6, faults=1
    )
    # Calibration + 1 repeat, or more calls when the runner loops a fast call to time it.
    calls = metric(result, "requests_total") / 6
    assert calls >= 2 and calls == int(calls)
    assert metric(result, "injected_faults") == calls  # one fault per call
    assert metric(result, "recovered_failures") == calls
    assert metric(result, "replaced_workers") == calls
    assert metric(result, "failed_attempts") == calls
    assert metric(result, "lost_requests") == 0


def test_error_recovery_rejects_more_faults_than_requests() -> None:
    result = run_case("pool_error_recovery", repeats=1, requests=2, faults=3)
    assert result.status == "failed" and "faults" in (result.error or "")


def test_a_setup_failing_half_way_stops_what_it_started(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[WorkerPool] = []

    class SecondPoolFails(WorkerPool):
        def start(self) -> None:
            if started:
                raise PoolError("the second pool does not start")
            super().start()
            started.append(self)

    blocks: list[str] = []
    create = resource_pool.SharedWeights.create

    def record(spec: MlpSpec) -> SharedWeights:
        shared = create(spec)
        blocks.append(shared.name)
        return shared

    monkeypatch.setattr(resource_pool, "WorkerPool", SecondPoolFails)
    monkeypatch.setattr(resource_pool.SharedWeights, "create", record)
    bench = resource_pool.PoolMemorySharing({"workers": 1, "hidden": 8, "layers": 1})
    with pytest.raises(PoolError, match="second pool"):
        bench.setup()
    assert len(started) == 1  # the first pool ran, and no_leftovers checks it was stopped
    assert len(blocks) == 1
    with pytest.raises(FileNotFoundError):  # the shared block was removed
        shared_memory.SharedMemory(name=blocks[0])
