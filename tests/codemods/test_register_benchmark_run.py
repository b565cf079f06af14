"""Migrated golden cases really register and run: same params as the legacy script, status ok.

Each runnable ``expected.py`` is written to a temporary folder, loaded with the framework's loader
into a fresh registry, and one case of every benchmark it registers is measured in-process with a
tiny time budget. The legacy ``__main__`` entry keeps working through ``run_legacy_main``.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from benchmig.framework import BenchmarkRegistry, RunnerSettings
from benchmig.framework._legacy_main import run_legacy_main
from benchmig.framework._loader import file_target, load_targets
from benchmig.framework._runner import BenchmarkRunner
from tests.codemods.register_benchmark_support import Case, cases

RUNNABLE = [c for c in cases() if c.outcome.get("runnable")]
SETTINGS = RunnerSettings(max_time=0.2, processes=1, warmup=1, repeats=3, min_sample_time=0.0)


def _load(case: Case, folder: Path) -> BenchmarkRegistry:
    for requirement in case.outcome.get("requires", []):
        pytest.importorskip(requirement)
    path = folder / f"{case.name}.py"
    path.write_bytes(case.expected)
    registry = BenchmarkRegistry()
    load_targets([file_target(path)], registry)
    return registry


@pytest.mark.parametrize("case", RUNNABLE, ids=[c.name for c in RUNNABLE])
def test_migrated_module_registers_and_runs(case: Case, tmp_path: Path) -> None:
    registry = _load(case, tmp_path)
    units = [u for u in case.outcome["units"] if u["tier"] != "manual"]
    assert sorted(registry.list_benchmarks()) == sorted(b for u in units for b in u["benchmarks"])
    runner = BenchmarkRunner(registry, isolation=False, settings=SETTINGS)
    for unit in units:
        (name,) = unit["benchmarks"]
        spec = registry.get(name)
        assert {k: list(v) for k, v in spec.params.items()} == unit["params"]
        assert spec.metadata["tier"] == unit["tier"]
        assert spec.metadata["legacy_source"].startswith(f"benchmarks/{case.name}.py:")
        for key, value in unit["settings"].items():
            assert spec.metadata[key] == value
        result = runner.execute(name, {"hardware": "cpu"})
        assert result.status == "ok", result.error
        assert result.params == {k: v[0] for k, v in unit["params"].items()}
        assert result.simulated == unit["simulated"]
        latency = result.stats("latency_ms")
        assert latency is not None and latency.median > 0
        if unit["tier"] == "adapter":
            assert any(k.startswith("legacy_") for k in result.metrics), result.metrics


def test_throughput_comes_from_items_per_call(tmp_path: Path) -> None:
    case = next(c for c in RUNNABLE if c.name == "repeat_statistics")
    registry = _load(case, tmp_path)
    runner = BenchmarkRunner(registry, isolation=False, settings=SETTINGS)
    result = runner.execute("benchmarks.repeat_statistics.benchmark_softmax", {"hardware": "cpu"})
    throughput, latency = result.stats("throughput_per_s"), result.stats("latency_ms")
    assert throughput is not None and latency is not None
    assert throughput.median == pytest.approx(16 * 1000 / latency.median, rel=0.5)


def test_legacy_options_override_params_in_process(tmp_path: Path) -> None:
    case = next(c for c in RUNNABLE if c.name == "time_time_delta")
    registry = _load(case, tmp_path)
    out = io.StringIO()
    code = run_legacy_main(
        ["benchmarks.time_time_delta.sweep"],
        ["--batch-sizes", "2,4", "--iterations", "3", "--output-dir", str(tmp_path / "res")],
        options={
            "--batch-sizes": "batch_size",
            "--iterations": "repeats",
            "--output-dir": "output_dir",
        },
        registry=registry,
        settings=SETTINGS,
        stream=out,
    )
    text = out.getvalue()
    assert code == 0, text
    assert "batch_size=2" in text and "batch_size=4" in text and "batch_size=8" not in text
    assert (tmp_path / "res" / "results.json").exists()


@pytest.mark.slow
def test_python_legacy_script_still_works(tmp_path: Path) -> None:
    case = next(c for c in RUNNABLE if c.name == "time_time_delta")
    path = tmp_path / "time_time_delta.py"
    path.write_bytes(case.expected)
    done = subprocess.run(
        [sys.executable, str(path), "--batch-sizes", "1", "--iterations", "2", "--unknown", "x"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "benchmarks.time_time_delta.sweep" in done.stdout
    assert "ignoring legacy options" in done.stdout
    helped = subprocess.run(
        [sys.executable, str(path), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert helped.returncode == 0
    assert "--batch-sizes" in helped.stdout and "Batch size sweep" in helped.stdout


@pytest.mark.slow
def test_the_script_still_runs_what_stayed_manual(tmp_path: Path) -> None:
    case = next(c for c in RUNNABLE if c.name == "manual_unit_in_main")
    path = tmp_path / "manual_unit_in_main.py"
    path.write_bytes(case.expected)
    done = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    benchmark = next(i for i, line in enumerate(lines) if "manual_unit_in_main.bench_sum" in line)
    snippets = [i for i, line in enumerate(lines) if line.startswith("snippet ")]
    assert len(snippets) == 1 and snippets[0] > benchmark  # time_snippet(5), after the table
    assert not any(line.startswith("sum ") for line in lines)  # legacy bench_sum() is gone
