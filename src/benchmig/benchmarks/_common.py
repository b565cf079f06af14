"""Helpers shared by the built-in benchmarks: torch access, self-timed calls and percentiles."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any, TypeVar

from benchmig.errors import BenchmigError
from benchmig.framework import _torch

__all__ = [
    "MissingDependencyError",
    "latency_percentiles",
    "percentile",
    "require_torch",
    "steady_state",
    "timed_call",
]

_T = TypeVar("_T")

TORCH_FREE = "memory_bandwidth_numpy and the resource_pool benchmarks run without torch"


class MissingDependencyError(BenchmigError):
    """A built-in benchmark needs an optional package (torch) that is not importable here."""


def require_torch(benchmark: str) -> ModuleType:
    """The torch module, or a :class:`MissingDependencyError` saying what to do without it."""
    torch = _torch.get_torch()
    if torch is None:
        reason = _torch.torch_import_error()
        raise MissingDependencyError(
            f"benchmark {benchmark!r} needs torch, which is unavailable: {reason}; install it "
            f"({_torch.TORCH_INSTALL_HINT}) or leave the benchmark out with --filter or a suite "
            f"({TORCH_FREE})"
        )
    return torch


def timed_call(call: Callable[[], Any], sync: Callable[[], None]) -> float:
    """Seconds one ``call()`` takes, with the device synchronised before and after it."""
    sync()
    start = time.perf_counter()
    call()
    sync()
    return time.perf_counter() - start


def steady_state(values: Sequence[_T]) -> list[_T]:
    """The values a benchmark recorded in one process, less the first call (lazy initialisation).

    With a single value there is nothing else: it is returned as it is.
    """
    return list(values[1:]) if len(values) > 1 else list(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation between ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """``p50_latency_ms``, ``p90_latency_ms`` and ``p99_latency_ms`` of latencies in seconds."""
    if not seconds:
        return {}
    return {f"p{q}_latency_ms": percentile(seconds, q) * 1000.0 for q in (50, 90, 99)}
