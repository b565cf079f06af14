"""Model benchmarks (category ``inference``): latency, throughput and memory of torch models.

``model_inference`` measures one forward pass per call over a batch-size grid: the runner gives
the latency distribution (median, p90, p99), ``throughput_per_s`` (items/s), ``peak_memory_mb``
(peak RSS) and, on CUDA/ROCm, ``cuda_peak_allocated_mb`` and ``cuda_peak_reserved_mb``.
``model_scenario`` runs LoadGen-like scenarios: a whole set of queries per call.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

from benchmig.benchmarks._common import require_torch, steady_state
from benchmig.benchmarks._models import BUILTIN_MODELS, LoadedModel, load_model
from benchmig.benchmarks._scenarios import (
    SCENARIOS,
    ScenarioRun,
    offline,
    poisson_arrivals,
    scenario_metrics,
    server,
    single_stream,
)
from benchmig.errors import InputError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry
from benchmig.framework._device import synchronizer, torch_device

__all__ = ["ModelInference", "ModelScenario"]

DEVICES = ["cpu", "cuda", "rocm", "mps"]
_DISTINCT_QUERIES = 16  # distinct single-item inputs the scenarios cycle through


class _TorchModelBenchmark(BenchmarkBase):
    """Loads ``config["model"]`` onto ``self.hardware`` in setup; frees it in cleanup."""

    benchmark_name: ClassVar[str] = ""

    def _load(self) -> LoadedModel:
        self.torch = require_torch(self.benchmark_name)
        loaded = load_model(
            self.torch, str(self.config["model"]), self.config.get("input_shape", "")
        )
        self.device = torch_device(self.hardware)
        self.model = loaded.module.to(self.device)
        self.sync = synchronizer(self.hardware)
        self.loaded = loaded
        return loaded

    def _model_figures(self) -> dict[str, float]:
        return {
            "parameters": float(self.loaded.parameters),
            "parameter_mb": self.loaded.parameter_mb,
        }

    def cleanup(self) -> None:
        self.__dict__.pop("model", None)
        self.__dict__.pop("inputs", None)
        torch = self.__dict__.get("torch")
        if torch is not None and self.hardware.partition(":")[0] in ("cuda", "rocm"):
            torch.cuda.empty_cache()


@BenchmarkRegistry.register(
    name="model_inference",
    category="inference",
    hardware=DEVICES,
    params={"model": list(BUILTIN_MODELS), "batch_size": [1, 8, 32], "input_shape": [""]},
    requires=["torch"],
)
class ModelInference(_TorchModelBenchmark):
    """One forward pass of a batch under ``torch.inference_mode``."""

    benchmark_name = "model_inference"
    items_per_call = "batch_size"

    def setup(self) -> None:
        batch_size = int(self.config["batch_size"])
        if batch_size < 1:
            raise InputError(f"model_inference: batch_size must be >= 1, got {batch_size}")
        loaded = self._load()
        self.inputs = loaded.make_inputs(batch_size).to(self.device)

    def execute(self) -> Any:
        with self.torch.inference_mode():
            return self.model(self.inputs)

    def process_results(self, raw: Any) -> dict[str, float]:
        return self._model_figures()


@BenchmarkRegistry.register(
    name="model_scenario",
    category="inference",
    hardware=DEVICES,
    params={
        "model": ["mlp"],
        "scenario": list(SCENARIOS),
        "queries": [200],
        "batch_size": [32],
        "target_qps": [200.0],
        "latency_bound_ms": [10.0],
        "input_shape": [""],
    },
    requires=["torch"],
    warmup=1,
    repeats=5,
    processes=2,
)
class ModelScenario(_TorchModelBenchmark):
    """A scenario per call: ``queries`` queries of one item (offline: in ``batch_size`` batches).

    Latency percentiles are pooled over every call of the process except the first.
    """

    benchmark_name = "model_scenario"
    items_per_call = "queries"

    def setup(self) -> None:
        scenario = str(self.config["scenario"])
        if scenario not in SCENARIOS:
            raise InputError(
                f"model_scenario: unknown scenario {scenario!r}; use one of {', '.join(SCENARIOS)}"
            )
        self.queries = int(self.config["queries"])
        self.batch_size = int(self.config["batch_size"])
        self.target_qps = float(self.config["target_qps"])
        if self.queries < 1 or self.batch_size < 1 or self.target_qps <= 0:
            raise InputError("model_scenario: queries, batch_size and target_qps must be > 0")
        loaded = self._load()
        self.samples = loaded.make_inputs(_DISTINCT_QUERIES).to(self.device)
        self.inputs = loaded.make_inputs(self.batch_size).to(self.device)
        self.runs: list[ScenarioRun] = []
        self.calls = itertools.count()

    def _query(self, index: int) -> None:
        position = index % _DISTINCT_QUERIES
        with self.torch.inference_mode():
            self.model(self.samples[position : position + 1])
        self.sync()

    def _batch(self, first: int, count: int) -> None:
        with self.torch.inference_mode():
            self.model(self.inputs[:count])
        self.sync()

    def execute(self) -> ScenarioRun:
        scenario = self.config["scenario"]
        if scenario == "single_stream":
            run = single_stream(self._query, self.queries)
        elif scenario == "offline":
            run = offline(self._batch, self.queries, self.batch_size)
        else:
            arrivals = poisson_arrivals(self.target_qps, self.queries, seed=next(self.calls))
            run = server(self._query, arrivals)
        self.runs.append(run)
        return run

    def process_results(self, raw: Any) -> dict[str, float]:
        figures = scenario_metrics(
            steady_state(self.runs), self.target_qps, float(self.config["latency_bound_ms"])
        )
        return figures | self._model_figures()
