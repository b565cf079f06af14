"""Hardware benchmarks (category ``hardware``): compute, memory bandwidth, host-to-device copies.

Each call is one operation that the benchmark also times itself (device-synchronised), so that
``process_results`` can turn the median of those per-call times into a rate: ``gflops``
(``2 n^3`` FLOPs per ``n x n`` matmul) or ``bandwidth_gb_s`` (bytes read and written, in 1e9
bytes per second, STREAM's counting). The first call of each process is left out. Where the
device's theoretical peak is known it is reported next to the figure (``peak_gflops``,
``peak_bandwidth_gb_s`` and ``fraction_of_peak``; ``..._estimate`` names for the CPU estimate).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any, ClassVar

import numpy as np

from benchmig.benchmarks._common import require_torch, steady_state, timed_call
from benchmig.benchmarks._peaks import DevicePeak, device_peak, peak_metrics
from benchmig.errors import InputError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry
from benchmig.framework._device import synchronizer, torch_device

__all__ = [
    "HostToDevice",
    "MatmulGflops",
    "MatmulGflopsHalf",
    "MemoryBandwidth",
    "MemoryBandwidthNumpy",
]

DEVICES = ["cpu", "cuda", "rocm", "mps"]
_DTYPES = ("float32", "float16", "bfloat16")
_MIB = 2**20
_WORDS_MOVED = {"copy": 2, "triad": 3}  # arrays read + written per element (STREAM)
_NUMPY_CHUNK = 64 * 1024  # elements per triad chunk: the temporary stays in L2


class _SelfTimed(BenchmarkBase):
    """Times every call itself; a subclass's ``setup`` ends with ``self._start(op, sync)``."""

    def _start(self, op: Callable[[], object], sync: Callable[[], None]) -> None:
        self._op = op
        self._sync = sync
        self._seconds: list[float] = []

    def execute(self) -> float:
        seconds = timed_call(self._op, self._sync)
        self._seconds.append(seconds)
        return seconds

    def _median_seconds(self) -> float:
        return statistics.median(steady_state(self._seconds))


def _torch_dtype(torch: Any, name: str, hardware: str) -> Any:
    if name not in _DTYPES:
        raise InputError(f"dtype {name!r}: use one of {', '.join(_DTYPES)}")
    base = hardware.partition(":")[0]
    if name == "bfloat16" and base in ("cuda", "rocm") and not torch.cuda.is_bf16_supported():
        raise InputError(
            f"bfloat16 is not supported on {hardware} (torch.cuda.is_bf16_supported() is False); "
            "leave it out of the dtype param"
        )
    return getattr(torch, name)


@BenchmarkRegistry.register(
    name="matmul_gflops",
    category="hardware",
    hardware=DEVICES,
    params={"size": [512, 2048], "dtype": ["float32"]},
    requires=["torch"],
)
class MatmulGflops(_SelfTimed):
    """``torch.matmul`` of two ``size x size`` matrices into a preallocated output."""

    benchmark_name: ClassVar[str] = "matmul_gflops"

    def setup(self) -> None:
        torch = require_torch(self.benchmark_name)
        n = int(self.config["size"])
        dtype = _torch_dtype(torch, str(self.config["dtype"]), self.hardware)
        device = torch_device(self.hardware)
        generator = torch.Generator().manual_seed(0)
        self.a = torch.randn(n, n, generator=generator).to(device=device, dtype=dtype)
        self.b = torch.randn(n, n, generator=generator).to(device=device, dtype=dtype)
        self.out = torch.empty(n, n, device=device, dtype=dtype)
        self.peak: DevicePeak | None = device_peak(self.hardware, torch)
        self._start(lambda: torch.matmul(self.a, self.b, out=self.out), synchronizer(self.hardware))

    def process_results(self, raw: Any) -> dict[str, float]:
        n = int(self.config["size"])
        gflops = 2.0 * n**3 / self._median_seconds() / 1e9
        peak = self.peak.compute_gflops(str(self.config["dtype"])) if self.peak else None
        return {"gflops": gflops} | peak_metrics(self.peak, peak, gflops, "gflops")

    def cleanup(self) -> None:
        for name in ("a", "b", "out"):
            self.__dict__.pop(name, None)


@BenchmarkRegistry.register(
    name="matmul_gflops_half",
    category="hardware",
    hardware=["cuda", "rocm", "mps"],
    params={"size": [2048, 8192], "dtype": ["float16", "bfloat16"]},
    requires=["torch"],
)
class MatmulGflopsHalf(MatmulGflops):
    """``matmul_gflops`` in half precision, on accelerators (tensor cores where present)."""

    benchmark_name = "matmul_gflops_half"


class _Bandwidth(_SelfTimed):
    def _elements(self) -> int:
        size_mb = int(self.config["size_mb"])
        op = str(self.config["op"])
        if op not in _WORDS_MOVED or size_mb < 1:
            raise InputError(
                f"{type(self).__name__}: op must be one of {', '.join(_WORDS_MOVED)} and "
                f"size_mb >= 1, got op={op!r} size_mb={size_mb}"
            )
        return size_mb * _MIB // 4

    def _bandwidth(self) -> float:
        moved = _WORDS_MOVED[str(self.config["op"])] * self._elements() * 4
        return moved / self._median_seconds() / 1e9


@BenchmarkRegistry.register(
    name="memory_bandwidth",
    category="hardware",
    hardware=DEVICES,
    params={"op": ["copy", "triad"], "size_mb": [256]},
    requires=["torch"],
)
class MemoryBandwidth(_Bandwidth):
    """STREAM copy (``b = a``) and triad (``a = b + 3 c``) on float32 arrays of ``size_mb`` MiB."""

    def setup(self) -> None:
        torch = require_torch("memory_bandwidth")
        n = self._elements()
        device = torch_device(self.hardware)
        self.torch = torch
        self.a, self.b, self.c = (torch.full((n,), v, device=device) for v in (1.0, 2.0, 0.5))
        self.peak: DevicePeak | None = device_peak(self.hardware, torch)
        op = self._copy if self.config["op"] == "copy" else self._triad
        self._start(op, synchronizer(self.hardware))

    def _copy(self) -> None:
        self.b.copy_(self.a)

    def _triad(self) -> None:
        self.torch.add(self.b, self.c, alpha=3.0, out=self.a)

    def process_results(self, raw: Any) -> dict[str, float]:
        rate = self._bandwidth()
        peak = self.peak.memory_gb_s if self.peak else None
        return {"bandwidth_gb_s": rate} | peak_metrics(self.peak, peak, rate, "bandwidth_gb_s")

    def cleanup(self) -> None:
        for name in ("a", "b", "c"):
            self.__dict__.pop(name, None)


@BenchmarkRegistry.register(
    name="memory_bandwidth_numpy",
    category="hardware",
    hardware=["cpu"],
    params={"op": ["copy", "triad"], "size_mb": [256]},
)
class MemoryBandwidthNumpy(_Bandwidth):
    """``memory_bandwidth`` on the CPU with numpy (no torch needed).

    The triad runs in chunks so that ``3 c`` stays in cache: memory traffic is then the STREAM
    count (read b and c, write a), as in the single-pass torch kernel.
    """

    def setup(self) -> None:
        n = self._elements()
        self.a, self.b, self.c = (np.full(n, v, dtype=np.float32) for v in (1.0, 2.0, 0.5))
        self.tmp = np.empty(_NUMPY_CHUNK, dtype=np.float32)
        op = self._copy if self.config["op"] == "copy" else self._triad
        self._start(op, lambda: None)

    def _copy(self) -> None:
        np.copyto(self.b, self.a)

    def _triad(self) -> None:
        a, b, c, tmp = self.a, self.b, self.c, self.tmp
        for start in range(0, a.size, _NUMPY_CHUNK):
            stop = min(start + _NUMPY_CHUNK, a.size)
            part = tmp[: stop - start]
            np.multiply(c[start:stop], 3.0, out=part)
            np.add(b[start:stop], part, out=a[start:stop])

    def process_results(self, raw: Any) -> dict[str, float]:
        return {"bandwidth_gb_s": self._bandwidth()}

    def cleanup(self) -> None:
        for name in ("a", "b", "c", "tmp"):
            self.__dict__.pop(name, None)


@BenchmarkRegistry.register(
    name="host_to_device",
    category="hardware",
    hardware=["cuda", "rocm"],
    params={"size_mb": [64], "pinned": [True, False]},
    requires=["torch"],
)
class HostToDevice(_SelfTimed):
    """Copy ``size_mb`` MiB from host memory (pinned or pageable) to the device."""

    def setup(self) -> None:
        torch = require_torch("host_to_device")
        size_mb = int(self.config["size_mb"])
        if size_mb < 1:
            raise InputError(f"host_to_device: size_mb must be >= 1, got {size_mb}")
        pinned = bool(self.config["pinned"])
        n = size_mb * _MIB // 4
        self.host = torch.ones(n, pin_memory=pinned)
        self.device_buffer = torch.empty(n, device=torch_device(self.hardware))
        self.peak: DevicePeak | None = device_peak(self.hardware, torch)
        self._start(
            lambda: self.device_buffer.copy_(self.host, non_blocking=pinned),
            synchronizer(self.hardware),
        )

    def process_results(self, raw: Any) -> dict[str, float]:
        rate = int(self.config["size_mb"]) * _MIB / self._median_seconds() / 1e9
        peak = self.peak.host_link_gb_s if self.peak else None
        return {"bandwidth_gb_s": rate} | peak_metrics(self.peak, peak, rate, "bandwidth_gb_s")

    def cleanup(self) -> None:
        for name in ("host", "device_buffer"):
            self.__dict__.pop(name, None)
