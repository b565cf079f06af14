"""The whole pipeline on the legacy corpus: analyze -> apply --out -> list -> run.

Asserted against the corpus oracle (tests/fixtures/legacy/EXPECTED.json): every runnable legacy
script becomes registered benchmarks, whose CPU results are ``ok`` and carry the legacy
parameter values; the legacy entry points of the migrated tree still run. Each step runs as its
own ``python -m benchmig.cli`` process, as a user would run it (and so that importing the
migrated modules never touches the test process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")

LEGACY = Path(__file__).parent / "fixtures" / "legacy"
EXPECTED = json.loads((LEGACY / "EXPECTED.json").read_text())["files"]
# Runnable legacy scripts that `migrate apply` does not migrate yet, with the reason. They are
# asserted to stay manual (test_known_gaps_are_reported_as_manual), so the list cannot go stale:
# once one migrates, that test fails until the entry is removed here.
KNOWN_GAPS: dict[str, str] = {}  # path -> why it stays manual (none now)
RUNNABLE = {
    f["path"]: f
    for f in EXPECTED
    if f.get("runnable") and f["role"] == "benchmark" and f["path"] not in KNOWN_GAPS
}
# Legacy entry points checked after migration (run from the migrated root, which is on
# PYTHONPATH now that the sys.path hacks are gone): a function, a delegating script (with a
# legacy flag), a class, a module-level block, a script that used a sys.path hack, and a
# package module run with -m.
ENTRY_POINTS = [
    ["benchmarks/cnn_benchmark.py"],
    ["benchmarks/run_backend_benchmark.py", "--batch-sizes", "2,4"],
    ["benchmarks/measure_with_helper.py"],
    ["generated/bench_bert.py"],
    ["-m", "perf_suite.vision.resolution_benchmark"],
]
_FRAMEWORKS_LEFT_ALONE = {"tensorflow", "jax"}


def _migrate(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "benchmig.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("e2e")
    analysis, migrated, out = work / "analysis", work / "migrated", work / "results"
    analyzed = _migrate("analyze", str(LEGACY), "--out", str(analysis), "--no-cache", cwd=work)
    assert analyzed.returncode == 0, analyzed.stderr
    report = work / "apply-report.json"
    applied = _migrate(
        "apply",
        str(LEGACY),
        "--out",
        str(migrated),
        "--analysis",
        str(analysis / "analysis.json"),
        "--report",
        str(report),
        "-q",
        cwd=work,
    )
    assert applied.returncode == 0, applied.stdout + applied.stderr
    listed = _migrate("list", str(migrated), "--json", "--keep-going", cwd=work)
    ran = _migrate(
        "run",
        str(migrated),
        "--keep-going",
        "--no-history",
        "--max-time",
        "0.2",
        "--processes",
        "1",
        "--output-dir",
        str(out),
        "-q",
        cwd=work,
    )
    assert ran.returncode in (0, 3), ran.stderr  # 3: the files that cannot import here
    return {
        "migrated": migrated,
        "report": json.loads(report.read_text()),
        "list": json.loads(listed.stdout),
        "results": json.loads((out / "results.json").read_text())["results"],
        "work": work,
    }


def _benchmarks_by_file(report: Mapping[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for record in report["files"]:
        for unit in record["units"]:
            found[record["path"]].extend(unit["benchmarks"])
    return found


def test_every_runnable_script_registers_benchmarks(pipeline: dict[str, Any]) -> None:
    created = _benchmarks_by_file(pipeline["report"])
    listed = {b["name"] for b in pipeline["list"]["benchmarks"]}
    missing = sorted(p for p in RUNNABLE if not created.get(p))
    assert missing == [], f"runnable legacy scripts without a registered benchmark: {missing}"
    unlisted = sorted(n for p in RUNNABLE for n in created[p] if n not in listed)
    assert unlisted == [], f"created but not registered when imported: {unlisted}"


def _expected_params(entry: Mapping[str, Any]) -> dict[str, list[Any]]:
    params = {k: list(v) for k, v in entry.get("params", {}).items()}
    if entry.get("leave_alone"):  # TF/JAX units stay manual: their axis values do not run
        for key, values in params.items():
            params[key] = [v for v in values if v not in _FRAMEWORKS_LEFT_ALONE]
    return params


def _carried(
    key: str, values: list[Any], results: list[Mapping[str, Any]], benchmarks: int
) -> bool:
    """A legacy axis is carried when some result param holds exactly its values (whatever
    the migration named it), the hardware axis by the results' devices, or when the axis was
    split into that many benchmarks. Single values may be folded into the code."""
    wanted = {json.dumps(v) for v in values}
    if key == "hardware":
        return wanted <= {json.dumps(r["hardware"]) for r in results}
    seen: dict[str, set[str]] = defaultdict(set)
    for result in results:
        for name, value in result["params"].items():
            seen[name].add(json.dumps(value))
    if any(found == wanted for found in seen.values()):
        return True
    if len(wanted) == 1:
        return all(found == wanted for name, found in seen.items() if name == key)
    return benchmarks >= len(wanted)


def test_results_are_ok_on_cpu_with_the_legacy_parameters(pipeline: dict[str, Any]) -> None:
    created = _benchmarks_by_file(pipeline["report"])
    results: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for result in pipeline["results"]:
        results[result["benchmark"]].append(result)
    problems = []
    for path, entry in sorted(RUNNABLE.items()):
        mine = [r for name in created.get(path, []) for r in results.get(name, [])]
        cpu = [r for r in mine if r["hardware"] == "cpu"]
        bad = sorted(
            {
                f"{r['benchmark']}: {r['status']} {r.get('error')}"
                for r in cpu
                if r["status"] != "ok"
            }
        )
        if not cpu or bad:
            problems.append(f"{path}: {'no CPU result' if not cpu else bad}")
            continue
        for key, values in _expected_params(entry).items():
            if values and not _carried(key, values, mine, len(created[path])):
                problems.append(f"{path}: legacy parameter {key}={values} not in the results")
    assert problems == [], "\n".join(problems)


def test_known_gaps_are_reported_as_manual(pipeline: dict[str, Any]) -> None:
    created = _benchmarks_by_file(pipeline["report"])
    records = {r["path"]: r for r in pipeline["report"]["files"]}
    for path in KNOWN_GAPS:
        assert not created.get(path), f"{path} migrates now: remove it from KNOWN_GAPS"
        assert records[path]["strategy"] == "manual", records[path]


def test_simulated_results_are_marked(pipeline: dict[str, Any]) -> None:
    simulated = {
        name
        for record in pipeline["report"]["files"]
        for unit in record["units"]
        if unit["simulated"]
        for name in unit["benchmarks"]
    }
    expected = {f["path"] for f in EXPECTED if f.get("simulated") and f.get("runnable")}
    flagged = {
        r["path"] for r in pipeline["report"]["files"] if any(u["simulated"] for u in r["units"])
    }
    assert expected <= flagged
    for result in pipeline["results"]:
        if result["benchmark"] in simulated and result["status"] == "ok":
            assert result.get("simulated") is True, result["benchmark"]


@pytest.mark.parametrize("args", ENTRY_POINTS, ids=" ".join)
def test_legacy_entry_points_still_run(pipeline: dict[str, Any], args: list[str]) -> None:
    migrated: Path = pipeline["migrated"]
    env = {**os.environ, "PYTHONPATH": str(migrated), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, *args],
        cwd=migrated,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
