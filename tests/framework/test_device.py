"""Device synchronisation, timers and memory measurement, on CPU and through a fake GPU torch."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmig.errors import InputError
from benchmig.framework import _device, _torch
from benchmig.framework._device import (
    device_memory_stats,
    device_timer,
    peak_rss_tracker,
    reset_peak_memory,
    synchronize,
    synchronizer,
    torch_device,
)
from tests.framework.fake_torch import gpu, install_torch, make_torch, torch_hidden

_MB = 2**20


@pytest.fixture
def no_torch(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with torch_hidden(monkeypatch):
        yield


def _forbid_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("torch was requested for CPU work")

    monkeypatch.setattr(_torch, "get_torch", fail)


def test_cpu_helpers_never_import_torch() -> None:
    # A fresh interpreter: this process has probably imported torch already.
    code = (
        "import sys\n"
        "from benchmig.framework import _device as d\n"
        "d.synchronize('cpu'); d.synchronizer('cpu')(); d.reset_peak_memory('cpu')\n"
        "t = d.device_timer('cpu'); t.start(); t.stop()\n"
        "assert d.device_memory_stats('cpu') == {}\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_cpu_helpers_do_not_ask_for_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    _forbid_torch(monkeypatch)
    synchronize("cpu")
    synchronize("CPU:0")
    synchronizer("openvino:gpu.0")()
    reset_peak_memory("cpu")
    assert device_memory_stats("cpu") == {}
    timer = device_timer("cpu")
    timer.start()
    assert timer.stop() >= 0.0


@pytest.mark.parametrize(
    ("hardware", "device"), [("cuda", None), ("cuda:1", 1), ("GPU:0", 0), ("rocm:2", 2)]
)
def test_synchronize_gpu_waits_on_the_named_device(
    monkeypatch: pytest.MonkeyPatch, hardware: str, device: int | None
) -> None:
    fake = make_torch(devices=[gpu()])
    install_torch(monkeypatch, fake)
    synchronize(hardware)
    assert fake.calls == [("synchronize", device)]


def test_synchronize_mps(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(mps_built=True, mps_available=True)
    install_torch(monkeypatch, fake)
    synchronize("mps")
    assert fake.calls == [("mps.synchronize", None)]


@pytest.mark.usefixtures("no_torch")
def test_gpu_hardware_without_torch_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"'cuda:0' needs torch.*not installed"):
        synchronize("cuda:0")
    with pytest.raises(InputError):
        device_timer("mps")


def test_unknown_hardware_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown hardware"):
        synchronize("tpu")


def test_cuda_timer_uses_an_event_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(devices=[gpu(), gpu()])
    install_torch(monkeypatch, fake)
    timer = device_timer("cuda:1")

    timer.start()
    fake.cuda.clock_ms += 2.5  # the "GPU" takes 2.5 ms
    elapsed = timer.stop()

    assert elapsed == pytest.approx(0.0025)
    assert fake.calls == [
        ("record", ("stream", 1)),
        ("record", ("stream", 1)),
        ("synchronize", 1),
    ]
    # Reusable: a second measurement starts from a fresh start stamp.
    timer.start()
    fake.cuda.clock_ms += 1.0
    assert timer.stop() == pytest.approx(0.001)


def test_timers_refuse_stop_before_start(monkeypatch: pytest.MonkeyPatch) -> None:
    install_torch(monkeypatch, make_torch(devices=[gpu()]))
    for hardware in ("cpu", "cuda"):
        with pytest.raises(RuntimeError, match="before it was started"):
            device_timer(hardware).stop()


def test_mps_timer_synchronises_at_both_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(mps_built=True, mps_available=True)
    install_torch(monkeypatch, fake)
    timer = device_timer("mps")
    timer.start()
    assert fake.calls == [("mps.synchronize", None)]
    assert timer.stop() >= 0.0
    assert fake.calls == [("mps.synchronize", None)] * 2


def test_cpu_timer_measures_wall_time() -> None:
    timer = device_timer("cpu")
    timer.start()
    time.sleep(0.02)
    elapsed = timer.stop()
    assert 0.02 <= elapsed < 1.0


def test_cuda_memory_stats(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = make_torch(devices=[gpu()])
    install_torch(monkeypatch, fake)
    reset_peak_memory("cuda:0")
    assert fake.calls == [("reset_peak_memory_stats", 0)]
    assert device_memory_stats("cuda:0") == {
        "cuda_peak_allocated_mb": 3.0,
        "cuda_peak_reserved_mb": 8.0,
    }
    assert device_memory_stats("mps") == {}


@pytest.mark.parametrize(
    ("hardware", "expected"),
    [("cpu", "cpu"), ("GPU", "cuda"), ("cuda:1", "cuda:1"), ("rocm", "cuda"), ("rocm:1", "cuda:1")],
)
def test_torch_device(hardware: str, expected: str) -> None:
    assert torch_device(hardware) == expected


def _allocate(megabytes: int) -> bytearray:
    # Repetition writes every byte, so the pages are really resident (unlike a calloc'ed buffer).
    return bytearray(b"\x01") * (megabytes * _MB)


def test_peak_rss_tracker_sees_a_200_mb_allocation() -> None:
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux /proc/self/clear_refs")
    with peak_rss_tracker() as rss:
        block = _allocate(200)
        del block
    assert rss.method == "vmhwm"
    assert rss.increase_mb is not None and rss.increase_mb >= 190
    assert rss.peak_mb is not None and rss.start_mb is not None
    assert rss.peak_mb >= rss.start_mb + 190


def test_peak_rss_tracker_resets_between_uses() -> None:
    if not Path("/proc/self/clear_refs").exists():
        pytest.skip("needs Linux /proc/self/clear_refs")
    with peak_rss_tracker():
        block = _allocate(200)
        del block
    with peak_rss_tracker() as quiet:
        pass
    assert quiet.increase_mb is not None and quiet.increase_mb < 50


def test_peak_rss_tracker_samples_where_clear_refs_is_not_writable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_device, "_CLEAR_REFS", tmp_path / "missing" / "clear_refs")
    with peak_rss_tracker(interval_s=0.002) as rss:
        block = _allocate(200)
        time.sleep(0.1)  # let the sampler see it
        del block
    assert rss.method == "sampling"
    assert rss.increase_mb is not None and rss.increase_mb >= 150
    assert rss._thread is None  # the sampler was stopped and joined
