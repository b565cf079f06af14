"""The runner: timing, isolation (raise, hang, crash), skipping, interruption, results files."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from benchmig.framework import BenchmarkRegistry, BenchmarkRunner
from benchmig.framework._loader import load_targets, resolve_target
from benchmig.framework._planning import plan_cases
from benchmig.framework._runner import RunProgress
from benchmig.framework._settings import RunnerSettings

FAST = RunnerSettings(warmup=1, max_time=0.3, min_time=0.05, processes=2, timeout=5.0)

MODULE = """
import os, signal, time
from benchmig.framework import BenchmarkBase, BenchmarkRegistry

@BenchmarkRegistry.register(name="ok_sleep", params={"ms": [1, 2]})
class OkSleep(BenchmarkBase):
    items_per_call = 10
    def execute(self):
        time.sleep(self.config["ms"] / 1000)
    def process_results(self, raw):
        return {"custom_gflops": 2.5, "ignored": "text"}

@BenchmarkRegistry.register(name="raises")
class Raises(BenchmarkBase):
    def execute(self):
        raise ValueError("broken benchmark")

@BenchmarkRegistry.register(name="hangs", params={"n": [1, 2]})
class Hangs(BenchmarkBase):
    def execute(self):
        if self.config["n"] == 1:
            time.sleep(3600)

@BenchmarkRegistry.register(name="crashes", params={"n": [1, 2]})
class Crashes(BenchmarkBase):
    def execute(self):
        if self.config["n"] == 1:
            os.kill(os.getpid(), signal.SIGSEGV)

@BenchmarkRegistry.register(name="needs_webnn", hardware=["webnn"])
class NeedsWebnn(BenchmarkBase):
    def execute(self):
        pass

@BenchmarkRegistry.register(name="cleanup_tracked")
class CleanupTracked(BenchmarkBase):
    def setup(self):
        self.marker = os.environ.get("CLEANUP_MARKER")
    def execute(self):
        raise RuntimeError("fails after setup")
    def cleanup(self):
        if self.marker:
            open(self.marker, "w").write("cleaned")
"""


@pytest.fixture
def registry(tmp_path: Path) -> BenchmarkRegistry:
    path = tmp_path / "runner_benches.py"
    path.write_text(textwrap.dedent(MODULE))
    registry = BenchmarkRegistry()
    load_targets(resolve_target(str(path)), registry)
    return registry


def _run(
    registry: BenchmarkRegistry,
    names: list[str],
    settings: RunnerSettings = FAST,
    **kwargs: object,
) -> BenchmarkRunner:
    runner = BenchmarkRunner(registry, settings=settings, **kwargs)  # type: ignore[arg-type]
    cases = [c for n in names for c in plan_cases(registry.get(n), settings, runner.hardware_info)]
    runner.run_cases(cases)
    return runner


def test_isolated_run_survives_raise_hang_and_crash(registry: BenchmarkRegistry) -> None:
    runner = _run(registry, ["raises", "hangs", "crashes", "ok_sleep"], progress=None)
    by = {(r.benchmark, json.dumps(r.params)): r for r in runner.results}
    raised = by[("raises", "{}")]
    assert raised.status == "failed" and "ValueError: broken benchmark" in (raised.error or "")
    assert by[("hangs", '{"n": 1}')].status == "timeout"
    assert by[("hangs", '{"n": 2}')].status == "ok"
    crashed = by[("crashes", '{"n": 1}')]
    assert crashed.status == "failed" and "SIGSEGV" in (crashed.error or "")
    assert by[("crashes", '{"n": 2}')].status == "ok"
    ok = by[("ok_sleep", '{"ms": 2}')]
    assert ok.status == "ok"
    latency = ok.stats("latency_ms")
    assert latency is not None and 1.9 < latency.median < 3.0
    assert set(ok.sample_groups) == {0, 1}
    assert len(ok.samples["latency_ms"]) == latency.n == len(ok.sample_groups)
    throughput = ok.stats("throughput_per_s")
    assert throughput is not None and throughput.median == pytest.approx(
        10_000 / latency.median, rel=0.05
    )
    assert ok.metrics["custom_gflops"] == 2.5
    assert "ignored" not in ok.metrics
    assert isinstance(ok.metrics["peak_memory_mb"], float)


def test_in_process_run_records_failures_and_runs_cleanup(
    registry: BenchmarkRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "marker"
    monkeypatch.setenv("CLEANUP_MARKER", str(marker))
    runner = _run(registry, ["cleanup_tracked", "ok_sleep"], isolation=False)
    statuses = {r.benchmark: r.status for r in runner.results}
    assert statuses == {"cleanup_tracked": "failed", "ok_sleep": "ok"}
    assert marker.read_text() == "cleaned"


def test_unavailable_hardware_is_skipped_with_the_reason(registry: BenchmarkRegistry) -> None:
    runner = _run(registry, ["needs_webnn"])
    (result,) = runner.results
    assert result.status == "skipped"
    assert "webnn is not available here" in (result.error or "")


def test_execute_seed_api_and_save_results(registry: BenchmarkRegistry, tmp_path: Path) -> None:
    runner = BenchmarkRunner(registry, settings=FAST)
    result = runner.execute("ok_sleep", {"hardware": "cpu", "ms": 1})
    assert result.status == "ok" and result.params == {"ms": 1}
    path = runner.save_results(tmp_path / "out")
    document = json.loads(path.read_text())
    assert document["schema_version"] == 1
    assert document["results"][0]["benchmark"] == "ok_sleep"
    assert document["results"][0]["metrics"]["latency_ms"]["n"] > 0


def test_ctrl_c_writes_what_finished(registry: BenchmarkRegistry, tmp_path: Path) -> None:
    seen: list[RunProgress] = []

    def interrupt_after_two(event: RunProgress) -> None:
        seen.append(event)
        if len(seen) == 2:
            raise KeyboardInterrupt

    out = tmp_path / "partial"
    settings = RunnerSettings(warmup=1, max_time=0.2, min_time=0.05, processes=1, timeout=5.0)
    runner = BenchmarkRunner(
        registry, settings=settings, output_dir=out, progress=interrupt_after_two
    )
    cases = plan_cases(registry.get("ok_sleep"), settings, runner.hardware_info)
    cases += plan_cases(registry.get("crashes"), settings, runner.hardware_info)
    with pytest.raises(KeyboardInterrupt):
        runner.run_cases(cases)
    document = json.loads((out / "results.json").read_text())
    assert document["interrupted"] is True
    assert [r["status"] for r in document["results"]] == ["ok", "ok"]


TORCH_MODULE = """
from benchmig.framework import BenchmarkBase, BenchmarkRegistry

@BenchmarkRegistry.register(name="torch_linear", category="inference",
                            hardware=["cpu", "cuda"], params={"batch_size": [4]})
class TorchLinear(BenchmarkBase):
    items_per_call = "batch_size"

    def setup(self):
        import torch
        self.model = torch.nn.Linear(64, 64).to(self.hardware).eval()
        self.x = torch.randn(self.config["batch_size"], 64, device=self.hardware)

    def execute(self):
        import torch
        with torch.no_grad():
            return self.model(self.x)

    def process_results(self, raw):
        return {"output_elements": float(raw.numel())}
"""


def test_torch_benchmark_runs_isolated_on_cpu_and_skips_absent_cuda(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = tmp_path / "torch_benches.py"
    path.write_text(textwrap.dedent(TORCH_MODULE))
    registry = BenchmarkRegistry()
    load_targets(resolve_target(str(path)), registry)
    # importing torch inside setup() counts towards the case: allow for a busy machine
    runner = _run(
        registry,
        ["torch_linear"],
        settings=RunnerSettings(warmup=1, max_time=0.3, min_time=0.05, processes=1, timeout=120.0),
    )
    by_hw = {r.hardware: r for r in runner.results}
    assert by_hw["cpu"].status == "ok", by_hw["cpu"].error
    assert by_hw["cpu"].metrics["output_elements"] == 256.0
    assert by_hw["cpu"].stats("throughput_per_s") is not None
    from benchmig.framework._hardware import available_hardware

    expected_cuda = "ok" if "cuda" in available_hardware(runner.hardware_info) else "skipped"
    assert by_hw["cuda"].status == expected_cuda


def test_setup_failure_still_cleans_up_and_reports_the_setup_error(tmp_path: Path) -> None:
    from benchmig.framework import BenchmarkBase

    cleaned: list[bool] = []
    registry = BenchmarkRegistry()

    @registry.register(name="bad_setup")
    class BadSetup(BenchmarkBase):
        def setup(self) -> None:
            raise OSError("no device")

        def cleanup(self) -> None:
            cleaned.append(True)
            raise AttributeError("self.model was never built")

    runner = _run(registry, ["bad_setup"], isolation=False)
    (result,) = runner.results
    assert result.status == "failed" and "OSError: no device" in (result.error or "")
    assert cleaned == [True]


def test_missing_required_package_is_a_skip_with_the_reason() -> None:
    from benchmig.framework import BenchmarkBase

    registry = BenchmarkRegistry()
    registry.register(name="needs_pkg", requires=["no_such_package_xyz"])(
        type("NeedsPkg", (BenchmarkBase,), {})
    )
    runner = _run(registry, ["needs_pkg"], isolation=False)
    (result,) = runner.results
    assert result.status == "skipped"
    assert "no_such_package_xyz" in (result.error or "")


def test_every_sample_has_the_machine_probe_taken_right_before_it(
    registry: BenchmarkRegistry,
) -> None:
    runner = _run(registry, ["ok_sleep"])
    result = next(r for r in runner.results if r.params == {"ms": 1})
    probes = result.settings["sample_probe_us"]
    assert len(probes) == len(result.samples["latency_ms"]) == len(result.sample_groups)
    assert all(p > 0 for p in probes)
    assert len(result.settings["machine_probe_ms"]) == 2 * FAST.processes  # around each round
    assert all(0.0 <= share < 0.5 for share in result.settings["cpu_share"])  # a sleep waits


def test_an_adapter_case_calls_the_legacy_function_once_per_sample() -> None:
    """``min_sample_time=0`` (adapter settings): no calibration call before the samples."""
    from benchmig.framework import BenchmarkBase
    from benchmig.framework._measure import measure_case

    calls: list[int] = []

    class Legacy(BenchmarkBase):
        def execute(self) -> int:
            calls.append(1)
            return len(calls)

    settings = RunnerSettings(warmup=0, repeats=2, processes=1, min_sample_time=0.0)
    measured = measure_case(Legacy, {}, "cpu", settings)
    assert len(calls) == 2 == len(measured.latency_ms)
    assert measured.inner_loops == 1
