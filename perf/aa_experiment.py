"""A/A and slowdown experiment: how often does each tool call identical runs a regression?

For each of ``--pairs`` pairs it runs the benchmarks of ``perf/aa_benchmarks.py`` twice with
``migrate run`` and compares them with ``migrate compare`` (exit 1 = regression), then does the
same with pytest-benchmark's ``--benchmark-compare-fail=median:5%``. With ``--slowdown 1.5`` the
second run of each pair is made 1.5x slower, and the figure becomes the detection rate.

    python perf/aa_experiment.py --pairs 20 --out perf-results/aa.json
    python perf/aa_experiment.py --pairs 20 --slowdown 1.5 --out perf-results/slow.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _env(slowdown: float) -> dict[str, str]:
    return dict(os.environ, BENCHMIG_PERF_SLOWDOWN=str(slowdown))


def _migrate_run(out: Path, slowdown: float) -> None:
    cmd = [
        sys.executable,
        "-m",
        "benchmig.cli",
        "run",
        str(HERE / "aa_benchmarks.py"),
        "--output-dir",
        str(out),
        "--no-history",
        "-q",
    ]
    subprocess.run(cmd, check=True, env=_env(slowdown), stdout=subprocess.DEVNULL)


def _migrate_pair(workdir: Path, slowdown: float) -> dict[str, object]:
    _migrate_run(workdir / "a", 1.0)
    _migrate_run(workdir / "b", slowdown)
    cmd = [
        sys.executable,
        "-m",
        "benchmig.cli",
        "compare",
        str(workdir / "a" / "results.json"),
        str(workdir / "b" / "results.json"),
        "--json",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    rows = json.loads(done.stdout)["rows"]
    verdicts = {r["benchmark"]: r["verdict"] for r in rows if r["metric"] == "latency_ms"}
    changes = {r["benchmark"]: r["change"] for r in rows if r["metric"] == "latency_ms"}
    return {"exit_code": done.returncode, "verdicts": verdicts, "changes": changes}


def _pytest_benchmark_pair(workdir: Path, slowdown: float) -> dict[str, object]:
    storage = workdir / "pb"
    base = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(HERE / "pytest_benchmark_aa"),
        f"--benchmark-storage={storage}",
    ]
    subprocess.run(
        [*base, "--benchmark-autosave"], env=_env(1.0), check=True, capture_output=True, cwd=workdir
    )
    done = subprocess.run(
        [*base, "--benchmark-compare", "--benchmark-compare-fail=median:5%"],
        env=_env(slowdown),
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    failed = [
        line
        for line in done.stdout.splitlines()
        if "Performance has regressed" in line or ("median" in line and "regressed" in line.lower())
    ]
    return {"exit_code": done.returncode, "regressed_lines": failed[:4]}


def main() -> int:
    """Run the experiment and write a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=20)
    parser.add_argument("--slowdown", type=float, default=1.0)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--skip-pytest-benchmark", action="store_true")
    parser.add_argument(
        "--keep", type=Path, help="Copy every pair's results files to KEEP/pairN (for diagnosis)."
    )
    args = parser.parse_args()
    pairs = []
    started = time.monotonic()
    for index in range(args.pairs):
        with tempfile.TemporaryDirectory(prefix="benchmig-aa-") as tmp:
            record: dict[str, object] = {
                "pair": index,
                "migrate": _migrate_pair(Path(tmp), args.slowdown),
            }
            if args.keep is not None:
                for side in ("a", "b"):
                    target = args.keep / f"pair{index}" / side
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(Path(tmp, side, "results.json"), target / "results.json")
            if record["migrate"]["exit_code"] == 1 and args.slowdown == 1.0:  # type: ignore[index]
                # keep the evidence of a false alarm for diagnosis
                shutil.copytree(tmp, args.out.with_suffix(f".pair{index}"), dirs_exist_ok=True)
            if not args.skip_pytest_benchmark:
                record["pytest_benchmark"] = _pytest_benchmark_pair(Path(tmp), args.slowdown)
        pairs.append(record)
        print(json.dumps(record), file=sys.stderr, flush=True)
    flagged = sum(1 for p in pairs if p["migrate"]["exit_code"] == 1)  # type: ignore[index]
    summary: dict[str, object] = {
        "pairs": args.pairs,
        "slowdown": args.slowdown,
        "seconds": round(time.monotonic() - started, 1),
        "migrate_compare_flagged_regression": flagged,
        "pytest_benchmark_failed": sum(
            1
            for p in pairs
            if p.get("pytest_benchmark", {}).get("exit_code", 0) != 0  # type: ignore[union-attr]
        ),
        "details": pairs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: v for k, v in summary.items() if k != "details"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
