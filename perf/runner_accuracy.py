"""Runner accuracy and overhead, in one run: the figures of docs/performance.md.

    python perf/runner_accuracy.py --out perf-results/runner

Runs ``migrate run perf/runner_benchmarks.py`` and, in the same script right after, ``timeit`` on
the same empty call (the baseline of the per-call overhead), then prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # a script of this folder, not a benchmark module

from runner_benchmarks import EmptyCall  # noqa: E402


def _median(document: dict[str, object], name: str, **params: object) -> float:
    for case in document["results"]:  # type: ignore[attr-defined]
        if case["benchmark"] == name and case["params"] == params:
            return float(case["metrics"]["latency_ms"]["median"])
    raise KeyError(name)


def main() -> int:
    """Run the benchmarks, measure timeit's baseline, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("perf-results/runner"))
    args = parser.parse_args()
    cmd = [
        sys.executable,
        "-m",
        "benchmig.cli",
        "run",
        str(HERE / "runner_benchmarks.py"),
        "--output-dir",
        str(args.out),
        "--no-history",
        "-q",
    ]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    document = json.loads((args.out / "results.json").read_text())
    timer = timeit.Timer(EmptyCall().execute)  # the same bound method the runner calls
    loops, _ = timer.autorange()
    timeit_ns = min(timer.repeat(repeat=7, number=loops)) / loops * 1e9
    figures = {
        "sleep_5ms_median_ms": _median(document, "perf_sleep_5ms"),
        "work_4x_over_1x": _median(document, "perf_work", units=4)
        / _median(document, "perf_work", units=1),
        "empty_call_runner_ns": _median(document, "perf_empty_call") * 1e6,
        "empty_call_timeit_ns": timeit_ns,
    }
    figures["sleep_error_pct"] = (figures["sleep_5ms_median_ms"] / 5.0 - 1) * 100
    figures["runner_over_timeit"] = figures["empty_call_runner_ns"] / timeit_ns
    (args.out / "figures.json").write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
