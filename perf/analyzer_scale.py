"""Scale check of ``migrate analyze`` on a large tree: time, memory, and ratios to baselines.

Usage::

    python perf/analyzer_scale.py PATH [--jobs N] [--libcst sample|full|none] [--rounds N]
        [--pure-python] [--json OUT]

Measures, on the files discovery finds under PATH:

* a single-process ``ast.parse`` pass (read + parse) over the same files: the baseline;
* a cold analysis (empty cache) and a warm re-run with nothing changed, as ratios to it;
* ``--rounds N``: N more rounds, each a cold analysis in a fresh interpreter and the ``ast``
  pass back to back (their order alternating), and the same files parsed by two ``ast``
  processes at once (half each: what two cores give a parse-only job on this machine). The
  machine's speed drifts by tens of percent within minutes, so the cold ratio reported is the
  median of the rounds' ratios, each measured within a minute;
* ``--pure-python``: in each round, also a cold analysis with ``BENCHMIG_PURE_PYTHON=1``
  (without the optional C module), next to the other;
* peak RSS of this process and of its worker processes (``resource.getrusage``);
* files/s and MB/s of the cold run;
* LibCST: ``python -m libcst.tool codemod`` running the no-op command over the tree (``full``),
  or bare ``libcst.parse_module`` over a sample extrapolated to the tree (``sample``).

A plain script (not a registered benchmark): it imports nothing at module level that does work.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def _rss_mib() -> dict[str, float]:
    """Peak RSS so far (Linux reports KiB) of this process and of its largest child."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mib": round(own, 1), "children_mib": round(children, 1)}


def _cpu_s() -> float:
    """CPU seconds used so far by this process and its finished children (user + system)."""
    return sum(_cpu_split())


def _cpu_split() -> tuple[float, float]:
    """CPU seconds used so far by this process, and by its finished children (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _ast_pass(paths: list[str]) -> tuple[float, float, int]:
    """Read and ``ast.parse`` every file in this one process: (wall s, CPU s, failures)."""
    started, cpu = time.perf_counter(), _cpu_s()
    failures = 0
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            failures += 1
    return time.perf_counter() - started, _cpu_s() - cpu, failures


def _ast_pass_apart(paths: list[str]) -> tuple[float, float, int]:
    """:func:`_ast_pass` in a fresh interpreter: no analysis objects alive to slow its GC."""
    listing = _write_listing(paths)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--ast-pass", listing, "-"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(listing)
    wall, cpu, failures = json.loads(done.stdout)
    return float(wall), float(cpu), int(failures)


def _write_listing(paths: list[str]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.write("\n".join(paths))
    return listing.name


def _split_ast_pass(paths: list[str]) -> float:
    """Wall seconds of two ``ast`` passes at once, over alternate files (half the bytes each)."""
    listings = [_write_listing(paths[0::2]), _write_listing(paths[1::2])]
    try:
        started = time.perf_counter()
        command = [sys.executable, __file__, "--ast-pass"]
        running = [
            subprocess.Popen([*command, name, "-"], stdout=subprocess.DEVNULL) for name in listings
        ]
        for process in running:
            process.wait()
        return time.perf_counter() - started
    finally:
        for name in listings:
            os.unlink(name)


def _cold_apart(root: Path, jobs: int | None, pure: bool = False) -> tuple[float, float]:
    """A cold analysis (empty cache) in a fresh interpreter: (wall s, CPU s of all processes).

    ``pure``: with ``BENCHMIG_PURE_PYTHON=1``, i.e. without the optional C module.
    """
    environment = dict(os.environ)
    environment.pop("BENCHMIG_PURE_PYTHON", None)
    if pure:
        environment["BENCHMIG_PURE_PYTHON"] = "1"
    with tempfile.TemporaryDirectory(prefix="benchmig-cold-") as tmp:
        command = [sys.executable, __file__, str(root), "--cold-run", str(Path(tmp) / "cache")]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        done = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return float(wall), float(cpu)


def _rounds(
    root: Path, jobs: int | None, paths: list[str], count: int, pure: bool = False
) -> dict[str, Any]:
    """``count`` rounds of (cold analysis, ``ast`` pass) in alternating order, plus a split
    ``ast`` pass per round; the ratios are per round, and their median.

    ``pure``: each round also runs a cold analysis without the C module, right after the
    other (the order alternating too), to show what the C passes save on the same machine.
    """
    rounds: list[dict[str, Any]] = []
    for number in range(count):
        load = round(os.getloadavg()[0], 2)
        pure_s = pure_cpu = 0.0
        if number % 2 == 0:
            cold_s, cold_cpu = _cold_apart(root, jobs)
            if pure:
                pure_s, pure_cpu = _cold_apart(root, jobs, pure=True)
            ast_s = _ast_pass_apart(paths)[0]
        else:
            ast_s = _ast_pass_apart(paths)[0]
            if pure:
                pure_s, pure_cpu = _cold_apart(root, jobs, pure=True)
            cold_s, cold_cpu = _cold_apart(root, jobs)
        split_s = _split_ast_pass(paths)
        figures = {
            "load_average": load,
            "order": "cold, ast" if number % 2 == 0 else "ast, cold",
            "ast_pass_s": round(ast_s, 2),
            "cold_s": round(cold_s, 2),
            "cold_cpu_s": round(cold_cpu, 2),
            "two_ast_processes_s": round(split_s, 2),
            "cold_vs_ast": round(cold_s / ast_s, 3),
            "two_ast_processes_vs_ast": round(split_s / ast_s, 3),
        }
        if pure:
            figures |= {
                "pure_python_cold_s": round(pure_s, 2),
                "pure_python_cold_cpu_s": round(pure_cpu, 2),
                "pure_python_cold_vs_ast": round(pure_s / ast_s, 3),
                "cold_vs_pure_python": round(cold_s / pure_s, 3),
            }
        rounds.append(figures)
        print(json.dumps(rounds[-1]), file=sys.stderr, flush=True)
    summary: dict[str, Any] = {
        "rounds": rounds,
        "cold_vs_ast_median": round(statistics.median(r["cold_vs_ast"] for r in rounds), 3),
        "two_ast_processes_vs_ast_median": round(
            statistics.median(r["two_ast_processes_vs_ast"] for r in rounds), 3
        ),
    }
    if pure:
        for key in ("pure_python_cold_vs_ast", "cold_vs_pure_python"):
            summary[f"{key}_median"] = round(statistics.median(r[key] for r in rounds), 3)
    return summary


def _libcst_sample(paths: list[str], sizes: list[int], budget: int) -> dict[str, Any]:
    """Bare ``parse_module`` over every k-th file until ``budget`` bytes: a rate to extrapolate."""
    import libcst

    step = max(1, sum(sizes) // max(budget, 1))
    chosen = [(p, s) for n, (p, s) in enumerate(zip(paths, sizes, strict=True)) if n % step == 0]
    started = time.perf_counter()
    done = 0
    for path, size in chosen:
        with contextlib.suppress(Exception):  # unparseable files cost time too
            libcst.parse_module(Path(path).read_bytes())
        done += size
        if done >= budget:
            break
    elapsed = time.perf_counter() - started
    return {
        "mode": "sample (extrapolated)",
        "sample_bytes": done,
        "sample_s": round(elapsed, 2),
        "mb_per_s_one_core": round(done / elapsed / 1e6, 3),
    }


def _libcst_full(root: Path, jobs: int) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "libcst.codemod.commands.noop.NOOPCommand",
        "--no-format",
        "--include-generated",
        "--hide-progress",
        "-j",
        str(jobs),
        str(root),
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
    )
    elapsed = time.perf_counter() - started
    return {
        "mode": "full noop codemod",
        "seconds": round(elapsed, 2),
        "returncode": done.returncode,
        "tail": done.stderr.strip().splitlines()[-4:],
    }


def _timed_analysis(
    root: Path, jobs: int | None, cache: Path
) -> tuple[float, tuple[float, float], Any]:
    """Wall seconds, (parent, workers) CPU seconds and the analysis of one run."""
    from benchmig.analyzer import analyze_paths

    started, (own, kids) = time.perf_counter(), _cpu_split()
    analysis = analyze_paths([root], jobs=jobs, cache_dir=cache)
    own_after, kids_after = _cpu_split()
    return time.perf_counter() - started, (own_after - own, kids_after - kids), analysis


def measure(
    root: Path,
    jobs: int | None,
    libcst_mode: str,
    sample_bytes: int,
    rounds: int = 0,
    pure: bool = False,
) -> dict[str, Any]:
    """Run every measurement on ``root`` and return the figures."""
    from benchmig.analyzer import discover, write_analysis

    load_before = os.getloadavg()[0]
    files = discover([root]).files
    paths = [f.abs_path for f in files]
    sizes = [f.size for f in files]
    for path in paths:  # warm the page cache so that every pass below reads from memory
        Path(path).read_bytes()
    with tempfile.TemporaryDirectory(prefix="benchmig-scale-") as tmp:
        cold_s, (cold_parent_cpu, cold_workers_cpu), analysis = _timed_analysis(
            root, jobs, Path(tmp) / "cache"
        )
        warm_s, warm_cpus, again = _timed_analysis(root, jobs, Path(tmp) / "cache")
        started = time.perf_counter()
        written = write_analysis(analysis, Path(tmp) / "out")
        write_s = time.perf_counter() - started
        json_mb = written[0].stat().st_size / 1e6
    rss = _rss_mib()
    ast_s, ast_cpu, ast_failures = _ast_pass_apart(paths)
    total = sum(sizes)
    cold_cpu, warm_cpu = cold_parent_cpu + cold_workers_cpu, sum(warm_cpus)
    figures: dict[str, Any] = {
        "root": str(root),
        "files": len(files),
        "mb": round(total / 1e6, 1),
        "jobs": analysis.stats.jobs,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "ast_pass_s": round(ast_s, 2),
        "ast_pass_cpu_s": round(ast_cpu, 2),
        "ast_failures": ast_failures,
        "cold_s": round(cold_s, 2),
        "cold_cpu_s": round(cold_cpu, 2),
        "cold_parent_cpu_s": round(cold_parent_cpu, 2),
        "cold_workers_cpu_s": round(cold_workers_cpu, 2),
        "warm_s": round(warm_s, 2),
        "warm_cpu_s": round(warm_cpu, 2),
        "write_s": round(write_s, 2),
        "cold_cpu_per_core_vs_ast_cpu": round(cold_cpu / analysis.stats.jobs / ast_cpu, 3),
        "warm_plus_write_vs_ast": round((warm_s + write_s) / ast_s, 3),
        "analysis_json_mb": round(json_mb, 1),
        "cold_vs_ast": round(cold_s / ast_s, 3),
        "warm_vs_ast": round(warm_s / ast_s, 3),
        "cold_files_per_s": round(len(files) / cold_s, 1),
        "cold_mb_per_s": round(total / 1e6 / cold_s, 2),
        "warm_from_cache": again.stats.from_cache,
        "peak_rss": rss | {"sum_mib": round(rss["self_mib"] + rss["children_mib"], 1)},
        "summary": analysis.summary,
        "worker_crashes": analysis.stats.worker_crashes,
    }
    if rounds > 0:
        figures["rounds"] = _rounds(root, jobs, paths, rounds, pure)
    if libcst_mode == "sample":
        lib = _libcst_sample(paths, sizes, sample_bytes)
        one_core = total / 1e6 / lib["mb_per_s_one_core"]
        workers = analysis.stats.jobs
        lib["estimated_single_process_s"] = round(one_core, 1)
        lib["estimated_parallel_s"] = round(one_core / workers, 1)
        lib["cold_analysis_vs_libcst_parallel"] = round(cold_s / (one_core / workers), 3)
        figures["libcst"] = lib
    elif libcst_mode == "full":
        lib = _libcst_full(root, analysis.stats.jobs)
        lib["cold_analysis_vs_libcst"] = round(cold_s / lib["seconds"], 3)
        figures["libcst"] = lib
    return figures


def main() -> int:
    """Parse options, measure, print the figures (and write them as JSON if asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--libcst", choices=["sample", "full", "none"], default="sample")
    parser.add_argument("--sample-bytes", type=int, default=6_000_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=0, help="extra back-to-back rounds")
    parser.add_argument("--ast-pass", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--pure-python",
        action="store_true",
        help="in each round, also a cold analysis without the optional C module",
    )
    parser.add_argument("--cold-run", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ast_pass is not None:  # the baseline, run by _ast_pass_apart
        print(json.dumps(_ast_pass(args.ast_pass.read_text().splitlines())))
        return 0
    if args.cold_run is not None:  # one cold analysis, run by _cold_apart
        wall, (own, kids), _ = _timed_analysis(args.path.resolve(), args.jobs, args.cold_run)
        print(json.dumps([wall, own + kids]))
        return 0
    figures = measure(
        args.path.resolve(),
        args.jobs,
        args.libcst,
        args.sample_bytes,
        args.rounds,
        args.pure_python,
    )
    text = json.dumps(figures, indent=2)
    print(text)
    print(
        f"\ncold {figures['cold_vs_ast']}x ast (target <= 1.0), warm {figures['warm_vs_ast']}x "
        f"ast (target <= 0.1), peak RSS {figures['peak_rss']['sum_mib']} MiB (target <= 2048), "
        f"{figures['cold_files_per_s']} files/s, {figures['cold_mb_per_s']} MB/s"
    )
    if "rounds" in figures:
        print(
            f"rounds: cold {figures['rounds']['cold_vs_ast_median']}x ast (median), two ast "
            f"processes {figures['rounds']['two_ast_processes_vs_ast_median']}x ast (median)"
        )
        if "cold_vs_pure_python_median" in figures["rounds"]:
            print(
                f"rounds: pure Python cold {figures['rounds']['pure_python_cold_vs_ast_median']}x "
                f"ast (median); cold with the C module "
                f"{figures['rounds']['cold_vs_pure_python_median']}x pure Python (median)"
            )
    if args.json is not None:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
