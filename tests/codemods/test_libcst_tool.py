"""The codemods run alone under ``python -m libcst.tool codemod`` (its own command line)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.codemods.trees import BENCH_A, ORCHESTRATOR, SIBLING_BENCH, TIMED_HELPER, write_tree

CONFIG = """\
generated_code_marker: '@generated'
formatter: []
blacklist_patterns: []
modules:
  - 'benchmig.codemods'
repo_root: '.'
"""


def _codemod(root: Path, command: str, *paths: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", command, "--no-format", "-j", "1", *paths],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_list_shows_every_codemod_with_its_description(tmp_path: Path) -> None:
    (tmp_path / ".libcst.codemod.yaml").write_text(CONFIG)
    done = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    for command in (
        "remove_sys_path_hacks.RemoveSysPathHacksCommand - Remove sys.path",
        "replace_timers.ReplaceTimersCommand - Replace time.time()",
        "replace_hardware_checks.ReplaceHardwareChecksCommand",
        "argparse_to_params.ArgparseToParamsCommand",
        "orchestrator_to_suite.OrchestratorToSuiteCommand",
    ):
        assert command in done.stdout


def test_codemods_run_alone_under_libcst_tool(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path,
        {
            ".libcst.codemod.yaml": CONFIG,
            "benchmarks/helpers.py": TIMED_HELPER,
            "benchmarks/bench_sibling.py": SIBLING_BENCH,
            "benchmarks/bench_a.py": BENCH_A,
            "benchmarks/run_all.py": ORCHESTRATOR,
        },
    )
    timers = _codemod(root, "replace_timers.ReplaceTimersCommand", "benchmarks/helpers.py")
    assert timers.returncode == 0, timers.stderr
    assert "time.perf_counter()" in (root / "benchmarks" / "helpers.py").read_text()
    hacks = _codemod(root, "remove_sys_path_hacks.RemoveSysPathHacksCommand", "benchmarks")
    assert hacks.returncode == 0, hacks.stderr
    assert "sys.path" not in (root / "benchmarks" / "bench_sibling.py").read_text()
    suite = _codemod(root, "orchestrator_to_suite.OrchestratorToSuiteCommand", "benchmarks")
    assert suite.returncode == 0, suite.stderr
    assert '"bench_a.py"' in (root / "benchmarks" / "run_all.suite.json").read_text()
    assert "bench_missing.py" in suite.stderr
