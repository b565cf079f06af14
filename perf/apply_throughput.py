"""Throughput of ``migrate apply`` against LibCST's own tool running a no-op codemod.

Over one tree it times, each as a separate process with the same ``--jobs``:

1. ``migrate apply TREE --check --analysis A`` (the analysis made first, not timed here: see
   docs/performance.md "Analyzer speed and scale");
2. ``python -m libcst.tool codemod -x noop_codemod.NoopCommand`` over the files apply parses
   (its candidates): the floor for "parse every file with LibCST, visit it, write nothing";
3. the same no-op over every ``.py`` file of the tree (what a plain codemod run would cost).

The no-op runs on a copy of the files, so the tree is never touched; apply in ``--check`` mode
writes nothing either. Results are printed as a table and written as JSON with ``--out``.

    python perf/apply_throughput.py /work/corpora/ipfs_accelerate_py --jobs 2 --out apply.json
    python perf/apply_throughput.py tests/fixtures/legacy --jobs 2      # a quick run
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
from typing import Any

HERE = Path(__file__).resolve().parent
LIBCST_CONFIG = """\
generated_code_marker: '@generated'
formatter: []
blacklist_patterns: []
modules: []
repo_root: '.'
"""


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done.returncode, done.stderr[-2000:]


def _analyse(tree: Path, work: Path, jobs: int) -> Path:
    out = work / "analysis"
    cmd = [sys.executable, "-m", "benchmig.cli", "analyze", str(tree), "--out", str(out)]
    seconds, code, err = _timed([*cmd, "--jobs", str(jobs), "-q"], work)
    if code != 0:
        raise SystemExit(f"analyze failed ({code}): {err}")
    print(f"analysis: {seconds:.1f} s (cache allowed)", file=sys.stderr)
    return out / "analysis.json"


def _candidates(analysis: Path) -> tuple[list[str], list[str], dict[str, int]]:
    from benchmig.analyzer import load_analysis
    from benchmig.codemods._plan import build_plan

    loaded = load_analysis(analysis)
    plan = build_plan(loaded)
    sizes = {f.path: f.facts.size_bytes for f in loaded.files}
    every = [f.path for f in loaded.files if f.path.endswith(".py")]
    return plan.transformed, every, sizes


def _noop(tree: Path, files: list[str], work: Path, jobs: int, label: str) -> tuple[float, int]:
    """Copy ``files`` into a scratch folder and run the no-op codemod over them there."""
    copy = work / f"noop-{label}"
    for rel in files:
        target = copy / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tree / rel, target)
    (copy / ".libcst.codemod.yaml").write_text(LIBCST_CONFIG)
    listing = work / f"noop-{label}.txt"
    listing.write_text("\n".join(files))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [
        sys.executable, "-m", "libcst.tool", "codemod", "-x", "noop_codemod.NoopCommand",
        "--no-format", "-j", str(jobs), "--hide-progress", *files,
    ]  # fmt: skip
    seconds, code, err = _timed(cmd, copy, env)
    if code not in (0, 1):  # 1: some files do not parse, which the tool reports and skips
        raise SystemExit(f"libcst.tool failed ({code}): {err}")
    shutil.rmtree(copy)
    return seconds, len(files)


def _apply(
    tree: Path, analysis: Path, work: Path, jobs: int, keep: Path | None
) -> tuple[float, dict[str, Any]]:
    report = work / "apply-report.json"
    mode = ["--out", str(keep)] if keep is not None else ["--check"]
    cmd = [
        sys.executable, "-m", "benchmig.cli", "apply", str(tree), *mode, "--analysis",
        str(analysis), "--report", str(report), "--jobs", str(jobs), "-q",
    ]  # fmt: skip
    seconds, code, err = _timed(cmd, work)
    if code not in (0, 1, 3):
        raise SystemExit(f"apply failed ({code}): {err}")
    document = json.loads(report.read_text())
    if keep is not None:
        shutil.copyfile(report, keep.with_name(keep.name + "-report.json"))
        shutil.copyfile(analysis, keep.with_name(keep.name + "-analysis.json"))
    summary: dict[str, Any] = document["summary"]
    return seconds, summary


def _row(name: str, seconds: float, files: int, size: int) -> dict[str, Any]:
    return {
        "step": name,
        "files": files,
        "mb": round(size / 1e6, 2),
        "seconds": round(seconds, 1),
        "mb_per_s": round(size / 1e6 / seconds, 3) if seconds else None,
        "files_per_s": round(files / seconds, 1) if seconds else None,
    }


def main() -> None:
    """Parse arguments, time the three runs, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="Write the figures as JSON here.")
    parser.add_argument("--skip-all", action="store_true", help="Skip the no-op over every file.")
    parser.add_argument(
        "--keep",
        type=Path,
        help="Time `apply --out KEEP` instead of --check, and keep the migrated tree, its "
        "report (KEEP-report.json) and the analysis (KEEP-analysis.json)",
    )
    args = parser.parse_args()
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="apply-throughput-") as folder:
        work = Path(folder)
        analysis = _analyse(tree, work, args.jobs)
        candidates, every, sizes = _candidates(analysis)
        candidate_bytes = sum(sizes[p] for p in candidates)
        rows = []
        keep = args.keep.resolve() if args.keep else None
        seconds, summary = _apply(tree, analysis, work, args.jobs, keep)
        step = "migrate apply --out" if keep else "migrate apply --check"
        rows.append(_row(step, seconds, len(candidates), candidate_bytes))
        seconds, count = _noop(tree, candidates, work, args.jobs, "candidates")
        rows.append(_row("libcst.tool no-op, same files", seconds, count, candidate_bytes))
        if not args.skip_all:
            seconds, count = _noop(tree, every, work, args.jobs, "all")
            rows.append(
                _row("libcst.tool no-op, every .py", seconds, count, sum(sizes[p] for p in every))
            )
    document = {"tree": str(tree), "jobs": args.jobs, "rows": rows, "apply_summary": summary}
    for row in rows:
        print(
            f"{row['step']:<34} {row['files']:>6} files {row['mb']:>8.2f} MB "
            f"{row['seconds']:>8.1f} s {row['mb_per_s']:>7.3f} MB/s "
            f"{row['files_per_s']:>7.1f} files/s"
        )
    if args.out:
        args.out.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
