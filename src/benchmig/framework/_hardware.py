"""What hardware this process can benchmark on, why anything is unavailable, and hardware names.

:func:`detect_hardware` probes the CPU, memory and every backend in :data:`KNOWN_HARDWARE` when it
is first called, never at import (the probes live in ``_hardware_probes``, the records in
``_hardware_info``). The name helpers turn user spellings into canonical ones and decide whether
a benchmark's declared hardware covers a requested device.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from benchmig.errors import InputError
from benchmig.framework._hardware_info import KNOWN_HARDWARE as KNOWN_HARDWARE
from benchmig.framework._hardware_info import BackendInfo as BackendInfo
from benchmig.framework._hardware_info import CpuInfo as CpuInfo
from benchmig.framework._hardware_info import DeviceInfo as DeviceInfo
from benchmig.framework._hardware_info import HardwareInfo as HardwareInfo
from benchmig.framework._hardware_probes import probe_hardware

__all__ = [
    "KNOWN_HARDWARE",
    "BackendInfo",
    "CpuInfo",
    "DeviceInfo",
    "HardwareInfo",
    "available_hardware",
    "detect_hardware",
    "format_hardware",
    "hardware_matches",
    "normalize_hardware",
]

_ALIASES = {"gpu": "cuda", "nvidia": "cuda", "hip": "rocm", "amd": "rocm", "metal": "mps"}
_INDEXED_BY_NUMBER = frozenset({"cpu", "cuda", "rocm", "mps"})  # torch device indices
_NAME_RE = re.compile(r"^(?P<base>[a-z_]+)(?::(?P<index>[a-z0-9_.]+))?$")
_GIB = 2**30


def detect_hardware(*, refresh: bool = False) -> HardwareInfo:
    """Probe the CPU, memory and every backend of :data:`KNOWN_HARDWARE`.

    The first result is cached for the process (probing CUDA or OpenVINO takes time);
    ``refresh=True`` probes again.
    """
    if refresh:
        _detect_cached.cache_clear()
    return _detect_cached()


@functools.cache
def _detect_cached() -> HardwareInfo:
    return probe_hardware()


def normalize_hardware(name: str) -> str:
    """The canonical spelling of a name (``"GPU"`` -> ``"cuda"``; ``"CUDA:0"`` -> ``"cuda:0"``).

    Raises :class:`~benchmig.errors.InputError` for a name benchmig does not know.
    """
    match = _NAME_RE.match(name.strip().lower())
    base = match.group("base") if match else ""
    base = _ALIASES.get(base, base)
    if match is None or base not in KNOWN_HARDWARE:
        raise InputError(
            f"unknown hardware {name!r}: use one of {', '.join(KNOWN_HARDWARE)}"
            " (optionally with a device index, e.g. 'cuda:1')"
        )
    index = match.group("index")
    if index is None:
        return base
    if base in _INDEXED_BY_NUMBER and not index.isdigit():
        raise InputError(f"bad device index in hardware {name!r}: use a number, e.g. '{base}:0'")
    return f"{base}:{index}"


def available_hardware(info: HardwareInfo) -> frozenset[str]:
    """Every hardware name usable here: available backends and their devices; ``"cpu"`` always."""
    names = {"cpu"}
    for backend in info.backends:
        if backend.available:
            names.add(backend.name)
            names.update(device.id for device in backend.devices)
    return frozenset(names)


def hardware_matches(declared: Sequence[str], requested: str) -> bool:
    """Whether a benchmark declaring ``declared`` hardware can run on ``requested``.

    A bare name covers its devices (``"cuda"`` covers ``"cuda:1"``); ``"cuda"`` also covers
    ``"rocm"`` devices, because torch's ROCm build serves them through the ``torch.cuda`` API.
    Declared names benchmig does not know match nothing; an unknown ``requested`` raises
    :class:`~benchmig.errors.InputError`.
    """
    wanted = normalize_hardware(requested)
    base = wanted.partition(":")[0]
    for entry in declared:
        try:
            have = normalize_hardware(entry)
        except InputError:
            continue
        if have in (wanted, base) or (have == "cuda" and base == "rocm"):
            return True
    return False


def format_hardware(info: HardwareInfo) -> str:
    """A readable report for ``migrate hardware``: CPU, memory, OS, then one block per backend."""
    cpu = info.cpu
    cores = f"{cpu.physical_cores or '?'} physical / {cpu.logical_cores or '?'} logical cores"
    freq = f", up to {cpu.max_frequency_mhz:.0f} MHz" if cpu.max_frequency_mhz else ""
    lines = [
        f"CPU:     {cpu.model} ({cpu.arch}), {cores}{freq}",
        f"Memory:  {_gib(info.memory_total_bytes)} total,"
        f" {_gib(info.memory_available_bytes)} available",
        f"OS:      {info.os}",
        "Backends:",
    ]
    width = max(len(name) for name in KNOWN_HARDWARE)
    for backend in info.backends:
        version = f" {backend.version}" if backend.version else ""
        if backend.available:
            lines.append(f"  {backend.name:<{width}}  available{version}")
            lines.extend(f"      {_describe_device(device)}" for device in backend.devices)
        else:
            lines.append(f"  {backend.name:<{width}}  unavailable: {backend.reason}")
    return "\n".join(lines)


def _describe_device(device: DeviceInfo) -> str:
    parts = [f"{device.id}  {device.name}"]
    if device.memory_total_bytes:
        parts.append(_gib(device.memory_total_bytes))
    if device.capability:
        parts.append(f"capability {device.capability}")
    return ", ".join(parts)


def _gib(value: int | None) -> str:
    return "?" if value is None else f"{value / _GIB:.1f} GiB"
