"""examples/ci_benchmark.py as CI runs it (a subprocess) and the GitHub Actions workflow file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "ci_benchmark.py"
WORKFLOW = ROOT / "examples" / "benchmark_workflow.yml"

# CI_TEST_SLOWDOWN multiplies the sleep (an injected regression); CI_TEST_FAIL=1 makes one raise.
BENCHES = """
import os
import time

from benchmig.framework import BenchmarkBase, BenchmarkRegistry


@BenchmarkRegistry.register(name="ci_sleep", category="micro", params={"ms": [3]})
class CiSleep(BenchmarkBase):
    items_per_call = 1

    def execute(self):
        time.sleep(self.config["ms"] / 1000 * float(os.environ.get("CI_TEST_SLOWDOWN", "1")))


@BenchmarkRegistry.register(name="ci_maybe_fails", category="micro")
class CiMaybeFails(BenchmarkBase):
    def execute(self):
        if os.environ.get("CI_TEST_FAIL") == "1":
            raise RuntimeError("injected failure")
        time.sleep(0.002)
"""

SUITE = {
    "schema_version": 1,
    "kind": "benchmig-suite",
    "name": "ci-test",
    "targets": ["ci_benches.py"],
    "defaults": {"warmup": 1, "repeats": 6, "processes": 1, "max_time": 1},
}


def _ci(
    tmp: Path, out: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS")
    }
    full_env.update(env or {})
    cmd = [sys.executable, str(SCRIPT), "--suite", str(tmp / "suite.json"), "--output-dir"]
    cmd += [str(tmp / out), "--history", str(tmp / "history.sqlite"), "-q", *args]
    return subprocess.run(
        cmd, cwd=tmp, env=full_env, capture_output=True, text=True, timeout=240, check=False
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A suite in a tmp dir and a first run without a baseline (which becomes the baseline)."""
    tmp = tmp_path_factory.mktemp("ci")
    (tmp / "ci_benches.py").write_text(textwrap.dedent(BENCHES))
    (tmp / "suite.json").write_text(json.dumps(SUITE))
    done = _ci(tmp, "base", "--baseline", str(tmp / "nothing-yet" / "results.json"))
    assert done.returncode == 0, done.stderr
    return tmp


def _rows(out: Path, verdict: str) -> list[dict[str, Any]]:
    rows = json.loads((out / "comparison.json").read_text())["rows"]
    return [r for r in rows if r["verdict"] == verdict]


@pytest.mark.slow
def test_first_run_without_baseline_writes_everything(workspace: Path) -> None:
    out = workspace / "base"
    names = {p.name for p in out.iterdir()}
    assert {
        "results.json",
        "summary.md",
        "bmf.json",
        "github-action-benchmark-smaller.json",
        "github-action-benchmark-bigger.json",
    } <= names
    assert "comparison.json" not in names
    summary = (out / "summary.md").read_text()
    assert "No baseline at" in summary and "ci_sleep" in summary
    bmf = json.loads((out / "bmf.json").read_text())
    assert set(bmf) == {"ci_sleep[ms=3]@cpu", "ci_maybe_fails@cpu"}
    assert 2.5e6 < bmf["ci_sleep[ms=3]@cpu"]["latency"]["value"] < 30e6  # ns: a 3 ms sleep
    bigger = json.loads((out / "github-action-benchmark-bigger.json").read_text())
    assert [e["name"] for e in bigger] == ["ci_sleep[ms=3]@cpu throughput_per_s"]


@pytest.mark.slow
def test_no_change_exits_0(workspace: Path) -> None:
    done = _ci(workspace, "same", "--baseline", str(workspace / "base" / "results.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert not _rows(workspace / "same", "regression")
    assert "no regression" in (workspace / "same" / "summary.md").read_text()


@pytest.mark.slow
def test_injected_regression_exits_1_and_fills_the_job_summary(workspace: Path) -> None:
    step_summary = workspace / "step-summary.md"
    step_summary.write_text("earlier step\n")
    done = _ci(
        workspace,
        "slow",
        "--baseline",
        str(workspace / "base"),
        env={"CI_TEST_SLOWDOWN": "3", "GITHUB_STEP_SUMMARY": str(step_summary)},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    regressed = {(r["benchmark"], r["metric"]) for r in _rows(workspace / "slow", "regression")}
    assert ("ci_sleep", "latency_ms") in regressed
    assert ("ci_sleep", "throughput_per_s") in regressed
    assert all(name == "ci_sleep" for name, _ in regressed)
    assert "regression" in done.stdout  # the comparison table
    page = step_summary.read_text()
    assert page.startswith("earlier step\n") and "**1 case(s) regressed**" in page
    assert "## Benchmark comparison" in page and "## Benchmark results" in page
    regression_rows = [line for line in page.splitlines() if "regression**" in line]
    assert regression_rows and all("ci_sleep" in line for line in regression_rows)


@pytest.mark.slow
def test_failing_benchmark_exits_3(workspace: Path) -> None:
    done = _ci(workspace, "fail", "--baseline", str(workspace / "base"), env={"CI_TEST_FAIL": "1"})
    assert done.returncode == 3, done.stdout + done.stderr
    results = json.loads((workspace / "fail" / "results.json").read_text())["results"]
    statuses = {r["benchmark"]: r["status"] for r in results}
    assert statuses == {"ci_sleep": "ok", "ci_maybe_fails": "failed"}
    assert "injected failure" in (workspace / "fail" / "summary.md").read_text()


@pytest.mark.slow
def test_bad_input_exits_2(workspace: Path) -> None:
    broken = workspace / "broken.json"
    broken.write_text('{"schema_version": 1, "results": [')
    done = _ci(workspace, "bad", "--baseline", str(broken))
    assert done.returncode == 2
    assert "broken.json is not valid JSON" in done.stderr
    missing_suite = subprocess.run(
        [sys.executable, str(SCRIPT), "--suite", str(workspace / "no-suite.json"), "-q"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing_suite.returncode == 2
    assert "no-suite.json" in missing_suite.stderr
    usage = subprocess.run(
        [sys.executable, str(SCRIPT), "--threshold", "-5"], capture_output=True, text=True
    )
    assert usage.returncode == 2


# -- the workflow -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(data, dict)
    return data


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"]["benchmarks"]["steps"]
    return steps


def _step_using(workflow: dict[Any, Any], action: str) -> dict[str, Any]:
    found = [s for s in _steps(workflow) if str(s.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"one step using {action}"
    return found[0]


def test_workflow_triggers(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert isinstance(triggers, dict)
    cron = triggers["schedule"][0]["cron"]
    assert len(cron.split()) == 5 and cron.split()[2:] == ["*", "*", "*"]  # daily
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert workflow["permissions"]["actions"] == "read"


def test_workflow_downloads_the_base_branch_baseline(workflow: dict[Any, Any]) -> None:
    download = _step_using(workflow, "dawidd6/action-download-artifact")
    assert download["with"]["branch"] == "${{ env.BASE_BRANCH }}"
    assert download["with"]["if_no_artifact_found"] == "warn"
    assert "github.base_ref" in workflow["env"]["BASE_BRANCH"]


def test_workflow_runs_the_script_then_uploads_then_fails(workflow: dict[Any, Any]) -> None:
    steps = _steps(workflow)
    names = [s.get("id") or s.get("uses", "").split("@")[0] or s["name"] for s in steps]
    bench = next(s for s in steps if s.get("id") == "bench")
    assert "examples/ci_benchmark.py" in bench["run"] and "--baseline" in bench["run"]
    assert '"$GITHUB_OUTPUT"' in bench["run"]
    assert (ROOT / workflow["env"]["SUITE"]).name == "performance_suite.json"
    upload = _step_using(workflow, "actions/upload-artifact")
    assert upload["if"] == "always()"
    last = steps[-1]
    assert "steps.bench.outputs.exit_code != '0'" in last["if"]
    assert names.index("bench") < names.index("actions/upload-artifact") < len(steps) - 1
    for step in steps:
        if "uses" in step:
            assert "@v" in step["uses"], f"{step['uses']} must be pinned to a version"
