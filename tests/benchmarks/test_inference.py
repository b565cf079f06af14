"""The inference benchmarks measured through the runner (in this process, on the CPU)."""

from __future__ import annotations

import pytest

from tests.benchmarks.helpers import metric, run_case

torch = pytest.importorskip("torch")


def test_model_inference_reports_latency_throughput_memory_and_model_size() -> None:
    result = run_case("model_inference", model="mlp", batch_size=4)
    latency = result.stats("latency_ms")
    throughput = result.stats("throughput_per_s")
    assert latency is not None and throughput is not None
    assert latency.p99 >= latency.p90 >= latency.median > 0
    assert throughput.median == pytest.approx(4 * 1000 / latency.median, rel=0.5)
    assert metric(result, "peak_memory_mb") > 0
    assert metric(result, "parameters") == 256 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10
    assert "cuda_peak_allocated_mb" not in result.metrics  # CPU: no device allocator


@pytest.mark.parametrize("model", ["cnn", "transformer"])
def test_model_inference_runs_every_builtin(model: str) -> None:
    result = run_case("model_inference", repeats=1, model=model, batch_size=2)
    assert metric(result, "parameters") > 0


def test_single_stream_scenario() -> None:
    result = run_case("model_scenario", scenario="single_stream", queries=20)
    assert metric(result, "p99_latency_ms") >= metric(result, "p50_latency_ms") > 0
    assert metric(result, "queries_per_s") > 0


def test_offline_scenario_reports_samples_per_second() -> None:
    result = run_case("model_scenario", scenario="offline", queries=20, batch_size=8)
    assert metric(result, "samples_per_s") > 0
    assert "p99_latency_ms" not in result.metrics


def test_server_scenario_reports_p99_under_the_target_rate() -> None:
    result = run_case(
        "model_scenario", scenario="server", queries=30, target_qps=300.0, latency_bound_ms=1000.0
    )
    assert metric(result, "target_qps") == 300.0
    assert 0 < metric(result, "achieved_qps") < 3 * 300
    assert metric(result, "p99_latency_ms") > 0
    assert metric(result, "meets_latency_bound") == 1.0  # a tiny MLP within one second


@pytest.mark.parametrize(
    ("params", "message"),
    [({"scenario": "batch"}, "unknown scenario"), ({"queries": 0}, "must be > 0")],
)
def test_bad_scenario_params_fail_the_case_with_the_reason(
    params: dict[str, object], message: str
) -> None:
    result = run_case("model_scenario", repeats=1, **params)
    assert result.status == "failed" and message in (result.error or "")
