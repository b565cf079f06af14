"""Device helpers the runner calls around measured code: synchronise, time, measure memory.

They sit inside the timed loop, so they stay cheap: the callables are resolved once per hardware
(:func:`synchronizer`, :func:`device_timer`) and a CPU run never imports torch. CUDA and ROCm
devices are driven through ``torch.cuda`` (torch's ROCm build serves them under that API), MPS
through ``torch.mps``. Memory figures are in MB of 2**20 bytes.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import psutil

from benchmig.errors import InputError
from benchmig.framework import _torch
from benchmig.framework._hardware import normalize_hardware

__all__ = [
    "DeviceTimer",
    "PeakRssTracker",
    "device_memory_stats",
    "device_timer",
    "peak_rss_tracker",
    "reset_peak_memory",
    "synchronize",
    "synchronizer",
    "torch_device",
]

logger = logging.getLogger(__name__)

_MIB = float(2**20)
_TORCH_GPU = frozenset({"cuda", "rocm"})
_CLEAR_REFS = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def _split(hardware: str) -> tuple[str, int | None]:
    """``"cuda:1"`` -> ``("cuda", 1)``; ``"mps"`` -> ``("mps", None)``."""
    base, _, index = normalize_hardware(hardware).partition(":")
    return base, int(index) if index.isdigit() else None


def _require_torch(hardware: str) -> Any:
    torch = _torch.get_torch()
    if torch is None:
        reason = _torch.torch_import_error()
        raise InputError(f"hardware {hardware!r} needs torch, which is unavailable: {reason}")
    return torch


def torch_device(hardware: str) -> str:
    """The torch device string for a hardware name: ``"rocm:1"`` -> ``"cuda:1"``, else unchanged."""
    base, index = _split(hardware)
    if base == "rocm":
        return "cuda" if index is None else f"cuda:{index}"
    return normalize_hardware(hardware)


def _no_sync() -> None:
    """Nothing to wait for: CPU work is done when the call returns."""


def synchronizer(hardware: str) -> Callable[[], None]:
    """A no-argument callable that waits until ``hardware`` has finished queued work.

    Resolve it once before the timed loop; for ``"cpu"`` (and backends without an asynchronous
    queue) it is a no-op and torch is not imported.
    """
    base, index = _split(hardware)
    if base in _TORCH_GPU:
        return functools.partial(_require_torch(hardware).cuda.synchronize, index)
    if base == "mps":
        sync: Callable[[], None] = _require_torch(hardware).mps.synchronize
        return sync
    return _no_sync


def synchronize(hardware: str) -> None:
    """Wait until ``hardware`` has finished its queued work (no-op on CPU; torch is not used)."""
    if hardware != "cpu":
        synchronizer(hardware)()


class DeviceTimer(Protocol):
    """Times one block: ``start()`` before it, ``stop()`` after it returns the seconds it took."""

    def start(self) -> None:
        """Mark the start of the timed block."""

    def stop(self) -> float:
        """Mark the end of the timed block; the elapsed time in seconds."""


class _WallTimer:
    """``time.perf_counter_ns`` between start and stop, synchronising the device at both ends."""

    __slots__ = ("_start_ns", "_sync")

    def __init__(self, sync: Callable[[], None] | None = None) -> None:
        self._sync = sync
        self._start_ns: int | None = None

    def start(self) -> None:
        if self._sync is not None:
            self._sync()
        self._start_ns = time.perf_counter_ns()

    def stop(self) -> float:
        if self._sync is not None:
            self._sync()
        end_ns = time.perf_counter_ns()
        if self._start_ns is None:
            raise RuntimeError("timer stopped before it was started")
        return (end_ns - self._start_ns) / 1e9


class _CudaEventTimer:
    """A ``torch.cuda.Event(enable_timing=True)`` pair on the device's current stream."""

    __slots__ = ("_cuda", "_end", "_index", "_start", "_started")

    def __init__(self, torch: Any, index: int | None) -> None:
        self._cuda = torch.cuda
        self._index = index
        self._start = torch.cuda.Event(enable_timing=True)
        self._end = torch.cuda.Event(enable_timing=True)
        self._started = False

    def start(self) -> None:
        self._start.record(self._cuda.current_stream(self._index))
        self._started = True

    def stop(self) -> float:
        if not self._started:
            raise RuntimeError("timer stopped before it was started")
        self._end.record(self._cuda.current_stream(self._index))
        self._cuda.synchronize(self._index)
        return float(self._start.elapsed_time(self._end)) / 1000.0


def device_timer(hardware: str) -> DeviceTimer:
    """A reusable timer for ``hardware``: CUDA events on cuda/rocm, ``perf_counter_ns`` elsewhere.

    On MPS the wall-clock timer synchronises the device at start and stop, so queued GPU work is
    counted where it runs.
    """
    base, index = _split(hardware)
    if base in _TORCH_GPU:
        return _CudaEventTimer(_require_torch(hardware), index)
    if base == "mps":
        return _WallTimer(synchronizer(hardware))
    return _WallTimer()


def reset_peak_memory(hardware: str) -> None:
    """Reset the device allocator's peak counters (CUDA/ROCm); nothing to reset elsewhere."""
    base, index = _split(hardware)
    if base in _TORCH_GPU:
        _require_torch(hardware).cuda.reset_peak_memory_stats(index)


def device_memory_stats(hardware: str) -> dict[str, float]:
    """Peak device memory since :func:`reset_peak_memory`, in MB; ``{}`` where there is none.

    On cuda and rocm: ``cuda_peak_allocated_mb`` (tensors) and ``cuda_peak_reserved_mb``
    (the caching allocator's pool), from ``torch.cuda.max_memory_allocated/reserved``.
    """
    base, index = _split(hardware)
    if base not in _TORCH_GPU:
        return {}
    cuda = _require_torch(hardware).cuda
    return {
        "cuda_peak_allocated_mb": cuda.max_memory_allocated(index) / _MIB,
        "cuda_peak_reserved_mb": cuda.max_memory_reserved(index) / _MIB,
    }


def _rss_mb() -> float:
    return float(psutil.Process().memory_info().rss) / _MIB


def _reset_high_water_mark() -> bool:
    """Reset the kernel's peak-RSS mark (Linux >= 4.0); False where that is not possible."""
    try:
        with _CLEAR_REFS.open("w", encoding="ascii") as handle:
            handle.write("5")
    except OSError as exc:
        logger.debug("cannot reset peak RSS through %s: %s", _CLEAR_REFS, exc)
        return False
    return True


def _high_water_mark_mb() -> float | None:
    try:
        for line in _STATUS.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) * 1024 / _MIB  # the kernel reports kB
    except (OSError, IndexError, ValueError) as exc:
        logger.debug("cannot read VmHWM from %s: %s", _STATUS, exc)
    return None


class PeakRssTracker:
    """Measures the process' peak resident memory over a ``with`` block, in MB.

    On Linux it resets the kernel's high-water mark on entry and reads ``VmHWM`` on exit, which
    catches every peak at no cost. Where ``/proc/self/clear_refs`` is not writable it samples RSS
    from a background thread every ``interval_s`` seconds (short peaks can then be missed).
    The mark is process-wide: do not run two trackers at once.

    After the block: ``start_mb`` (RSS on entry), ``peak_mb``, ``increase_mb`` and ``method``
    (``"vmhwm"`` or ``"sampling"``).
    """

    def __init__(self, interval_s: float = 0.01) -> None:
        self.interval_s = interval_s
        self.method: str | None = None
        self.start_mb: float | None = None
        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sampled_mb = 0.0

    def __enter__(self) -> PeakRssTracker:
        self.peak_mb = None
        if _reset_high_water_mark():
            self.method = "vmhwm"
            self.start_mb = _rss_mb()
            return self
        self.method = "sampling"
        self.start_mb = self._sampled_mb = _rss_mb()
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, name="benchmig-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        current = _rss_mb()
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
            self.peak_mb = max(self._sampled_mb, current)
            return
        hwm = _high_water_mark_mb()
        self.peak_mb = max(hwm, current) if hwm is not None else current

    def _sample(self) -> None:
        process = psutil.Process()
        while not self._stop.wait(self.interval_s):
            try:
                rss = float(process.memory_info().rss) / _MIB
            except psutil.Error as exc:  # the process is ours, so this is unexpected: stop sampling
                logger.debug("RSS sampling stopped: %s", exc)
                return
            self._sampled_mb = max(self._sampled_mb, rss)

    @property
    def increase_mb(self) -> float | None:
        """How far the peak rose above the RSS on entry (never negative); None before exit."""
        if self.peak_mb is None or self.start_mb is None:
            return None
        return max(0.0, self.peak_mb - self.start_mb)


def peak_rss_tracker(interval_s: float = 0.01) -> PeakRssTracker:
    """A :class:`PeakRssTracker` to use as ``with peak_rss_tracker() as rss: ...; rss.peak_mb``."""
    return PeakRssTracker(interval_s)
