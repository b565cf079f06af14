"""A stand-in for torch that exercises the CUDA, ROCm and MPS code paths on a CPU-only machine.

It records every device call in ``calls`` so tests can assert what benchmig asked of torch.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from benchmig.framework import _hardware, _torch
from benchmig.framework._hardware_probes import probe_hardware


def gpu(
    name: str = "NVIDIA H100 80GB HBM3",
    memory: int = 80 * 2**30,
    major: int = 9,
    minor: int = 0,
    **extra: Any,
) -> SimpleNamespace:
    """Device properties as ``torch.cuda.get_device_properties`` returns them."""
    return SimpleNamespace(
        name=name, total_memory=memory, major=major, minor=minor, multi_processor_count=132, **extra
    )


class FakeEvent:
    """``torch.cuda.Event``: ``record`` stamps the fake clock, ``elapsed_time`` is in ms."""

    def __init__(self, cuda: FakeCuda, enable_timing: bool = False) -> None:
        self.cuda = cuda
        self.enable_timing = enable_timing
        self.stamp_ms: float | None = None

    def record(self, stream: Any = None) -> None:
        self.cuda.calls.append(("record", stream))
        self.stamp_ms = self.cuda.clock_ms

    def elapsed_time(self, end: FakeEvent) -> float:
        assert self.enable_timing and end.enable_timing, "events need enable_timing=True"
        assert self.stamp_ms is not None and end.stamp_ms is not None, "record both events first"
        return end.stamp_ms - self.stamp_ms


class FakeCuda:
    """``torch.cuda`` with a list of devices, a fake clock and a call log."""

    def __init__(
        self, devices: Sequence[SimpleNamespace], available: bool, fail: Exception | None
    ) -> None:
        self.devices = list(devices)
        self.available = available
        self.fail = fail
        self.clock_ms = 0.0
        self.calls: list[tuple[str, Any]] = []

    def is_available(self) -> bool:
        return self.available

    def device_count(self) -> int:
        return len(self.devices)

    def get_device_properties(self, index: int) -> SimpleNamespace:
        if self.fail is not None:
            raise self.fail
        return self.devices[index]

    def Event(self, enable_timing: bool = False) -> FakeEvent:  # torch's spelling
        return FakeEvent(self, enable_timing)

    def current_stream(self, device: int | None = None) -> tuple[str, int | None]:
        return ("stream", device)

    def synchronize(self, device: int | None = None) -> None:
        self.calls.append(("synchronize", device))

    def reset_peak_memory_stats(self, device: int | None = None) -> None:
        self.calls.append(("reset_peak_memory_stats", device))

    def max_memory_allocated(self, device: int | None = None) -> int:
        return 3 * 2**20

    def max_memory_reserved(self, device: int | None = None) -> int:
        return 8 * 2**20


def make_torch(
    *,
    cuda: str | None = "12.4",
    hip: str | None = None,
    devices: Sequence[SimpleNamespace] = (),
    available: bool | None = None,
    fail: Exception | None = None,
    mps_built: bool = False,
    mps_available: bool = False,
) -> SimpleNamespace:
    """A fake torch module; ``available`` defaults to "has devices"."""
    fake_cuda = FakeCuda(devices, bool(devices) if available is None else available, fail)
    calls = fake_cuda.calls
    mps = SimpleNamespace(
        synchronize=lambda: calls.append(("mps.synchronize", None)),
        recommended_max_memory=lambda: 16 * 2**30,
    )
    backends = SimpleNamespace(
        mps=SimpleNamespace(is_built=lambda: mps_built, is_available=lambda: mps_available),
        cudnn=SimpleNamespace(version=lambda: 90100 if devices else None),
    )
    return SimpleNamespace(
        __version__="2.13.0+fake",
        version=SimpleNamespace(cuda=cuda, hip=hip),
        cuda=fake_cuda,
        mps=mps,
        backends=backends,
        _C=SimpleNamespace(_cuda_getDriverVersion=lambda: 12040),
        calls=calls,
    )


def isolate_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give ``detect_hardware`` a private cache for the rest of the test.

    What a test detects with a fake (or hidden) torch must not be what later tests get.
    """
    monkeypatch.setattr(_hardware, "_detect_cached", functools.cache(probe_hardware))


def install_torch(monkeypatch: pytest.MonkeyPatch, torch: Any) -> None:
    """Make ``_torch.get_torch()`` return ``torch`` (a fake) for the rest of the test."""
    isolate_detection(monkeypatch)
    monkeypatch.setattr(_torch, "get_torch", lambda: torch)


@contextlib.contextmanager
def torch_hidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside the block torch cannot be imported, as on a machine without it."""
    isolate_detection(monkeypatch)
    monkeypatch.setitem(sys.modules, "torch", None)
    _torch.get_torch.cache_clear()
    try:
        yield
    finally:
        # Forget the hidden state; the monkeypatch gives sys.modules its torch back afterwards.
        _torch.get_torch.cache_clear()
