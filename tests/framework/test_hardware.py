"""Hardware detection, names and the report, with and without torch, and with a fake GPU torch."""

from __future__ import annotations

import json
import platform
import sys
import types
from collections.abc import Iterator
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.errors import InputError
from benchmig.framework import _hardware_probes, _torch
from benchmig.framework._hardware import (
    KNOWN_HARDWARE,
    BackendInfo,
    HardwareInfo,
    available_hardware,
    detect_hardware,
    format_hardware,
    hardware_matches,
    normalize_hardware,
)
from tests.framework.fake_torch import (
    gpu,
    install_torch,
    isolate_detection,
    make_torch,
    torch_hidden,
)


@pytest.fixture
def no_torch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with torch_hidden(monkeypatch):
        yield


def _backend(info: HardwareInfo, name: str) -> BackendInfo:
    backend = info.backend(name)
    assert backend is not None, f"no {name} backend in {[b.name for b in info.backends]}"
    return backend


def _detect_with(monkeypatch: pytest.MonkeyPatch, torch: Any) -> HardwareInfo:
    install_torch(monkeypatch, torch)
    return detect_hardware(refresh=True)


# --- without torch ---------------------------------------------------------------------------


@pytest.mark.usefixtures("no_torch")
def test_without_torch_every_torch_backend_is_unavailable_with_the_install_hint() -> None:
    assert _torch.get_torch() is None
    reason = _torch.torch_import_error()
    assert reason == "torch is not installed (pip install 'benchmig[torch]')"

    info = detect_hardware(refresh=True)

    for name in ("cuda", "rocm", "mps"):
        backend = _backend(info, name)
        assert not backend.available
        assert backend.reason == reason
    assert _backend(info, "cpu").available
    assert "cuda" not in available_hardware(info)
    assert "cpu" in available_hardware(info)


class _BrokenTorchFinder:
    """A meta path finder whose torch fails the way a missing CUDA library does."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name == "torch":
            raise OSError("libcudart.so.12: cannot open shared object file")
        return None


def test_a_broken_torch_counts_as_absent_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_detection(monkeypatch)
    monkeypatch.delitem(sys.modules, "torch", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenTorchFinder(), *sys.meta_path])
    _torch.get_torch.cache_clear()
    try:
        assert _torch.get_torch() is None
        reason = _torch.torch_import_error()
        info = detect_hardware(refresh=True)
    finally:
        _torch.get_torch.cache_clear()
    assert (
        reason == "torch failed to import: OSError: libcudart.so.12: cannot open shared object file"
    )
    assert _backend(info, "cuda").reason == reason


# --- with the real torch ---------------------------------------------------------------------


def test_real_cpu_torch_reports_cuda_unavailable_naming_the_build() -> None:
    torch = pytest.importorskip("torch")
    if torch.version.cuda or torch.version.hip:
        pytest.skip("needs a CPU-only torch build")
    _torch.get_torch.cache_clear()

    info = detect_hardware(refresh=True)

    cuda = _backend(info, "cuda")
    assert not cuda.available
    assert cuda.reason == f"torch {torch.__version__} was built without CUDA"
    assert _torch.torch_import_error() is None


# --- fake GPU torch --------------------------------------------------------------------------


def test_cuda_devices_are_listed_with_memory_and_capability(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = make_torch(devices=[gpu(), gpu(name="NVIDIA A100", memory=40 * 2**30, major=8)])

    info = _detect_with(monkeypatch, fake)

    cuda = _backend(info, "cuda")
    assert cuda.available and cuda.reason is None and cuda.version == "12.4"
    assert [d.id for d in cuda.devices] == ["cuda:0", "cuda:1"]
    assert cuda.devices[0].name == "NVIDIA H100 80GB HBM3"
    assert cuda.devices[0].capability == "9.0"
    assert cuda.devices[1].memory_total_bytes == 40 * 2**30
    assert cuda.devices[1].capability == "8.0"
    assert cuda.extra["cudnn_version"] == 90100
    assert cuda.extra["driver_api_version"] == "12.4"
    assert _backend(info, "rocm").reason == "torch 2.13.0+fake was built without ROCm (HIP)"
    assert {"cuda", "cuda:0", "cuda:1", "cpu"} <= available_hardware(info)
    json.dumps(info.to_dict())  # JSON-ready all the way down


def test_rocm_build_lists_its_gpus_under_rocm(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(cuda=None, hip="6.2.41133", devices=[gpu("AMD MI300X", gcnArchName="gfx942")])

    info = _detect_with(monkeypatch, fake)

    rocm = _backend(info, "rocm")
    assert rocm.available and rocm.version == "6.2.41133"
    assert [d.id for d in rocm.devices] == ["rocm:0"]
    assert rocm.devices[0].extra["gcnArchName"] == "gfx942"
    cuda = _backend(info, "cuda")
    assert not cuda.available
    assert cuda.reason is not None and "ROCm build" in cuda.reason
    assert "rocm:0" in available_hardware(info)
    assert "cuda" not in available_hardware(info)


def test_hidden_gpus_name_the_visibility_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    info = _detect_with(monkeypatch, make_torch(devices=[gpu()], available=False))
    assert _backend(info, "cuda").reason == "no CUDA device visible (CUDA_VISIBLE_DEVICES='')"


def test_no_driver_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    info = _detect_with(monkeypatch, make_torch(available=False))
    reason = _backend(info, "cuda").reason
    assert reason == "no CUDA device or driver found (torch built with CUDA 12.4)"


def test_a_failing_device_query_does_not_crash_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(devices=[gpu()], fail=RuntimeError("CUDA error: unknown error"))
    info = _detect_with(monkeypatch, fake)
    cuda = _backend(info, "cuda")
    assert not cuda.available
    assert cuda.reason == "CUDA device query failed: RuntimeError: CUDA error: unknown error"


def test_mps_available(monkeypatch: pytest.MonkeyPatch) -> None:
    info = _detect_with(monkeypatch, make_torch(cuda=None, mps_built=True, mps_available=True))
    mps = _backend(info, "mps")
    assert mps.available
    assert [d.id for d in mps.devices] == ["mps:0"]
    assert mps.devices[0].memory_total_bytes == 16 * 2**30
    assert {"mps", "mps:0"} <= available_hardware(info)


@pytest.mark.parametrize(
    ("built", "system", "expected"),
    [
        (False, "Linux", "torch 2.13.0+fake was built without MPS (Apple Metal)"),
        (True, "Linux", "MPS needs macOS on Apple silicon (this is Linux)"),
        (True, "Darwin", "MPS is built but not available (needs macOS 12.3+ and a Metal GPU)"),
    ],
)
def test_mps_unavailable_reasons(
    monkeypatch: pytest.MonkeyPatch, built: bool, system: str, expected: str
) -> None:
    monkeypatch.setattr(platform, "system", lambda: system)
    info = _detect_with(monkeypatch, make_torch(cuda=None, mps_built=built))
    assert _backend(info, "mps").reason == expected


# --- other backends --------------------------------------------------------------------------


def _fake_openvino(devices: list[str], fail: Exception | None = None) -> types.ModuleType:
    class Core:
        def __init__(self) -> None:
            if fail is not None:
                raise fail
            self.available_devices = devices

        def get_property(self, device: str, key: str) -> str:
            assert key == "FULL_DEVICE_NAME"
            return f"Intel {device}"

    module = types.ModuleType("openvino")
    module.Core = Core  # type: ignore[attr-defined]
    module.__version__ = "2025.0.0"  # type: ignore[attr-defined]
    return module


def test_openvino_devices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openvino", _fake_openvino(["CPU", "GPU.0"]))
    backend = _hardware_probes._openvino_backend()
    assert backend.available and backend.version == "2025.0.0"
    assert [(d.id, d.name) for d in backend.devices] == [
        ("openvino:cpu", "Intel CPU"),
        ("openvino:gpu.0", "Intel GPU.0"),
    ]


def test_openvino_missing_or_broken_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openvino", None)
    missing = _hardware_probes._openvino_backend()
    assert missing.reason == "openvino is not installed (pip install openvino)"

    broken = _fake_openvino([], fail=RuntimeError("plugin xml not found"))
    monkeypatch.setitem(sys.modules, "openvino", broken)
    reason = _hardware_probes._openvino_backend().reason
    assert reason == "openvino failed to load: RuntimeError: plugin xml not found"


def test_web_backends_are_always_unavailable() -> None:
    info = detect_hardware(refresh=True)
    for name in ("webgpu", "webnn"):
        backend = _backend(info, name)
        assert not backend.available
        assert backend.reason == "browser-only APIs; benchmig runs benchmarks in a Python process"


def test_qnn_needs_an_importable_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "qnn", None)
    monkeypatch.setitem(sys.modules, "qti.aisw", None)
    absent = _hardware_probes._qnn_backend()
    assert not absent.available
    assert absent.reason is not None and "QNN SDK" in absent.reason

    sdk = types.ModuleType("qnn")
    sdk.__version__ = "2.30"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "qnn", sdk)
    present = _hardware_probes._qnn_backend()
    assert present.available and present.version == "2.30"
    assert [d.id for d in present.devices] == ["qnn"]


def test_every_known_backend_is_reported_once_in_order() -> None:
    info = detect_hardware(refresh=True)
    assert tuple(b.name for b in info.backends) == KNOWN_HARDWARE
    assert all(b.available or b.reason for b in info.backends)
    assert info.cpu.logical_cores is not None and info.cpu.logical_cores >= 1
    assert info.memory_total_bytes is not None and info.memory_total_bytes > 0


def test_detection_is_cached_until_refreshed() -> None:
    first = detect_hardware(refresh=True)
    assert detect_hardware() is first
    assert detect_hardware(refresh=True) is not first


def test_cpu_model_falls_back_without_proc_cpuinfo(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_hardware_probes, "_CPUINFO", tmp_path / "cpuinfo")
    monkeypatch.setattr(platform, "processor", lambda: "")
    monkeypatch.setattr(platform, "machine", lambda: "riscv64")
    assert _hardware_probes._cpu_model() == "riscv64"


def test_an_unavailable_backend_must_say_why() -> None:
    with pytest.raises(ValueError, match="gives no reason"):
        BackendInfo(name="cuda", available=False)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cpu", "cpu"),
        ("gpu", "cuda"),
        ("CUDA:0", "cuda:0"),
        (" Cuda:12 ", "cuda:12"),
        ("hip", "rocm"),
        ("HIP:1", "rocm:1"),
        ("metal", "mps"),
        ("OpenVINO:GPU.0", "openvino:gpu.0"),
        ("webnn", "webnn"),
    ],
)
def test_normalize_hardware(name: str, expected: str) -> None:
    assert normalize_hardware(name) == expected


@pytest.mark.parametrize("name", ["tpu", "", "cuda:", "cuda:x", "cuda:0:1", "cpu-0"])
def test_normalize_hardware_rejects_unknown_names(name: str) -> None:
    with pytest.raises(InputError, match=r"unknown hardware|bad device index") as caught:
        normalize_hardware(name)
    assert repr(name) in str(caught.value)


def test_unknown_hardware_message_lists_the_known_names() -> None:
    with pytest.raises(InputError) as caught:
        normalize_hardware("tpu")
    assert all(name in str(caught.value) for name in KNOWN_HARDWARE)


@given(
    base=st.sampled_from([*KNOWN_HARDWARE, "gpu", "hip", "metal"]),
    index=st.one_of(st.none(), st.integers(min_value=0, max_value=64)),
    upper=st.booleans(),
)
def test_normalize_is_idempotent_and_case_blind(base: str, index: int | None, upper: bool) -> None:
    name = base if index is None else f"{base}:{index}"
    normalized = normalize_hardware(name.upper() if upper else name)
    assert normalize_hardware(normalized) == normalized
    assert normalized.partition(":")[0] in KNOWN_HARDWARE


@pytest.mark.parametrize(
    ("declared", "requested", "expected"),
    [
        (["cpu", "cuda"], "cuda:1", True),
        (["cpu", "cuda"], "GPU", True),
        (["cpu", "cuda"], "cuda", True),
        (["cuda:0"], "cuda:0", True),
        (["cuda:0"], "cuda:1", False),
        (["cuda:0"], "cuda", False),
        (["cpu"], "cuda", False),
        (["cuda"], "rocm:0", True),
        (["rocm"], "cuda", False),
        (["mps"], "mps:0", True),
        (["not-a-device", "cpu"], "cpu", True),
        ([], "cpu", False),
    ],
)
def test_hardware_matches(declared: list[str], requested: str, expected: bool) -> None:
    assert hardware_matches(declared, requested) is expected


def test_hardware_matches_rejects_an_unknown_request() -> None:
    with pytest.raises(InputError):
        hardware_matches(["cpu"], "tpu")


def test_format_hardware_lists_devices_and_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    info = _detect_with(monkeypatch, make_torch(devices=[gpu()]))

    text = format_hardware(info)

    lines = text.splitlines()
    assert lines[0].startswith(f"CPU:     {info.cpu.model}")
    assert lines[1].startswith("Memory:")
    for name in KNOWN_HARDWARE:
        assert any(line.lstrip().startswith(name) for line in lines), name
    assert "cuda:0  NVIDIA H100 80GB HBM3, 80.0 GiB, capability 9.0" in text
    assert "webgpu    unavailable: browser-only APIs" in text
    assert "rocm      unavailable: torch 2.13.0+fake was built without ROCm (HIP)" in text
