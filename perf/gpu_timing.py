"""GPU timing accuracy of ``migrate run``, in one run: the figures of docs/performance.md.

    python perf/gpu_timing.py --out perf-results/gpu

Runs ``migrate run perf/gpu_benchmarks.py --hardware cuda`` and, in the same script right
after, times the same operations by hand two ways: CUDA events around a loop of calls after a
warm-up (the reference), and ``time.perf_counter()`` around one call with no synchronisation
(the legacy mistake the framework exists to avoid). Prints the ratios against the reference.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # a script of this folder, not a benchmark module

from gpu_benchmarks import MATMUL_SIZES, SLEEP_CYCLES  # noqa: E402

_WARMUP, _LOOP, _REPEATS = 10, 50, 7


def _runner_median_ms(document: dict[str, Any], name: str, **params: object) -> float:
    for case in document["results"]:
        if case["benchmark"] == name and case["params"] == params:
            if case["status"] != "ok":
                raise RuntimeError(f"{name} {params}: {case['status']}")
            return float(case["metrics"]["latency_ms"]["median"])
    raise KeyError(name)


def _events_ms(call: Callable[[], Any]) -> float:
    """Median over repeats of (CUDA-event time of a loop of calls) / calls."""
    for _ in range(_WARMUP):
        call()
    torch.cuda.synchronize()
    per_call = []
    for _ in range(_REPEATS):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(_LOOP):
            call()
        end.record()
        end.synchronize()
        per_call.append(start.elapsed_time(end) / _LOOP)
    return statistics.median(per_call)


def _unsynced_ms(call: Callable[[], Any]) -> float:
    """Median of perf_counter() around one call, no synchronisation (the legacy mistake)."""
    times = []
    for _ in range(_REPEATS):
        torch.cuda.synchronize()
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1e3)
    torch.cuda.synchronize()
    return statistics.median(times)


def _operations() -> list[tuple[str, dict[str, int], Callable[[], Any]]]:
    ops: list[tuple[str, dict[str, int], Callable[[], Any]]] = []
    for n in MATMUL_SIZES:
        a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
        b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
        ops.append(("gpu_matmul_bf16", {"n": n}, lambda a=a, b=b: a @ b))
    for cycles in SLEEP_CYCLES:
        ops.append(("gpu_sleep", {"cycles": cycles}, lambda c=cycles: torch.cuda._sleep(c)))
    return ops


def main() -> int:
    """Run the benchmarks, time the same operations by hand, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("perf-results/gpu"))
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to measure", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "benchmig.cli", "run", str(HERE / "gpu_benchmarks.py")]
    cmd += ["--hardware", "cuda", "--output-dir", str(args.out), "--no-history", "-q"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    document = json.loads((args.out / "results.json").read_text())
    rows = []
    for name, params, call in _operations():
        runner = _runner_median_ms(document, name, **params)
        events = _events_ms(call)
        unsynced = _unsynced_ms(call)
        rows.append(
            {
                "benchmark": name,
                "params": params,
                "runner_ms": runner,
                "cuda_events_ms": events,
                "unsynced_perf_counter_ms": unsynced,
                "runner_over_events": runner / events,
                "unsynced_over_events": unsynced / events,
            }
        )
    figures = {"device": torch.cuda.get_device_name(0), "torch": torch.__version__, "rows": rows}
    (args.out / "figures.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
