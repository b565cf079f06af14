"""The framework side of the rewritten ``__main__`` block: ``run_legacy_main``, legacy metrics."""

from __future__ import annotations

import io
from typing import Any

import pytest

from benchmig.errors import BenchmigError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, RunnerSettings
from benchmig.framework import legacy_metrics as exported_legacy_metrics
from benchmig.framework import run_legacy_main as exported_run_legacy_main
from benchmig.framework._legacy_main import legacy_metrics, run_legacy_main

SETTINGS = RunnerSettings(max_time=0.1, processes=1, warmup=0, repeats=2, min_sample_time=0.0)


def _registry() -> BenchmarkRegistry:
    registry = BenchmarkRegistry()

    @registry.register(name="demo.sum", params={"n": [10, 20], "mode": ["fast"]}, tier="native")
    class SumBenchmark(BenchmarkBase):
        def setup(self) -> None:
            self.data = list(range(self.config["n"]))

        def execute(self) -> Any:
            return sum(self.data)

    @registry.register(name="demo.broken")
    class BrokenBenchmark(BenchmarkBase):
        def execute(self) -> Any:
            raise RuntimeError("legacy code crashed")

    return registry


def _run(argv: list[str], names: list[str] | None = None, **options: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run_legacy_main(
        names or ["demo.sum"],
        argv,
        options={"--sizes": "n", "--mode": "mode", "--iterations": "repeats", **options},
        registry=_registry(),
        settings=SETTINGS,
        stream=out,
    )
    return code, out.getvalue()


def test_framework_exports_the_entry_points_lazily() -> None:
    assert exported_run_legacy_main is run_legacy_main
    assert exported_legacy_metrics is legacy_metrics


def test_runs_every_case_of_the_grid_at_the_defaults() -> None:
    code, text = _run([])
    assert code == 0
    assert "n=10 mode=fast" in text and "n=20 mode=fast" in text


def test_legacy_options_replace_param_values_with_the_registered_types() -> None:
    code, text = _run(["--sizes", "3,4,5", "--mode", "slow", "--iterations", "2"])
    assert code == 0
    for n in (3, 4, 5):
        assert f"n={n} mode=slow" in text
    assert "n=10" not in text


def test_unknown_legacy_options_are_reported_and_ignored() -> None:
    code, text = _run(["--db-path", "x.duckdb"])
    assert code == 0
    assert "ignoring legacy options without a benchmark equivalent: --db-path x.duckdb" in text


def test_failures_give_the_partial_failure_exit_code() -> None:
    code, text = _run([], names=["demo.sum", "demo.broken"])
    assert code == 3
    assert "demo.broken" in text and "failed" in text and "legacy code crashed" in text


def test_unknown_benchmark_is_a_usage_error() -> None:
    code, text = _run([], names=["demo.nope"])
    assert code == 2
    assert "no benchmark named 'demo.nope'" in text


def test_unavailable_hardware_is_skipped_with_the_reason() -> None:
    code, text = _run(["--device", "webnn"], **{"--device": "hardware"})
    assert code == 0
    assert "skipped" in text


def test_help_lists_the_legacy_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        _run(["--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "--sizes" in help_text and "benchmark parameter" in help_text
    assert "runner setting" in help_text


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        (0.002, "s", {"legacy_latency_ms": 2.0}),
        (1.5, "ms", {"legacy_latency_ms": 1.5}),
        (250, "us", {"legacy_latency_ms": 0.25}),
        ([3.0, 1.0, 2.0], "ms", {"legacy_latency_ms": 2.0}),
        (
            {"latency_ms": 4.0, "throughput": 250.0, "memory_mb": 12.0, "n": 5, "ok": True},
            "s",
            {
                "legacy_latency_ms": 4.0,
                "legacy_throughput_per_s": 250.0,
                "legacy_peak_memory_mb": 12.0,
                "legacy_n": 5.0,
            },
        ),
        (
            {"average_latency_s": 0.5, "samples_per_sec": 10},
            "s",
            {
                "legacy_latency_ms": 500.0,
                "legacy_throughput_per_s": 10.0,
            },
        ),
        ({1: {"latency_ms": 1.0}, 8: {"latency_ms": 2.0}}, "s", {"legacy_latency_ms": 2.0}),
        ([{"avg_latency": 3.0}], "s", {"legacy_avg_latency": 3.0}),
        (None, "s", {}),
        ("text", "s", {}),
        ({"latency_ms": float("nan")}, "s", {}),
    ],
)
def test_legacy_metrics_normalise_names_and_units(
    raw: Any, unit: str, expected: dict[str, float]
) -> None:
    assert legacy_metrics(raw, time_unit=unit) == expected


def test_legacy_metrics_rejects_unknown_units() -> None:
    with pytest.raises(BenchmigError, match="unknown time unit"):
        legacy_metrics(1.0, time_unit="minutes")
