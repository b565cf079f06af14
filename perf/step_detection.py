"""Step detection of the history dashboard: this machine's noise, then detection on synthetic data.

Two parts, both recorded in docs/performance.md ("Step detection in the history dashboard"):

``noise``: runs ``migrate run perf/aa_benchmarks.py`` ``--runs`` times (a pure-Python loop and a
5 ms sleep) and reports, per benchmark, the run-to-run spread of the latency medians: the stdev
of ``log(median)`` (what :func:`benchmig.framework._steps.detect_steps` calls the noise), the
history store's robust figure for it (``noise_of_medians``) and the largest ratio between two
runs.

``simulate``: synthetic histories of ``--length`` run medians with log-normal noise of each
``--noise`` level (and, with ``--empirical noise.json``, with the run-to-run deviations the
``noise`` part measured, resampled); ``--series`` histories without any step (false alarms) and as
many with one step of each ``--steps`` size at a random run. A step counts as detected when a
reported step of the right sign starts within ``--tolerance`` runs of the true one.
``--outliers`` replaces that fraction of the points by a 4-sigma excursion (a run disturbed by
a neighbour), to check robustness.

    python perf/step_detection.py noise --runs 10 --out perf-results/noise.json
    python perf/step_detection.py simulate --noise 0.002 0.02 0.15 \\
        --empirical perf-results/noise.json --out perf-results/steps.json
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmig.framework._history import noise_of_medians
from benchmig.framework._steps import StepSettings, detect_steps

HERE = Path(__file__).resolve().parent


def _one_run(out: Path) -> dict[str, float]:
    cmd = [sys.executable, "-m", "benchmig.cli", "run", str(HERE / "aa_benchmarks.py")]
    cmd += ["--output-dir", str(out), "--no-history", "-q"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    document = json.loads((out / "results.json").read_text())
    return {
        case["benchmark"]: float(case["metrics"]["latency_ms"]["median"])
        for case in document["results"]
        if case["status"] == "ok"
    }


def measure_noise(runs: int) -> dict[str, Any]:
    """Run the A/A benchmarks ``runs`` times; the spread of each benchmark's run medians."""
    medians: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="benchmig-noise-") as tmp:
        for index in range(runs):
            for name, value in _one_run(Path(tmp) / str(index)).items():
                medians.setdefault(name, []).append(value)
            print(f"run {index + 1}/{runs}: {medians}", file=sys.stderr, flush=True)
    return {
        name: {
            "medians_ms": values,
            "log_stdev": statistics.stdev(math.log(v) for v in values),
            "robust_noise": noise_of_medians(values),
            "max_over_min": max(values) / min(values),
        }
        for name, values in medians.items()
    }


Noise = Callable[[np.random.Generator, int], "np.ndarray[Any, np.dtype[np.float64]]"]


def _gaussian(sigma: float) -> Noise:
    return lambda rng, size: rng.normal(0.0, sigma, size)


def _resampled(medians: list[float]) -> Noise:
    logs = np.log(np.array(medians))
    residuals = logs - logs.mean()
    return lambda rng, size: rng.choice(residuals, size=size, replace=True)


def _series(
    rng: np.random.Generator, args: argparse.Namespace, noise: Noise, step: float, at: int
) -> list[float]:
    logs = noise(rng, args.length)
    logs[at:] += math.log1p(step)
    hit = rng.random(args.length) < args.outliers
    logs[hit] += rng.choice([-4.0, 4.0], size=int(hit.sum())) * float(np.std(logs))
    return [float(v) for v in np.exp(logs) * 10.0]


def _trial(
    rng: np.random.Generator, args: argparse.Namespace, noise: Noise, step: float
) -> tuple[bool, int]:
    """One synthetic history: (the injected step was found, number of false steps)."""
    settings = StepSettings(penalty=args.penalty)
    low, high = settings.min_size, args.length - settings.min_size
    at = int(rng.integers(low, high + 1))
    found = detect_steps(_series(rng, args, noise, step, at), settings=settings)
    hits = [
        s
        for s in found
        if step and abs(s.index - at) <= args.tolerance and (s.change > 0) == (step > 0)
    ]
    return bool(hits), len(found) - min(len(hits), 1)


def _noises(args: argparse.Namespace) -> dict[str, Noise]:
    noises = {f"gaussian {sigma:g}": _gaussian(sigma) for sigma in args.noise}
    if args.empirical is not None:
        measured = json.loads(args.empirical.read_text())["benchmarks"]
        for name, data in measured.items():
            label = f"measured {name} ({data['log_stdev']:.3g})"
            noises[label] = _resampled(data["medians_ms"])
    return noises


def simulate(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Detection and false-alarm rates for every (noise, step) pair."""
    rng = np.random.default_rng(args.seed)
    rows = []
    for label, noise in _noises(args).items():
        for step in [0.0, *args.steps]:
            trials = [_trial(rng, args, noise, step) for _ in range(args.series)]
            rows.append(
                {
                    "noise": label,
                    "step": step,
                    "series": args.series,
                    "detected": sum(hit for hit, _ in trials) / args.series if step else None,
                    "false_alarm_series": sum(1 for _, extra in trials if extra) / args.series,
                    "false_steps_per_series": sum(extra for _, extra in trials) / args.series,
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def main() -> int:
    """Parse the command line, run one part, write its JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="part", required=True)
    noise = sub.add_parser("noise", help="measure run-to-run noise with migrate run")
    noise.add_argument("--runs", type=int, default=10)
    sim = sub.add_parser("simulate", help="detection and false alarms on synthetic histories")
    sim.add_argument("--noise", type=float, nargs="+", default=[0.02, 0.15])
    sim.add_argument("--steps", type=float, nargs="+", default=[0.05, 0.10, 0.20])
    sim.add_argument("--length", type=int, default=30)
    sim.add_argument("--series", type=int, default=400)
    sim.add_argument("--penalty", type=float, default=StepSettings().penalty)
    sim.add_argument("--tolerance", type=int, default=2)
    sim.add_argument("--outliers", type=float, default=0.0)
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--empirical", type=Path, help="noise.json written by the noise part")
    for part in (noise, sim):
        part.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.monotonic()
    if args.part == "noise":
        result: dict[str, Any] = {"runs": args.runs, "benchmarks": measure_noise(args.runs)}
    else:
        settings = {k: v for k, v in vars(args).items() if k not in ("out", "part")}
        settings["empirical"] = str(args.empirical) if args.empirical else None
        result = {"settings": settings, "rows": simulate(args)}
    result["seconds"] = round(time.monotonic() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result if args.part == "simulate" else _brief(result), indent=2))
    return 0


def _brief(result: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {k: v for k, v in data.items() if k != "medians_ms"}
        for name, data in result["benchmarks"].items()
    }


if __name__ == "__main__":
    raise SystemExit(main())
