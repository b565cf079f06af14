"""Which migrated modules register their benchmarks when imported, and why the others do not.

After ``migrate apply TREE --out MIGRATED --report apply.json``, this imports every migrated
module that the report says registers benchmarks, each into a fresh registry, in worker
processes (batches, each with a time limit), and counts: registered as promised, registered
fewer, or failed to import (grouped by the exception, e.g. ``ModuleNotFoundError: torch_xla``).
It imports the migrated code, so run it only on trees you trust, in a scratch environment.

    python perf/registration_check.py MIGRATED apply.json --out registration.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

_BATCH = 25
_TIMEOUT_S = 600


def _worker(root: Path, paths: list[str]) -> None:
    """Import each file (fresh registry each) and print one JSON line per file."""
    from benchmig.framework._loader import file_target, load_targets
    from benchmig.framework._registry import BenchmarkRegistry

    for rel in paths:
        target = file_target(root / rel, extra_root=root)
        sys.modules.pop(target.module, None)  # same-named scripts in other folders
        registry = BenchmarkRegistry()
        errors = load_targets([target], registry, keep_going=True)
        reason = ""
        if errors:
            cause = errors[0].__cause__
            reason = f"{type(cause).__name__}: {cause}" if cause else str(errors[0])
        print(
            json.dumps(
                {
                    "path": rel,
                    "names": [s.name for s in registry.filter(None, None, None)],
                    "error": reason,
                }
            ),
            flush=True,
        )


def _run_batch(root: Path, batch: list[str], home: Path) -> list[dict[str, Any]]:
    cmd = [sys.executable, __file__, "--worker", str(root), *batch]
    env = {**os.environ, "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=_TIMEOUT_S, env=env, cwd=home, check=False
        )
        out = done.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
    records = []
    for line in out.splitlines():
        if line.startswith('{"path"'):
            records.append(json.loads(line))
    seen = {r["path"] for r in records}
    for rel in batch:
        if rel not in seen:
            records.append(
                {"path": rel, "names": [], "error": "import killed the worker or timed out"}
            )
    return records


def _reason(error: str) -> str:
    kind, _, detail = error.partition(": ")
    if kind == "ModuleNotFoundError":
        return f"ModuleNotFoundError: {detail.split()[-1] if detail else ''}"
    return kind or "unknown"


def main() -> None:
    """Check every promised registration; print and save the counts."""
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _worker(Path(sys.argv[2]), sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("migrated", type=Path)
    parser.add_argument("report", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    report = json.loads(args.report.read_text())
    promised = {
        f["path"]: [b for u in f["units"] for b in u["benchmarks"]]
        for f in report["files"]
        if any(u["benchmarks"] for u in f["units"])
    }
    paths = sorted(promised)
    records: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="registration-") as home:
        for start in range(0, len(paths), _BATCH):
            records.extend(
                _run_batch(args.migrated.resolve(), paths[start : start + _BATCH], Path(home))
            )
            print(f"{len(records)}/{len(paths)}", file=sys.stderr)
    outcome: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for record in records:
        wanted = set(promised[record["path"]])
        got = set(record["names"])
        if record["error"]:
            outcome["import failed"] += 1
            reasons[_reason(record["error"])] += 1
        elif wanted <= got:
            outcome["registers"] += 1
        else:
            outcome["registers fewer"] += 1
    summary = {"modules": len(paths), "outcome": dict(outcome), "reasons": reasons.most_common(25)}
    print(json.dumps(summary, indent=2))
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "files": records}, indent=2) + "\n")


if __name__ == "__main__":
    main()
