"""Theoretical peaks of a device, to print next to what a hardware benchmark measured.

GPUs: a small table of vendor datasheet figures matched by device name (dense math, no sparsity;
fp16/bf16 are tensor-core figures with FP32 accumulation, which is what ``torch.matmul`` uses).
CPUs: an *estimate* (physical cores x frequency x FP32 FLOPs per cycle of the widest vector unit),
made only when psutil reports a frequency and the instruction set is recognised. Anything else is
unknown, and unknown peaks are left out of the results rather than guessed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

__all__ = [
    "DevicePeak",
    "cpu_flops_per_cycle",
    "cpu_peak_estimate",
    "device_peak",
    "gpu_peak",
    "peak_metrics",
]

logger = logging.getLogger(__name__)

_CPUINFO = Path("/proc/cpuinfo")
_GEN3, _GEN4, _GEN5 = 15.75, 31.5, 63.0  # PCIe x16 GB/s per direction


@dataclass(frozen=True)
class DevicePeak:
    """Peak figures of one device; ``None`` where unknown. Compute in GFLOP/s, bandwidth in GB/s.

    ``estimated`` is true for the CPU estimate (never for table rows); ``source`` says where the
    figures come from.
    """

    device: str
    source: str
    fp32_gflops: float | None = None
    fp16_gflops: float | None = None
    bf16_gflops: float | None = None
    memory_gb_s: float | None = None
    host_link_gb_s: float | None = None
    estimated: bool = False

    def compute_gflops(self, dtype: str) -> float | None:
        """The peak for a torch dtype name (``"float32"``, ``"float16"``, ``"bfloat16"``)."""
        return {
            "float32": self.fp32_gflops,
            "float16": self.fp16_gflops,
            "bfloat16": self.bf16_gflops,
        }.get(dtype)


def _row(
    device: str, fp32: float, fp16: float, bf16: float | None, memory: float, link: float
) -> DevicePeak:
    return DevicePeak(
        device=device,
        source=f"datasheet ({device}, dense)",
        fp32_gflops=fp32 * 1000,
        fp16_gflops=fp16 * 1000,
        bf16_gflops=None if bf16 is None else bf16 * 1000,
        memory_gb_s=memory,
        host_link_gb_s=link,
    )


# Most specific pattern first: "H100 PCIe" before "H100", "L40S" before "L4".
# Columns: FP32 TFLOP/s, FP16 and BF16 tensor TFLOP/s, memory GB/s, host link GB/s.
_GPU_TABLE: tuple[tuple[re.Pattern[str], DevicePeak], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), peak)
    for pattern, peak in (
        (r"H200", _row("NVIDIA H200 SXM", 67, 989.4, 989.4, 4800, _GEN5)),
        (r"H100.*PCIe", _row("NVIDIA H100 PCIe", 51.2, 756, 756, 2000, _GEN5)),
        (r"H100.*NVL", _row("NVIDIA H100 NVL", 60, 835, 835, 3900, _GEN5)),
        (r"H100", _row("NVIDIA H100 SXM5", 67, 989.4, 989.4, 3350, _GEN5)),
        (
            r"A100.*PCIe.*80|A100.*80.*PCIe",
            _row("NVIDIA A100 80GB PCIe", 19.5, 312, 312, 1935, _GEN4),
        ),
        (r"A100.*80", _row("NVIDIA A100 80GB SXM4", 19.5, 312, 312, 2039, _GEN4)),
        (r"A100", _row("NVIDIA A100 40GB", 19.5, 312, 312, 1555, _GEN4)),
        (r"V100S", _row("NVIDIA V100S PCIe", 16.4, 130, None, 1134, _GEN3)),
        (r"V100.*PCIe", _row("NVIDIA V100 PCIe", 14, 112, None, 900, _GEN3)),
        (r"V100", _row("NVIDIA V100 SXM2", 15.7, 125, None, 900, _GEN3)),
        (r"\bT4\b", _row("NVIDIA T4", 8.1, 65, None, 320, _GEN3)),
        (r"L40S", _row("NVIDIA L40S", 91.6, 362.05, 362.05, 864, _GEN4)),
        (r"\bL4\b", _row("NVIDIA L4", 30.3, 121, 121, 300, _GEN4)),
        (r"\bA10\b", _row("NVIDIA A10", 31.2, 125, 125, 600, _GEN4)),
        (r"RTX 4090", _row("NVIDIA GeForce RTX 4090", 82.6, 165.2, 165.2, 1008, _GEN4)),
        (r"RTX 3090", _row("NVIDIA GeForce RTX 3090", 35.6, 71, 71, 936, _GEN4)),
        (r"MI300X", _row("AMD Instinct MI300X", 163.4, 1307.4, 1307.4, 5300, _GEN5)),
    )
)


def gpu_peak(name: str) -> DevicePeak | None:
    """The table row for a GPU's name as torch reports it (``"NVIDIA H100 80GB HBM3"``)."""
    for pattern, peak in _GPU_TABLE:
        if pattern.search(name):
            return peak
    return None


def _cpuinfo_fields() -> dict[str, str]:
    """``vendor_id``, ``cpu family``, ``model`` and ``flags`` of the first CPU (Linux only)."""
    try:
        text = _CPUINFO.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def cpu_flops_per_cycle(info: Mapping[str, str]) -> int | None:
    """FP32 FLOPs per cycle per core of the widest FMA unit, from ``/proc/cpuinfo`` fields.

    Assumes two vector FMA pipes (most server cores since 2013). AMD Zen 1 has 128-bit pipes and
    Zen 4 executes AVX-512 on 256-bit pipes, so both count half. ``None`` for other instruction
    sets (ARM, POWER...), which this table does not know.
    """
    flags = set(info.get("flags", "").split())
    amd = info.get("vendor_id") == "AuthenticAMD"
    family = int(info.get("cpu family", "0") or 0)
    model = int(info.get("model", "0") or 0)
    if "avx512f" in flags:
        return 32 if amd and family <= 0x19 else 64
    if "avx2" in flags and "fma" in flags:
        return 16 if amd and family == 0x17 and model < 0x30 else 32
    if "avx" in flags:
        return 16  # separate 256-bit add and multiply, no FMA
    return None


def _frequency_mhz() -> float | None:
    try:
        freq = psutil.cpu_freq()
    except (OSError, NotImplementedError, RuntimeError, AttributeError) as exc:
        logger.debug("CPU frequency unavailable: %s", exc)
        return None
    if freq is None:
        return None
    best = freq.max if freq.max > 0 else freq.current
    return float(best) if best > 0 else None


def cpu_peak_estimate() -> DevicePeak | None:
    """An estimated FP32 peak of this host's CPU, or ``None`` when it cannot be estimated."""
    info = _cpuinfo_fields()
    per_cycle = cpu_flops_per_cycle(info)
    mhz = _frequency_mhz()
    cores = psutil.cpu_count(logical=False)
    if per_cycle is None or mhz is None or not cores:
        logger.debug("no CPU peak estimate: flops/cycle=%s MHz=%s cores=%s", per_cycle, mhz, cores)
        return None
    gflops = cores * mhz / 1000.0 * per_cycle
    return DevicePeak(
        device=info.get("model name", "cpu"),
        source=f"estimate: {cores} cores x {mhz:.0f} MHz x {per_cycle} FP32 FLOPs/cycle",
        fp32_gflops=gflops,
        estimated=True,
    )


def device_peak(hardware: str, torch: Any | None) -> DevicePeak | None:
    """The peak figures of ``hardware``: the CPU estimate, or the GPU's table row by name."""
    base, _, index = hardware.partition(":")
    if base == "cpu":
        return cpu_peak_estimate()
    if base in ("cuda", "rocm") and torch is not None:
        name = str(torch.cuda.get_device_properties(int(index) if index.isdigit() else 0).name)
        peak = gpu_peak(name)
        if peak is None:
            logger.info("no theoretical peak known for %r: peaks are reported as unknown", name)
        return peak
    return None


def peak_metrics(
    peak: DevicePeak | None, value: float | None, measured: float, unit: str
) -> dict[str, float]:
    """``peak_<unit>`` and ``fraction_of_peak`` for a measured figure; ``{}`` when unknown.

    ``value`` is the peak in the measured figure's unit (``unit`` names it: ``"gflops"``,
    ``"bandwidth_gb_s"``). Both names get an ``_estimate`` suffix when the peak is an estimate,
    so that no reader takes it for a datasheet figure.
    """
    if peak is None or value is None or value <= 0:
        return {}
    suffix = "_estimate" if peak.estimated else ""
    return {f"peak_{unit}{suffix}": value, f"fraction_of_peak{suffix}": measured / value}
