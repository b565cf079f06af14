"""The frozen records of detected hardware: CPU, devices, backends and the whole host.

Pure data with ``to_dict()`` for JSON; detection lives in ``_hardware_probes``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["KNOWN_HARDWARE", "BackendInfo", "CpuInfo", "DeviceInfo", "HardwareInfo", "unavailable"]

KNOWN_HARDWARE = ("cpu", "cuda", "rocm", "mps", "openvino", "webgpu", "webnn", "qnn")
"""Every hardware name benchmig knows, in report order."""


@dataclass(frozen=True)
class CpuInfo:
    """The host CPU. Counts and frequency are ``None`` where the OS does not say."""

    model: str
    arch: str
    physical_cores: int | None
    logical_cores: int | None
    max_frequency_mhz: float | None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return asdict(self)


@dataclass(frozen=True)
class DeviceInfo:
    """One device of a backend: ``id`` is what a benchmark's ``hardware`` names (``"cuda:0"``)."""

    id: str
    name: str
    memory_total_bytes: int | None = None
    capability: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return {
            "id": self.id,
            "name": self.name,
            "memory_total_bytes": self.memory_total_bytes,
            "capability": self.capability,
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class BackendInfo:
    """One backend (``"cuda"``, ``"openvino"``...): available with its devices, or why not.

    ``reason`` is always set when ``available`` is false. ``extra`` holds backend facts such as the
    driver or cuDNN version.
    """

    name: str
    available: bool
    reason: str | None = None
    version: str | None = None
    devices: tuple[DeviceInfo, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not self.available and not self.reason:
            raise ValueError(f"backend {self.name!r} is unavailable but gives no reason")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields."""
        return {
            "name": self.name,
            "available": self.available,
            "reason": self.reason,
            "version": self.version,
            "devices": [device.to_dict() for device in self.devices],
            "extra": dict(self.extra),
        }


@dataclass(frozen=True)
class HardwareInfo:
    """Everything :func:`detect_hardware` found: CPU, memory, OS and one entry per backend."""

    cpu: CpuInfo
    memory_total_bytes: int | None
    memory_available_bytes: int | None
    os: str
    backends: tuple[BackendInfo, ...]

    def backend(self, name: str) -> BackendInfo | None:
        """The backend called ``name`` (``"cuda"``), or None when it was not probed."""
        return next((b for b in self.backends if b.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``backends`` maps each backend name to its dict, in probe order."""
        return {
            "cpu": self.cpu.to_dict(),
            "memory_total_bytes": self.memory_total_bytes,
            "memory_available_bytes": self.memory_available_bytes,
            "os": self.os,
            "backends": {b.name: b.to_dict() for b in self.backends},
        }


def unavailable(name: str, reason: str, version: str | None = None) -> BackendInfo:
    """A backend that cannot be used here, and why."""
    return BackendInfo(name=name, available=False, reason=reason, version=version)
