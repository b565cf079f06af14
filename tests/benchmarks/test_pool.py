"""The worker pool: correct results, retries, replacement of failed and dead workers, cleanup."""

from __future__ import annotations

import numpy as np
import pytest

from benchmig.benchmarks._mlp import MlpSpec, forward_function, make_weights
from benchmig.benchmarks._pool import PoolConfig, PoolError, Request, WorkerPool

pytestmark = pytest.mark.usefixtures("no_leftovers")

SPEC = MlpSpec(in_dim=8, hidden=16, layers=2, out_dim=4)


def _requests(count: int, faults: dict[int, str] | None = None, attempts: int = 1) -> list[Request]:
    rng = np.random.default_rng(3)
    return [
        Request(
            i,
            rng.standard_normal((2, SPEC.in_dim), dtype=np.float32),
            (faults or {}).get(i),
            attempts,
        )
        for i in range(count)
    ]


def _expected(requests: list[Request]) -> dict[int, np.ndarray]:
    forward = forward_function(SPEC, make_weights(SPEC))
    return {r.id: forward(r.payload) for r in requests}


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_every_request_gets_its_own_correct_result(mode: str) -> None:
    requests = _requests(12)
    with WorkerPool(PoolConfig(mode, 2, SPEC)) as pool:
        report = pool.run(requests)
        pids = pool.worker_pids()
    assert len(set(pids)) == (2 if mode == "process" else 0)
    expected = _expected(requests)
    assert sorted(report.outputs) == list(range(12))
    for request_id, output in report.outputs.items():
        np.testing.assert_allclose(output, expected[request_id], rtol=1e-5)
    assert len(report.latencies_s) == 12 and min(report.latencies_s) > 0
    assert (report.lost, report.recovered, report.failed_attempts) == ((), 0, 0)
    assert report.replaced_workers == 0 and report.elapsed_s > 0


@pytest.mark.parametrize("mode", ["thread", "process"])
@pytest.mark.parametrize("fault", ["raise", "crash"])
def test_failed_and_dead_workers_are_replaced_and_requests_retried(mode: str, fault: str) -> None:
    requests = _requests(8, {1: fault, 6: fault})
    with WorkerPool(PoolConfig(mode, 2, SPEC)) as pool:
        first = pool.run(requests)
        again = pool.run(_requests(4))  # the replacements serve later batches
    assert first.lost == ()
    assert (first.failed_attempts, first.recovered, first.replaced_workers) == (2, 2, 2)
    expected = _expected(requests)
    for request_id in (1, 6):
        np.testing.assert_allclose(first.outputs[request_id], expected[request_id], rtol=1e-5)
    assert len(again.outputs) == 4 and again.replaced_workers == 0


def test_a_request_failing_every_attempt_is_lost_not_hidden() -> None:
    requests = _requests(3, {0: "raise"}, attempts=99)
    with WorkerPool(PoolConfig("thread", 1, SPEC, max_retries=2)) as pool:
        report = pool.run(requests)
    assert report.lost == (0,)
    assert report.failed_attempts == 3  # the first try and two retries
    assert sorted(report.outputs) == [1, 2] and report.recovered == 0


def test_a_hanging_process_worker_is_killed_after_the_timeout() -> None:
    requests = _requests(3, {1: "hang"})
    with WorkerPool(PoolConfig("process", 1, SPEC, request_timeout_s=1.0)) as pool:
        report = pool.run(requests)
    assert report.lost == () and report.recovered == 1 and report.replaced_workers == 1


def test_a_hanging_thread_is_refused_before_anything_runs() -> None:
    with WorkerPool(PoolConfig("thread", 1, SPEC)) as pool, pytest.raises(PoolError, match="hang"):
        pool.run(_requests(2, {0: "hang"}))


@pytest.mark.parametrize("mode", ["thread", "process"])
def test_a_worker_that_cannot_build_its_model_fails_the_start_and_cleans_up(mode: str) -> None:
    config = PoolConfig(mode, 1, SPEC, shared_name="benchmig-no-such-block")
    with pytest.raises(PoolError, match="could not build its model"):
        WorkerPool(config).start()


def test_bad_configuration_is_an_error() -> None:
    with pytest.raises(PoolError, match="mode"):
        PoolConfig("fiber", 1, SPEC)
    with pytest.raises(PoolError, match="workers"):
        PoolConfig("thread", 0, SPEC)


def test_close_is_idempotent() -> None:
    pool = WorkerPool(PoolConfig("thread", 2, SPEC))
    pool.start()
    pool.close()
    pool.close()
