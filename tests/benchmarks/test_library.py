"""The library as a run target: listing without torch, the example suite and model benchmark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmig.cli import main
from benchmig.framework import BenchmarkRunner, RunnerSettings
from benchmig.framework._session import load_registry
from benchmig.framework._suites import load_suite, select_cases
from tests.framework.fake_torch import torch_hidden

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "examples" / "performance_suite.json"
GPU_SUITE = ROOT / "perf" / "gpu_suite.json"
EXAMPLE = ROOT / "examples" / "model_benchmark.py"

BUILTINS = {
    "inference": {"model_inference", "model_scenario"},
    "hardware": {
        "matmul_gflops",
        "matmul_gflops_half",
        "memory_bandwidth",
        "memory_bandwidth_numpy",
        "host_to_device",
    },
    "resource_pool": {"pool_concurrency", "pool_memory_sharing", "pool_error_recovery"},
}


def test_importing_the_library_imports_no_torch() -> None:
    # A fresh interpreter: this one has imported torch already. Nothing imports torch at import
    # time, so listing works where it is missing (its absence at run time is tested below).
    code = (
        "import sys\n"
        "from benchmig.framework._session import load_registry\n"
        "registry, errors = load_registry(['benchmig.benchmarks'])\n"
        "assert not errors and 'torch' not in sys.modules, sorted(sys.modules)\n"
        "print(len(registry))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.strip() == "10"


def test_migrate_list_shows_every_category_and_what_needs_torch() -> None:
    result = CliRunner().invoke(main, ["list", "benchmig.benchmarks", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    entries = listed if isinstance(listed, list) else listed["benchmarks"]
    for category, names in BUILTINS.items():
        assert {e["name"] for e in entries if e["category"] == category} == names
    needs_torch = {e["name"] for e in entries if "torch" in e["metadata"].get("requires", [])}
    assert needs_torch == BUILTINS["inference"] | BUILTINS["hardware"] - {"memory_bandwidth_numpy"}


def test_without_torch_torch_benchmarks_are_skipped_with_the_reason_and_numpy_ones_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with torch_hidden(monkeypatch):
        registry, _ = load_registry(["benchmig.benchmarks"])
        settings = RunnerSettings(warmup=0, repeats=1, processes=1)
        runner = BenchmarkRunner(registry, settings=settings, isolation=False)
        failed = runner.execute("model_inference", {"hardware": "cpu"})
        numpy_bandwidth = runner.execute(
            "memory_bandwidth_numpy", {"hardware": "cpu", "size_mb": 1}
        )
    assert failed.status == "skipped"
    assert "needs torch" in (failed.error or "") and "pip install" in (failed.error or "")
    assert numpy_bandwidth.status == "ok"


def test_the_example_suite_selects_every_category_on_the_cpu_quickly() -> None:
    suite = load_suite(SUITE)
    registry, _ = load_registry([t.module or "" for t in suite.targets])
    selections = select_cases(suite, registry)
    assert {s.spec.category for s in selections} == set(BUILTINS)
    assert suite.hardware == ("cpu",)
    for selection in selections:
        settings = {**suite.settings, **selection.settings}
        assert settings["processes"] == 1 and settings["max_time"] <= 1.0
    torch_benchmarks = [s for s in selections if "torch" in s.spec.metadata.get("requires", [])]
    assert len(torch_benchmarks) <= 4  # each costs a worker one `import torch`
    recovery = next(s for s in selections if s.spec.name == "pool_error_recovery")
    assert set(recovery.params_grid["mode"]) == {"thread", "process"}
    assert set(recovery.params_grid["fault"]) == {"raise", "crash"}


def test_the_gpu_suite_selects_everything_the_library_runs_on_cuda() -> None:
    # perf/gpu_library.py runs it on a lent GPU: it must stay loadable where there is none
    suite = load_suite(GPU_SUITE)
    registry, _ = load_registry([t.module or "" for t in suite.targets])
    selections = select_cases(suite, registry)
    assert suite.hardware == ("cuda",)
    on_cuda = {name for name in registry.list_benchmarks() if "cuda" in registry.get(name).hardware}
    assert {s.spec.name for s in selections} == on_cuda
    half = next(s for s in selections if s.spec.name == "matmul_gflops_half")
    assert set(half.params_grid["dtype"]) == {"float16", "bfloat16"}


def test_the_example_model_benchmark_registers_and_runs() -> None:
    pytest.importorskip("torch")
    registry, errors = load_registry([str(EXAMPLE)])
    assert not errors and registry.list_benchmarks() == ["tiny_classifier"]
    spec = registry.get("tiny_classifier")
    assert spec.category == "inference" and "cpu" in spec.hardware
    settings = RunnerSettings(warmup=0, repeats=2, processes=1)
    result = BenchmarkRunner(registry, settings=settings, isolation=False).execute(
        "tiny_classifier", {"hardware": "cpu", "batch_size": 4}
    )
    assert result.status == "ok", result.error
    assert result.stats("throughput_per_s") is not None
    assert result.metrics["predicted_classes"] >= 1


def test_the_library_runs_in_isolated_workers_through_the_cli(tmp_path: Path) -> None:
    suite = {
        "schema_version": 1,
        "name": "tiny",
        "targets": ["benchmig.benchmarks"],
        "defaults": {"hardware": ["cpu"], "processes": 1, "warmup": 0, "repeats": 1, "timeout": 60},
        "benchmarks": [
            {"name": "memory_bandwidth_numpy", "params": {"op": ["copy"], "size_mb": [4]}},
            {
                "name": "pool_error_recovery",
                "params": {
                    "mode": ["process"],
                    "fault": ["crash"],
                    "requests": [4],
                    "faults": [1],
                    "hidden": [8],
                },
            },
        ],
    }
    path = tmp_path / "suite.json"
    path.write_text(json.dumps(suite))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["run", "--suite", str(path), "--output-dir", str(out), "--no-history", "-q"]
    )
    assert result.exit_code == 0, result.output
    results = {r["benchmark"]: r for r in json.loads((out / "results.json").read_text())["results"]}
    assert results["memory_bandwidth_numpy"]["metrics"]["bandwidth_gb_s"] > 0
    recovery = results["pool_error_recovery"]["metrics"]
    # Calibration may call execute() more than once, so count against the faults injected.
    assert recovery["injected_faults"] >= 2
    assert recovery["lost_requests"] == 0
    assert recovery["recovered_failures"] == recovery["injected_faults"]
