"""Hardware benchmarks: the rate arithmetic, the kernels' results, the peaks beside them."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from benchmig.benchmarks import hardware
from benchmig.benchmarks._peaks import DevicePeak, gpu_peak
from benchmig.errors import InputError
from tests.benchmarks.helpers import metric, run_case
from tests.framework.fake_torch import gpu, make_torch

_MIB = 2**20


def test_numpy_bandwidth_runs_without_torch_on_the_cpu() -> None:
    for op in ("copy", "triad"):
        result = run_case("memory_bandwidth_numpy", op=op, size_mb=8)
        assert metric(result, "bandwidth_gb_s") > 0
        assert "peak_bandwidth_gb_s" not in result.metrics  # a CPU's peak is never guessed


def test_bandwidth_counts_stream_words_over_the_median_of_later_calls() -> None:
    bench = hardware.MemoryBandwidthNumpy({"op": "triad", "size_mb": 1})
    bench._seconds = [5.0, 0.001, 0.003, 0.002]  # the first call (5 s) is left out
    assert bench.process_results(None) == {"bandwidth_gb_s": pytest.approx(3 * _MIB / 0.002 / 1e9)}
    copy = hardware.MemoryBandwidthNumpy({"op": "copy", "size_mb": 2})
    copy._seconds = [0.004]
    assert copy.process_results(None)["bandwidth_gb_s"] == pytest.approx(2 * 2 * _MIB / 0.004 / 1e9)


def test_numpy_triad_is_correct_across_chunk_edges() -> None:
    bench = hardware.MemoryBandwidthNumpy({"op": "triad", "size_mb": 1})
    n = 3 * hardware._NUMPY_CHUNK + 123
    bench.a = np.zeros(n, dtype=np.float32)
    bench.b = np.arange(n, dtype=np.float32)
    bench.c = np.full(n, 2.0, dtype=np.float32)
    bench.tmp = np.empty(hardware._NUMPY_CHUNK, dtype=np.float32)
    bench._triad()
    np.testing.assert_array_equal(bench.a, bench.b + 6.0)


@pytest.mark.parametrize(
    ("params", "message"),
    [({"op": "scale", "size_mb": 8}, "op must be"), ({"size_mb": 0}, "size_mb")],
)
def test_bad_bandwidth_params_fail_with_the_reason(params: dict[str, object], message: str) -> None:
    result = run_case("memory_bandwidth_numpy", repeats=1, **params)
    assert result.status == "failed" and message in (result.error or "")


def test_matmul_gflops_is_two_n_cubed_over_the_median_call() -> None:
    bench = hardware.MatmulGflops({"size": 100, "dtype": "float32"}, hardware="cuda")
    bench.peak = gpu_peak("Tesla T4")
    bench._seconds = [1.0, 0.001, 0.001]
    figures = bench.process_results(None)
    assert figures["gflops"] == pytest.approx(2 * 100**3 / 0.001 / 1e9)
    assert figures["peak_gflops"] == pytest.approx(8100)
    assert figures["fraction_of_peak"] == pytest.approx(2.0 / 8100)


def test_host_to_device_is_compared_with_the_host_link() -> None:
    bench = hardware.HostToDevice({"size_mb": 64, "pinned": True}, hardware="cuda")
    bench.peak = DevicePeak("gpu", "table", host_link_gb_s=32.0)
    bench._seconds = [0.01, 64 * _MIB / 16e9]
    figures = bench.process_results(None)
    assert figures["bandwidth_gb_s"] == pytest.approx(16.0)
    assert figures["fraction_of_peak"] == pytest.approx(0.5)


def test_half_precision_matmul_is_declared_for_accelerators_only() -> None:
    result = run_case("matmul_gflops_half", repeats=1)
    assert result.status == "skipped" and "does not support cpu" in (result.error or "")


def test_dtype_checks_bf16_support_on_cuda() -> None:
    fake = make_torch(devices=[gpu("Tesla T4")])
    fake.cuda.is_bf16_supported = lambda: False
    fake.bfloat16, fake.float16 = "bf16", "fp16"
    with pytest.raises(InputError, match="bfloat16 is not supported on cuda:0"):
        hardware._torch_dtype(fake, "bfloat16", "cuda:0")
    assert hardware._torch_dtype(fake, "float16", "cuda:0") == "fp16"
    assert hardware._torch_dtype(fake, "bfloat16", "cpu") == "bf16"
    with pytest.raises(InputError, match="dtype 'int4'"):
        hardware._torch_dtype(SimpleNamespace(), "int4", "cpu")


@pytest.fixture
def torch() -> Any:
    """torch, or the test is skipped (the numpy tests above still run without it)."""
    return pytest.importorskip("torch")


@pytest.mark.usefixtures("torch")
class TestWithTorch:
    def test_matmul_reports_gflops_and_the_cpu_estimate_when_there_is_one(self) -> None:
        result = run_case("matmul_gflops", size=128)
        gflops = metric(result, "gflops")
        assert gflops > 0
        estimate = result.metrics.get("peak_gflops_estimate")
        if estimate is not None:
            assert metric(result, "fraction_of_peak_estimate") == pytest.approx(gflops / estimate)
        assert "peak_gflops" not in result.metrics  # a CPU figure is only ever an estimate

    def test_matmul_computes_the_product(self, torch: Any) -> None:
        bench = hardware.MatmulGflops({"size": 32, "dtype": "float32"})
        bench.setup()
        bench.execute()
        torch.testing.assert_close(bench.out, bench.a @ bench.b)
        bench.cleanup()
        assert "out" not in bench.__dict__

    @pytest.mark.parametrize("op", ["copy", "triad"])
    def test_torch_bandwidth_kernels(self, torch: Any, op: str) -> None:
        bench = hardware.MemoryBandwidth({"op": op, "size_mb": 1})
        bench.setup()
        seconds = bench.execute()
        assert seconds > 0 and bench._seconds == [seconds]
        if op == "copy":
            assert torch.equal(bench.b, bench.a)
        else:
            assert torch.equal(bench.a, torch.full_like(bench.a, 2.0 + 3 * 0.5))
        assert bench.process_results(seconds)["bandwidth_gb_s"] > 0
        bench.cleanup()

    def test_torch_bandwidth_through_the_runner(self) -> None:
        assert metric(run_case("memory_bandwidth", op="copy", size_mb=8), "bandwidth_gb_s") > 0
