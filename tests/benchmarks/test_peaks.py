"""Theoretical peaks: the GPU table by name, the CPU estimate, and how they are reported."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from benchmig.benchmarks import _peaks
from benchmig.benchmarks._peaks import (
    DevicePeak,
    cpu_flops_per_cycle,
    cpu_peak_estimate,
    device_peak,
    gpu_peak,
    peak_metrics,
)
from tests.framework.fake_torch import gpu, make_torch


@pytest.mark.parametrize(
    ("name", "row", "fp32_tflops", "memory_gb_s"),
    [
        ("NVIDIA H100 80GB HBM3", "NVIDIA H100 SXM5", 67, 3350),
        ("NVIDIA H100 PCIe", "NVIDIA H100 PCIe", 51.2, 2000),
        ("NVIDIA H100 NVL", "NVIDIA H100 NVL", 60, 3900),
        ("NVIDIA H200", "NVIDIA H200 SXM", 67, 4800),
        ("NVIDIA A100-SXM4-80GB", "NVIDIA A100 80GB SXM4", 19.5, 2039),
        ("NVIDIA A100 80GB PCIe", "NVIDIA A100 80GB PCIe", 19.5, 1935),
        ("NVIDIA A100-PCIE-40GB", "NVIDIA A100 40GB", 19.5, 1555),
        ("Tesla V100-SXM2-16GB", "NVIDIA V100 SXM2", 15.7, 900),
        ("Tesla T4", "NVIDIA T4", 8.1, 320),
        ("NVIDIA L4", "NVIDIA L4", 30.3, 300),
        ("NVIDIA L40S", "NVIDIA L40S", 91.6, 864),
        ("NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090", 82.6, 1008),
    ],
)
def test_gpu_names_match_the_most_specific_row(
    name: str, row: str, fp32_tflops: float, memory_gb_s: float
) -> None:
    peak = gpu_peak(name)
    assert peak is not None and peak.device == row
    assert peak.fp32_gflops == pytest.approx(fp32_tflops * 1000)
    assert peak.memory_gb_s == memory_gb_s and not peak.estimated


@pytest.mark.parametrize("name", ["NVIDIA A10G", "NVIDIA L40", "Radeon RX 7900 XTX", "GPU"])
def test_unknown_gpus_have_no_peak(name: str) -> None:
    assert gpu_peak(name) is None


def test_half_precision_peaks_are_tensor_core_figures() -> None:
    h100 = gpu_peak("NVIDIA H100 80GB HBM3")
    t4 = gpu_peak("Tesla T4")
    assert h100 is not None and t4 is not None
    assert h100.compute_gflops("float16") == pytest.approx(989_400)
    assert h100.compute_gflops("bfloat16") == pytest.approx(989_400)
    assert t4.compute_gflops("bfloat16") is None  # no bf16 tensor cores before Ampere
    assert h100.compute_gflops("int8") is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"vendor_id": "AuthenticAMD", "cpu family": "25", "flags": "avx2 fma avx512f"}, 32),
        ({"vendor_id": "AuthenticAMD", "cpu family": "26", "flags": "avx2 fma avx512f"}, 64),
        ({"vendor_id": "GenuineIntel", "cpu family": "6", "flags": "avx2 fma avx512f"}, 64),
        ({"vendor_id": "GenuineIntel", "cpu family": "6", "flags": "avx avx2 fma"}, 32),
        ({"vendor_id": "AuthenticAMD", "cpu family": "23", "model": "1", "flags": "avx2 fma"}, 16),
        ({"vendor_id": "AuthenticAMD", "cpu family": "23", "model": "49", "flags": "avx2 fma"}, 32),
        ({"vendor_id": "GenuineIntel", "cpu family": "6", "flags": "sse4_2 avx"}, 16),
        ({"vendor_id": "ARM", "flags": "fp asimd"}, None),
        ({}, None),
    ],
)
def test_flops_per_cycle_from_the_instruction_set(
    fields: dict[str, str], expected: int | None
) -> None:
    assert cpu_flops_per_cycle(fields) == expected


def _fake_cpu(
    monkeypatch: pytest.MonkeyPatch, *, current: float, maximum: float, cores: int | None
) -> None:
    info = {
        "vendor_id": "GenuineIntel",
        "cpu family": "6",
        "model name": "Xeon",
        "flags": "avx2 fma",
    }
    monkeypatch.setattr(_peaks, "_cpuinfo_fields", lambda: info)
    freq = SimpleNamespace(current=current, min=0.0, max=maximum)
    monkeypatch.setattr(_peaks.psutil, "cpu_freq", lambda: freq)
    monkeypatch.setattr(_peaks.psutil, "cpu_count", lambda logical=True: cores)


def test_cpu_estimate_is_cores_times_frequency_times_flops(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_cpu(monkeypatch, current=2000.0, maximum=3000.0, cores=4)
    peak = cpu_peak_estimate()
    assert peak is not None and peak.estimated
    assert peak.fp32_gflops == pytest.approx(4 * 3.0 * 32)  # the maximum frequency wins
    assert "estimate: 4 cores x 3000 MHz x 32" in peak.source
    assert peak.memory_gb_s is None  # never guessed


def test_cpu_estimate_uses_the_current_frequency_when_there_is_no_maximum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_cpu(monkeypatch, current=2500.0, maximum=0.0, cores=2)
    peak = cpu_peak_estimate()
    assert peak is not None and peak.fp32_gflops == pytest.approx(2 * 2.5 * 32)


@pytest.mark.parametrize(("current", "cores"), [(0.0, 2), (2500.0, None)])
def test_no_cpu_estimate_without_a_frequency_or_a_core_count(
    monkeypatch: pytest.MonkeyPatch, current: float, cores: int | None
) -> None:
    _fake_cpu(monkeypatch, current=current, maximum=0.0, cores=cores)
    assert cpu_peak_estimate() is None


def test_peak_metrics_name_estimates_as_estimates() -> None:
    table = DevicePeak("gpu", "datasheet", fp32_gflops=1000.0)
    estimate = DevicePeak("cpu", "estimate", fp32_gflops=100.0, estimated=True)
    assert peak_metrics(table, 1000.0, 250.0, "gflops") == {
        "peak_gflops": 1000.0,
        "fraction_of_peak": 0.25,
    }
    assert peak_metrics(estimate, 100.0, 50.0, "gflops") == {
        "peak_gflops_estimate": 100.0,
        "fraction_of_peak_estimate": 0.5,
    }
    assert peak_metrics(None, None, 50.0, "gflops") == {}
    assert peak_metrics(table, None, 50.0, "bandwidth_gb_s") == {}


def test_device_peak_looks_up_the_named_cuda_device() -> None:
    fake = make_torch(devices=[gpu("Tesla T4"), gpu("NVIDIA H100 PCIe")])
    first = device_peak("cuda", fake)
    second = device_peak("cuda:1", fake)
    assert first is not None and first.device == "NVIDIA T4"
    assert second is not None and second.device == "NVIDIA H100 PCIe"
    assert device_peak("rocm:0", make_torch(devices=[gpu("AMD Instinct MI300X")])) is not None
    assert device_peak("cuda", make_torch(devices=[gpu("Mystery GPU")])) is None
    assert device_peak("mps", fake) is None
