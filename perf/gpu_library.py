"""The built-in library on a CUDA device, against the same operations timed directly.

    python perf/gpu_library.py --out perf-results/gpu-library

Times ``torch.matmul`` (float32, float16, bfloat16), the STREAM copy and triad kernels and a
host-to-device copy directly with CUDA events (median of 7 windows of 20 calls after 5 warm-up
calls), runs ``migrate run --suite perf/gpu_suite.json`` (timed as a whole), times the kernels
directly again, and prints suite / direct for each figure (1.0 = agreement; the direct figure is
the geometric mean of before and after, ``*_drift`` is after / before). Also reports what the
model benchmarks measured on the device (latency percentiles, throughput, CUDA allocator peaks),
the scenarios' figures, and the device peaks the library knows.

Needs torch with a CUDA device; a plain script, not a registered benchmark.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "perf" / "gpu_suite.json"
MIB = 2**20


def _cases(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [case for case in document["results"] if case["benchmark"] == name]


def _metric(document: dict[str, Any], name: str, value: str, **params: object) -> float:
    for case in _cases(document, name):
        if all(case["params"][k] == v for k, v in params.items()):
            return float(case["metrics"][value])
    raise KeyError(f"{name} {params} not in the results")


def _event_seconds(torch: Any, call: Callable[[], object], calls: int = 20) -> float:
    """Median seconds per call over 7 windows of ``calls`` calls, timed with CUDA events."""
    for _ in range(5):
        call()
    torch.cuda.synchronize()
    windows = []
    for _ in range(7):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(calls):
            call()
        stop.record()
        stop.synchronize()
        windows.append(start.elapsed_time(stop) / 1000 / calls)
    return float(statistics.median(windows))


def _matmul_gflops(torch: Any, size: int, dtype_name: str) -> float:
    dtype = getattr(torch, dtype_name)
    a, b = (torch.randn(size, size, device="cuda").to(dtype) for _ in range(2))
    out = torch.empty(size, size, device="cuda", dtype=dtype)
    seconds = _event_seconds(torch, lambda: torch.matmul(a, b, out=out))
    return 2 * size**3 / seconds / 1e9


def _stream_gb_s(torch: Any, size_mb: int) -> tuple[float, float]:
    """Copy and triad GB/s (STREAM counting: 2 and 3 arrays moved)."""
    n = size_mb * MIB // 4
    x, y, z = (torch.full((n,), v, device="cuda") for v in (1.0, 2.0, 0.5))
    copy_s = _event_seconds(torch, lambda: y.copy_(x))
    triad_s = _event_seconds(torch, lambda: torch.add(y, z, alpha=3.0, out=x))
    return 2 * n * 4 / copy_s / 1e9, 3 * n * 4 / triad_s / 1e9


def _h2d_gb_s(torch: Any, size_mb: int, pinned: bool) -> float:
    count = size_mb * MIB // 4
    device_buffer = torch.empty(count, device="cuda")
    host = torch.ones(count, pin_memory=pinned)
    call = lambda: device_buffer.copy_(host, non_blocking=pinned)  # noqa: E731
    return size_mb * MIB / _event_seconds(torch, call, calls=5) / 1e9


def _direct(suite: dict[str, Any]) -> dict[str, float]:
    """The suite's hardware figures measured here, directly, on the suite's sizes."""
    import torch

    entries = {e["name"]: e["params"] for e in suite["benchmarks"]}
    figures: dict[str, float] = {}
    for name in ("matmul_gflops", "matmul_gflops_half"):
        size = int(entries[name]["size"][0])
        for dtype_name in entries[name]["dtype"]:
            figures[f"direct_{dtype_name}_gflops"] = _matmul_gflops(torch, size, dtype_name)
    copy, triad = _stream_gb_s(torch, int(entries["memory_bandwidth"]["size_mb"][0]))
    figures["direct_copy_gb_s"], figures["direct_triad_gb_s"] = copy, triad
    h2d_mb = int(entries["host_to_device"]["size_mb"][0])
    for pinned in (True, False):
        kind = "pinned" if pinned else "pageable"
        figures[f"direct_h2d_{kind}_gb_s"] = _h2d_gb_s(torch, h2d_mb, pinned)
    torch.cuda.empty_cache()
    return figures


def _suite_figures(document: dict[str, Any], suite: dict[str, Any]) -> dict[str, float]:
    entries = {e["name"]: e["params"] for e in suite["benchmarks"]}
    figures = {
        "suite_float32_gflops": _metric(document, "matmul_gflops", "gflops", dtype="float32"),
        "suite_copy_gb_s": _metric(document, "memory_bandwidth", "bandwidth_gb_s", op="copy"),
        "suite_triad_gb_s": _metric(document, "memory_bandwidth", "bandwidth_gb_s", op="triad"),
    }
    for dtype in entries["matmul_gflops_half"]["dtype"]:
        figures[f"suite_{dtype}_gflops"] = _metric(
            document, "matmul_gflops_half", "gflops", dtype=dtype
        )
    for pinned in (True, False):
        key = f"suite_h2d_{'pinned' if pinned else 'pageable'}_gb_s"
        figures[key] = _metric(document, "host_to_device", "bandwidth_gb_s", pinned=pinned)
    return figures


def _details(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every case with its status, hardware and metrics (the device figures to read)."""
    return [
        {
            "benchmark": case["benchmark"],
            "params": case["params"],
            "hardware": case.get("hardware"),
            "status": case["status"],
            "error": case.get("error"),
            "metrics": case.get("metrics", {}),
        }
        for case in document["results"]
    ]


def main() -> int:
    """Time directly, run the suite, time again; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("perf-results/gpu-library"))
    parser.add_argument("--suite", type=Path, default=SUITE)
    args = parser.parse_args()
    suite = json.loads(args.suite.read_text())
    before = _direct(suite)
    cmd = [sys.executable, "-m", "benchmig.cli", "run", "--suite", str(args.suite)]
    cmd += ["--output-dir", str(args.out), "--no-history", "-q"]
    started = time.perf_counter()
    completed = subprocess.run(cmd, check=False)
    figures: dict[str, float] = {
        "suite_wall_s": time.perf_counter() - started,
        "suite_exit_code": completed.returncode,
    }
    after = _direct(suite)
    document = json.loads((args.out / "results.json").read_text())
    suite_figures = _suite_figures(document, suite)
    figures.update(suite_figures)
    for key in before:
        name = key.removeprefix("direct_")
        figures[key] = math.sqrt(before[key] * after[key])
        figures[f"{name}_suite_over_direct"] = suite_figures[f"suite_{name}"] / figures[key]
        figures[f"{name}_direct_drift"] = after[key] / before[key]
    figures["failed_cases"] = sum(case["status"] != "ok" for case in document["results"])
    output = {"figures": figures, "cases": _details(document)}
    (args.out / "figures.json").write_text(json.dumps(output, indent=2))
    print(json.dumps(figures, indent=2))
    return 0 if figures["failed_cases"] == 0 and completed.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
