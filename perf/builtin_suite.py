"""The built-in suite's wall time, and its matmul and bandwidth figures against direct torch timing.

    python perf/builtin_suite.py --out perf-results/builtin

Times ``torch.matmul`` and the STREAM copy and triad kernels directly on the suite's sizes, runs
``migrate run --suite examples/performance_suite.json`` (timed as a whole, like ``time``), times
the kernels directly again, then prints the ratios suite / direct (1.0 = agreement), the direct
figure being the geometric mean of the measurements before and after the suite. ``*_drift`` is
after / before: how much the machine itself changed meanwhile (other jobs on shared cores).
Also times ``import torch`` in a fresh interpreter: every worker process that runs a torch
benchmark pays it once.

``--rounds N`` then repeats, N times, the comparison alone: the suite's matmul and bandwidth
cases (the same entries, run by ``migrate run``) bracketed by direct measurements, a minute at
most per round; the ratios reported are the rounds' medians. On shared cores whose speed moves
by tens of percent within a minute, a single bracket can be far off; the median of short
brackets is the figure to quote.
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
SUITE = ROOT / "examples" / "performance_suite.json"
MIB = 2**20


def _metric(document: dict[str, Any], name: str, value: str, **params: object) -> float:
    for case in document["results"]:
        if case["benchmark"] == name and all(case["params"][k] == v for k, v in params.items()):
            return float(case["metrics"][value])
    raise KeyError(f"{name} {params} not in the results")


def _median_seconds(
    call: Callable[[], object], min_time: float = 1.0, min_calls: int = 10
) -> float:
    """Median seconds per call, after one warm-up call, over at least ``min_time`` seconds."""
    call()
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < min_calls or time.perf_counter() - started < min_time:
        begin = time.perf_counter()
        call()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def _direct(size: int, size_mb: int) -> dict[str, float]:
    """torch.matmul GFLOP/s and copy/triad GB/s measured here, on the suite's sizes."""
    import torch

    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=generator) for _ in range(2))
    out = torch.empty(size, size)
    matmul_s = _median_seconds(lambda: torch.matmul(a, b, out=out))
    n = size_mb * MIB // 4
    x, y, z = torch.full((n,), 1.0), torch.full((n,), 2.0), torch.full((n,), 0.5)
    copy_s = _median_seconds(lambda: y.copy_(x))
    triad_s = _median_seconds(lambda: torch.add(y, z, alpha=3.0, out=x))
    return {
        "direct_gflops": 2 * size**3 / matmul_s / 1e9,
        "direct_copy_gb_s": 2 * n * 4 / copy_s / 1e9,
        "direct_triad_gb_s": 3 * n * 4 / triad_s / 1e9,
    }


def _torch_import_s() -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


_HARDWARE_CASES = ("matmul_gflops", "memory_bandwidth")


def _suite_hardware(document: dict[str, Any], size: int) -> dict[str, float]:
    figures = {"suite_gflops": _metric(document, "matmul_gflops", "gflops", size=size)}
    for op in ("copy", "triad"):
        figures[f"suite_{op}_gb_s"] = _metric(document, "memory_bandwidth", "bandwidth_gb_s", op=op)
    return figures


def _ratios(
    suite: dict[str, float], before: dict[str, float], after: dict[str, float]
) -> dict[str, float]:
    ratios = {}
    for name, suite_name in (("gflops", "gflops"), ("copy", "copy_gb_s"), ("triad", "triad_gb_s")):
        key = f"direct_{suite_name}"
        ratios[f"{name}_suite_over_direct"] = suite[f"suite_{suite_name}"] / math.sqrt(
            before[key] * after[key]
        )
        ratios[f"{name}_direct_drift"] = after[key] / before[key]
    return ratios


def _rounds(
    suite: dict[str, Any], out: Path, count: int, size: int, size_mb: int
) -> dict[str, Any]:
    """The hardware cases alone, bracketed by direct measurements, ``count`` times."""
    small = dict(suite, benchmarks=[e for e in suite["benchmarks"] if e["name"] in _HARDWARE_CASES])
    path = out / "hardware-suite.json"
    path.write_text(json.dumps(small))
    rounds = []
    for number in range(count):
        folder = out / f"round-{number}"
        cmd = [sys.executable, "-m", "benchmig.cli", "run", "--suite", str(path)]
        cmd += ["--output-dir", str(folder), "--no-history", "-q"]
        before = _direct(size, size_mb)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        after = _direct(size, size_mb)
        document = json.loads((folder / "results.json").read_text())
        rounds.append(_ratios(_suite_hardware(document, size), before, after))
        print(json.dumps(rounds[-1]), file=sys.stderr, flush=True)
    medians = {f"{k}_median": statistics.median(r[k] for r in rounds) for k in rounds[0]}
    return {"rounds": rounds, **medians}


def main() -> int:
    """Run the suite, time torch directly, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("perf-results/builtin"))
    parser.add_argument("--rounds", type=int, default=0, help="brackets of the hardware cases")
    args = parser.parse_args()
    suite = json.loads(SUITE.read_text())
    entries = {e["name"]: e for e in suite["benchmarks"]}
    size = entries["matmul_gflops"]["params"]["size"][0]
    size_mb = entries["memory_bandwidth"]["params"]["size_mb"][0]
    cmd = [sys.executable, "-m", "benchmig.cli", "run", "--suite", str(SUITE)]
    cmd += ["--output-dir", str(args.out), "--no-history", "-q"]
    before = _direct(size, size_mb)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    figures: dict[str, float] = {"suite_wall_s": time.perf_counter() - started}
    after = _direct(size, size_mb)
    document = json.loads((args.out / "results.json").read_text())
    figures["suite_gflops"] = _metric(document, "matmul_gflops", "gflops", size=size)
    for op in ("copy", "triad"):
        figures[f"suite_{op}_gb_s"] = _metric(document, "memory_bandwidth", "bandwidth_gb_s", op=op)
        numpy = _metric(document, "memory_bandwidth_numpy", "bandwidth_gb_s", op=op)
        figures[f"suite_numpy_{op}_gb_s"] = numpy
    for name, suite_name in (("gflops", "gflops"), ("copy", "copy_gb_s"), ("triad", "triad_gb_s")):
        key = f"direct_{suite_name}"
        figures[key] = math.sqrt(before[key] * after[key])
        figures[f"{name}_suite_over_direct"] = figures[f"suite_{suite_name}"] / figures[key]
        figures[f"{name}_direct_drift"] = after[key] / before[key]
    figures["lost_requests"] = sum(
        case["metrics"].get("lost_requests", 0.0) for case in document["results"]
    )
    figures["failed_cases"] = sum(case["status"] != "ok" for case in document["results"])
    figures["torch_import_s"] = _torch_import_s()
    output: dict[str, Any] = dict(figures)
    if args.rounds > 0:
        output["rounds"] = _rounds(suite, args.out, args.rounds, size, size_mb)
    (args.out / "figures.json").write_text(json.dumps(output, indent=2))
    print(json.dumps(output, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
