"""Resource-pool benchmarks (category ``resource_pool``): workers running a model concurrently.

The workers (threads or spawned processes, see ``_pool``) run an MLP with numpy (default, no
torch needed) or torch. ``pool_concurrency`` gives throughput and tail latency against the number
of workers, ``pool_memory_sharing`` the memory saved by sharing the weights instead of giving every
worker its own copy, ``pool_error_recovery`` how injected failures and crashes are recovered.
Latency percentiles and counters are pooled over every call of the process but the first.
"""

from __future__ import annotations

import dataclasses
import random
import statistics
from typing import Any

import numpy as np
import psutil

from benchmig.benchmarks._common import latency_percentiles, steady_state
from benchmig.benchmarks._mlp import MlpSpec, SharedWeights, forward_function, make_weights
from benchmig.benchmarks._pool import FAULTS, BatchReport, PoolConfig, Request, WorkerPool
from benchmig.errors import InputError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry

__all__ = ["PoolConcurrency", "PoolErrorRecovery", "PoolMemorySharing"]

_MIB = float(2**20)


def _inputs(spec: MlpSpec, count: int, batch_size: int) -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.standard_normal((batch_size, spec.in_dim), dtype=np.float32) for _ in range(count)]


def _reference(spec: MlpSpec, payloads: list[np.ndarray]) -> list[np.ndarray]:
    """The expected outputs, computed here with numpy, to check what the workers return."""
    forward = forward_function(dataclasses.replace(spec, backend="numpy"), make_weights(spec))
    return [forward(p) for p in payloads]


class _PoolBenchmark(BenchmarkBase):
    """Starts ``self.pools`` in setup, closes them in cleanup; keeps every call's report.

    Subclasses implement ``_prepare``; a failing one is cleaned up at once (the runner calls
    ``cleanup`` only once ``setup`` succeeded), so no worker outlives a failed setup.
    """

    def setup(self) -> None:
        try:
            self._prepare()
        except BaseException:
            self.cleanup()
            raise

    def _prepare(self) -> None:
        raise NotImplementedError

    def _spec(self) -> MlpSpec:
        return MlpSpec(
            hidden=int(self.config.get("hidden", 512)),
            layers=int(self.config.get("layers", 3)),
            backend=str(self.config.get("backend", "numpy")),
        )

    def _open(self, *configs: PoolConfig) -> list[WorkerPool]:
        self.pools: list[WorkerPool] = []
        self.reports: list[BatchReport] = []
        for config in configs:
            pool = WorkerPool(config)
            self.pools.append(pool)
            pool.start()
        return self.pools

    def _steady(self) -> list[BatchReport]:
        return steady_state(self.reports)

    def cleanup(self) -> None:
        for pool in self.__dict__.get("pools", []):
            pool.close()


def _lost(report: BatchReport, reference: list[np.ndarray]) -> int:
    """Requests without a result, or with a wrong one (checked against ``reference``)."""
    wrong = sum(
        1
        for request_id, output in report.outputs.items()
        if not np.allclose(output, reference[request_id], rtol=1e-3, atol=1e-4)
    )
    return len(report.lost) + wrong


@BenchmarkRegistry.register(
    name="pool_concurrency",
    category="resource_pool",
    hardware=["cpu"],
    params={
        "mode": ["thread", "process"],
        "workers": [1, 2, 4],
        "backend": ["numpy"],
        "requests": [64],
        "batch_size": [8],
        "hidden": [512],
    },
    warmup=1,
    repeats=10,
    processes=2,
)
class PoolConcurrency(_PoolBenchmark):
    """``requests`` requests of ``batch_size`` items served by ``workers`` workers per call."""

    items_per_call = "requests"

    def _prepare(self) -> None:
        spec = self._spec()
        count = int(self.config["requests"])
        self.payloads = _inputs(spec, count, int(self.config["batch_size"]))
        self.requests = [Request(i, payload) for i, payload in enumerate(self.payloads)]
        self.reference = _reference(spec, self.payloads)
        self._open(PoolConfig(str(self.config["mode"]), int(self.config["workers"]), spec))

    def execute(self) -> BatchReport:
        report = self.pools[0].run(self.requests)
        self.reports.append(report)
        return report

    def process_results(self, raw: Any) -> dict[str, float]:
        reports = self._steady()
        latencies = [x for r in reports for x in r.latencies_s]
        rate = statistics.median(r.requests / r.elapsed_s for r in reports)
        return latency_percentiles(latencies) | {
            "requests_per_s": rate,
            "lost_requests": float(sum(_lost(r, self.reference) for r in self.reports)),
        }


def _memory_mb(pids: list[int]) -> tuple[float, float]:
    """Total unique (USS) and resident (RSS) memory of the processes, in MB."""
    uss = rss = 0.0
    for pid in pids:
        info = psutil.Process(pid).memory_full_info()
        uss += info.uss / _MIB
        rss += info.rss / _MIB
    return uss, rss


@BenchmarkRegistry.register(
    name="pool_memory_sharing",
    category="resource_pool",
    hardware=["cpu"],
    params={"workers": [2, 4], "backend": ["numpy"], "hidden": [2048], "layers": [4]},
    warmup=0,
    repeats=3,
    processes=1,
)
class PoolMemorySharing(_PoolBenchmark):
    """Two process pools: workers attached to one shared copy of the weights, or each its own.

    ``rss_saved_mb`` = unique memory of the copy workers - (unique memory of the shared workers +
    the one shared block). Unique memory (USS) is used because RSS counts shared pages in every
    process that maps them; both RSS totals are reported too.
    """

    def _prepare(self) -> None:
        spec = self._spec()
        workers = int(self.config["workers"])
        self.shared = SharedWeights.create(spec)
        self.weights_mb = spec.nbytes / _MIB
        self._open(
            PoolConfig("process", workers, spec, shared_name=self.shared.name),
            PoolConfig("process", workers, spec),
        )
        # One request per worker: an idle pool hands the first requests to distinct workers.
        self.requests = [Request(i, p) for i, p in enumerate(_inputs(spec, workers, 1))]

    def execute(self) -> list[BatchReport]:
        reports = [pool.run(self.requests) for pool in self.pools]
        self.reports.extend(reports)
        return reports

    def process_results(self, raw: Any) -> dict[str, float]:
        shared_uss, shared_rss = _memory_mb(self.pools[0].worker_pids())
        copies_uss, copies_rss = _memory_mb(self.pools[1].worker_pids())
        saved = copies_uss - (shared_uss + self.weights_mb)
        return {
            "weights_mb": self.weights_mb,
            "shared_uss_mb": shared_uss,
            "copies_uss_mb": copies_uss,
            "shared_rss_mb": shared_rss,
            "copies_rss_mb": copies_rss,
            "rss_saved_mb": saved,
        }

    def cleanup(self) -> None:
        super().cleanup()
        shared = self.__dict__.pop("shared", None)
        if shared is not None:
            shared.unlink()


@BenchmarkRegistry.register(
    name="pool_error_recovery",
    category="resource_pool",
    hardware=["cpu"],
    params={
        "mode": ["thread", "process"],
        "fault": ["raise", "crash"],
        "workers": [2],
        "requests": [32],
        "faults": [4],
        "backend": ["numpy"],
        "hidden": [256],
        "request_timeout_s": [30.0],
    },
    warmup=0,
    repeats=3,
    processes=1,
)
class PoolErrorRecovery(_PoolBenchmark):
    """Each call injects ``faults`` failures into distinct requests (their first attempt only).

    A failing or dying worker is replaced and its request retried. Counters are totals over every
    call of the process: ``injected_faults``, ``recovered_failures``, ``replaced_workers``,
    ``lost_requests`` (no result or a wrong one: 0 when recovery works).
    """

    items_per_call = "requests"

    def _prepare(self) -> None:
        spec = self._spec()
        self.fault = str(self.config["fault"])
        self.faults = int(self.config["faults"])
        count = int(self.config["requests"])
        if self.fault not in FAULTS or not 0 <= self.faults <= count:
            raise InputError(
                f"pool_error_recovery: fault must be one of {', '.join(FAULTS)} and faults "
                f"within 0..requests, got fault={self.fault!r} faults={self.faults}"
            )
        self.payloads = _inputs(spec, count, 4)
        self.reference = _reference(spec, self.payloads)
        timeout = float(self.config["request_timeout_s"])
        mode, workers = str(self.config["mode"]), int(self.config["workers"])
        self._open(PoolConfig(mode, workers, spec, request_timeout_s=timeout))
        self.calls = 0

    def execute(self) -> BatchReport:
        faulty = set(random.Random(self.calls).sample(range(len(self.payloads)), self.faults))
        self.calls += 1
        requests = [
            Request(i, p, self.fault if i in faulty else None) for i, p in enumerate(self.payloads)
        ]
        report = self.pools[0].run(requests)
        self.reports.append(report)
        return report

    def process_results(self, raw: Any) -> dict[str, float]:
        reports = self.reports
        latencies = [x for r in self._steady() for x in r.latencies_s]
        return latency_percentiles(latencies) | {
            "injected_faults": float(self.faults * len(reports)),
            "failed_attempts": float(sum(r.failed_attempts for r in reports)),
            "recovered_failures": float(sum(r.recovered for r in reports)),
            "replaced_workers": float(sum(r.replaced_workers for r in reports)),
            "lost_requests": float(sum(_lost(r, self.reference) for r in reports)),
            "requests_total": float(sum(r.requests for r in reports)),
        }
