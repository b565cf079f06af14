"""Probing the host: CPU, memory and every backend of ``KNOWN_HARDWARE``, when called.

CUDA, ROCm and MPS are probed through torch (``_torch.get_torch()``, looked up at call time so
tests can substitute a fake torch); OpenVINO and QNN are imported lazily. A broken install makes
its backend unavailable, with the error as the reason, instead of crashing detection.
"""

from __future__ import annotations

import importlib
import logging
import os
import platform
import re
from pathlib import Path
from typing import Any

import psutil

from benchmig.framework import _torch
from benchmig.framework._hardware_info import (
    BackendInfo,
    CpuInfo,
    DeviceInfo,
    HardwareInfo,
    unavailable,
)

__all__ = ["probe_hardware"]

logger = logging.getLogger(__name__)

_WEB_REASON = "browser-only APIs; benchmig runs benchmarks in a Python process"
_CPUINFO = Path("/proc/cpuinfo")
_NVIDIA_DRIVER = Path("/proc/driver/nvidia/version")


def probe_hardware() -> HardwareInfo:
    """Probe everything now (uncached; ``detect_hardware`` caches)."""
    cpu = _detect_cpu()
    memory = psutil.virtual_memory()
    cpu_backend = BackendInfo(
        name="cpu",
        available=True,
        version=platform.machine() or None,
        devices=(DeviceInfo(id="cpu", name=cpu.model, memory_total_bytes=int(memory.total)),),
    )
    backends = (
        cpu_backend,
        *_torch_backends(_torch.get_torch()),
        _openvino_backend(),
        unavailable("webgpu", _WEB_REASON),
        unavailable("webnn", _WEB_REASON),
        _qnn_backend(),
    )
    return HardwareInfo(
        cpu=cpu,
        memory_total_bytes=int(memory.total),
        memory_available_bytes=int(memory.available),
        os=platform.platform(),
        backends=backends,
    )


def _detect_cpu() -> CpuInfo:
    max_mhz: float | None = None
    try:
        freq = psutil.cpu_freq()
        max_mhz = float(freq.max) if freq is not None and freq.max > 0 else None
    except (OSError, NotImplementedError, RuntimeError, AttributeError) as exc:
        logger.debug("CPU frequency unavailable: %s", exc)
    return CpuInfo(
        model=_cpu_model(),
        arch=platform.machine(),
        physical_cores=psutil.cpu_count(logical=False),
        logical_cores=psutil.cpu_count(logical=True) or os.cpu_count(),
        max_frequency_mhz=max_mhz,
    )


def _cpu_model() -> str:
    try:
        for line in _CPUINFO.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and value.strip():
                return value.strip()
    except OSError as exc:
        logger.debug("cannot read %s: %s", _CPUINFO, exc)
    return platform.processor() or platform.machine() or "unknown CPU"


def _torch_backends(torch: Any) -> tuple[BackendInfo, BackendInfo, BackendInfo]:
    """The cuda, rocm and mps backends as this torch (or its absence) sees them."""
    if torch is None:
        reason = (
            _torch.torch_import_error() or f"torch is not installed ({_torch.TORCH_INSTALL_HINT})"
        )
        return (
            unavailable("cuda", reason),
            unavailable("rocm", reason),
            unavailable("mps", reason),
        )
    label = f"torch {torch.__version__}"
    hip = getattr(torch.version, "hip", None)
    if hip:
        cuda = unavailable("cuda", f"{label} is a ROCm build (HIP {hip}); its GPUs are under rocm")
        rocm = _gpu_backend(torch, "rocm", str(hip))
    else:
        cuda_version = getattr(torch.version, "cuda", None)
        if cuda_version:
            cuda = _gpu_backend(torch, "cuda", str(cuda_version))
        else:
            cuda = unavailable("cuda", f"{label} was built without CUDA")
        rocm = unavailable("rocm", f"{label} was built without ROCm (HIP)")
    return cuda, rocm, _mps_backend(torch, label)


def _gpu_backend(torch: Any, name: str, version: str) -> BackendInfo:
    """CUDA or ROCm devices through ``torch.cuda`` (a ROCm build serves them under that API)."""
    api = "CUDA" if name == "cuda" else "ROCm"
    try:
        count = int(torch.cuda.device_count()) if torch.cuda.is_available() else 0
        devices = tuple(_gpu_device(torch, name, index) for index in range(count))
    except Exception as exc:  # a driver or runtime failure must not crash detection
        logger.debug("%s probe failed", api, exc_info=True)
        return unavailable(name, f"{api} device query failed: {type(exc).__name__}: {exc}", version)
    if not devices:
        return unavailable(name, _no_gpu_reason(api, version), version)
    return BackendInfo(
        name=name, available=True, version=version, devices=devices, extra=_gpu_extra(torch)
    )


def _gpu_device(torch: Any, name: str, index: int) -> DeviceInfo:
    props = torch.cuda.get_device_properties(index)
    extra: dict[str, Any] = {}
    for key in ("multi_processor_count", "gcnArchName", "uuid"):
        value = getattr(props, key, None)
        if value is not None:
            extra[key] = str(value) if key == "uuid" else value
    major, minor = getattr(props, "major", None), getattr(props, "minor", None)
    return DeviceInfo(
        id=f"{name}:{index}",
        name=str(props.name),
        memory_total_bytes=int(props.total_memory),
        capability=f"{major}.{minor}" if major is not None and minor is not None else None,
        extra=extra,
    )


def _no_gpu_reason(api: str, version: str) -> str:
    for variable in ("CUDA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES"):
        value = os.environ.get(variable)
        if value is not None and (api == "ROCm" or variable == "CUDA_VISIBLE_DEVICES"):
            return f"no {api} device visible ({variable}={value!r})"
    return f"no {api} device or driver found (torch built with {api} {version})"


def _gpu_extra(torch: Any) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    try:
        cudnn = torch.backends.cudnn.version()
        if cudnn is not None:
            extra["cudnn_version"] = int(cudnn)
    except Exception as exc:  # cuDNN/MIOpen may be absent or broken: the version is optional
        logger.debug("cuDNN version unavailable: %s", exc)
    get_driver = getattr(getattr(torch, "_C", None), "_cuda_getDriverVersion", None)
    if callable(get_driver):
        try:
            api_version = int(get_driver())
            extra["driver_api_version"] = f"{api_version // 1000}.{api_version % 1000 // 10}"
        except Exception as exc:  # private API: tolerate its absence or failure
            logger.debug("CUDA driver API version unavailable: %s", exc)
    try:
        match = re.search(r"Kernel Module\s+(\S+)", _NVIDIA_DRIVER.read_text(encoding="utf-8"))
        if match:
            extra["driver_version"] = match.group(1)
    except OSError:
        pass  # not an NVIDIA machine, or /proc is not Linux's
    return extra


def _mps_backend(torch: Any, label: str) -> BackendInfo:
    mps = getattr(torch.backends, "mps", None)
    if mps is None or not mps.is_built():
        return unavailable("mps", f"{label} was built without MPS (Apple Metal)")
    if not mps.is_available():
        if platform.system() != "Darwin":
            return unavailable(
                "mps", f"MPS needs macOS on Apple silicon (this is {platform.system()})"
            )
        return unavailable(
            "mps", "MPS is built but not available (needs macOS 12.3+ and a Metal GPU)"
        )
    memory: int | None = None
    try:
        memory = int(torch.mps.recommended_max_memory())
    except Exception as exc:  # older torch has no recommended_max_memory
        logger.debug("MPS memory unavailable: %s", exc)
    device = DeviceInfo(
        id="mps:0", name=f"Apple GPU ({platform.machine()})", memory_total_bytes=memory
    )
    return BackendInfo(
        name="mps", available=True, version=platform.mac_ver()[0] or None, devices=(device,)
    )


def _openvino_backend() -> BackendInfo:
    try:
        openvino = importlib.import_module("openvino")
        core_class = getattr(openvino, "Core", None)
        if core_class is None:  # before 2023.1 the runtime lived in openvino.runtime
            core_class = importlib.import_module("openvino.runtime").Core
        core = core_class()
        version = getattr(openvino, "__version__", None)
        devices = tuple(_openvino_device(core, str(d)) for d in core.available_devices)
    except ModuleNotFoundError as exc:
        if exc.name == "openvino":
            return unavailable("openvino", "openvino is not installed (pip install openvino)")
        return unavailable("openvino", f"openvino failed to import: {exc}")
    except Exception as exc:  # a broken OpenVINO install must not crash detection
        logger.debug("OpenVINO probe failed", exc_info=True)
        return unavailable("openvino", f"openvino failed to load: {type(exc).__name__}: {exc}")
    if not devices:
        return unavailable("openvino", "OpenVINO reports no available device", version)
    return BackendInfo(name="openvino", available=True, version=version, devices=devices)


def _openvino_device(core: Any, device: str) -> DeviceInfo:
    try:
        name = str(core.get_property(device, "FULL_DEVICE_NAME"))
    except Exception:  # the property is optional per plugin
        name = device
    return DeviceInfo(id=f"openvino:{device.lower()}", name=name, extra={"openvino_device": device})


def _qnn_backend() -> BackendInfo:
    failures: list[str] = []
    for module_name in ("qnn", "qti.aisw"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        except Exception as exc:  # a broken SDK install must not crash detection
            failures.append(f"{module_name}: {type(exc).__name__}: {exc}")
            continue
        version = getattr(module, "__version__", None)
        device = DeviceInfo(id="qnn", name=f"Qualcomm QNN SDK ({module_name})")
        return BackendInfo(name="qnn", available=True, version=version, devices=(device,))
    if failures:
        return unavailable("qnn", "the QNN SDK failed to import: " + "; ".join(failures))
    return unavailable("qnn", "no Qualcomm QNN SDK found (neither 'qnn' nor 'qti.aisw' imports)")
