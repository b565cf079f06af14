"""Delegating scripts: a benchmark that hands its operation to a timing harness of the tree."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from benchmig.codemods import ApplyOptions, apply_paths
from benchmig.codemods._engine import ApplyResult
from benchmig.codemods._outcome import FileOutcome
from tests.codemods.golden import Case, cases, check_case
from tests.codemods.trees import write_tree

RUNNER = """\
import time


class LatencyRunner:
    def __init__(self, warmup=1, iterations=5):
        self.warmup = warmup
        self.iterations = iterations

    def benchmark(self, size, batch_sizes):
        results = {}
        for batch_size in batch_sizes:
            data = list(range(size * batch_size))
            for _ in range(self.warmup):
                sum(data)
            start = time.perf_counter()
            for _ in range(self.iterations):
                sum(data)
            results[batch_size] = {"latency_ms": (time.perf_counter() - start) * 1000}
        return results
"""
RUN_RUNNER = """\
import argparse

from harness.runner import LatencyRunner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch-sizes", default="1,4")
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    # the runner owns the timing
    runner = LatencyRunner(iterations=args.iterations)
    results = runner.benchmark(args.size, [int(b) for b in args.batch_sizes.split(",")])
    for bs, r in results.items():
        print(bs, r["latency_ms"])


if __name__ == "__main__":
    main()
"""
TOOLS = """\
import time


def benchmark_fn(fn, size, iterations=10):
    start = time.perf_counter()
    for _ in range(iterations):
        fn(size)
    return (time.perf_counter() - start) / iterations * 1000


def serve(n):
    start = time.time()
    for _ in range(n):
        pass
    return time.time() - start
"""
RUN_TOOLS = """\
from tools import benchmark_fn


def build():
    return lambda n: sum(range(n))


if __name__ == "__main__":
    model = build()
    print("latency ms", benchmark_fn(model, 16, iterations=20))
"""
RUN_SERVE = """\
from tools import serve

if __name__ == "__main__":
    print("served in", serve(3))
"""
RUN_STAR = """\
from tools import benchmark_fn

if __name__ == "__main__":
    options = {"iterations": 3}
    print(benchmark_fn(len, 4, **options))
"""
PKG_TIMING = """\
import time


def measure_latency(name, n=5):
    start = time.perf_counter()
    for _ in range(n):
        name.upper()
    return (time.perf_counter() - start) / n
"""
PKG_RUN = """\
from . import timing


def main():
    print(timing.measure_latency("bert", n=7))


if __name__ == "__main__":
    main()
"""


def _apply(tmp_path: Path, files: dict[str, str]) -> tuple[ApplyResult, Path]:
    root = write_tree(tmp_path / "legacy", files)
    out = tmp_path / "out"
    result = apply_paths([root], ApplyOptions(mode="out", out_dir=out, jobs=1, use_cache=False))
    return result, out


def _file(result: ApplyResult, path: str) -> FileOutcome:
    return next(f for f in result.files if f.path == path)


def test_a_method_of_a_tree_object_becomes_an_adapter_with_its_sweep_as_params(
    tmp_path: Path,
) -> None:
    result, out = _apply(
        tmp_path,
        {"harness/__init__.py": "", "harness/runner.py": RUNNER, "run_latency.py": RUN_RUNNER},
    )
    outcome = _file(result, "run_latency.py")
    assert outcome.strategy == "adapter", outcome
    (unit,) = [u for u in outcome.units if u.codemod == "register-benchmark"]
    assert (unit.unit, unit.kind, unit.tier, unit.line) == ("main", "helper_call", "adapter", 14)
    assert dict(unit.params) == {"size": [64], "batch_size": [1, 4]}
    assert "LatencyRunner.benchmark (harness/runner.py:9)" in unit.warnings[0]
    text = (out / "run_latency.py").read_text()
    assert "runner = LatencyRunner(iterations=5)\n        self.runner = runner\n" in text
    assert 'return self.runner.benchmark(self.config["size"], [self.config["batch_size"]])' in text
    assert '"--batch-sizes": "batch_size"' in text
    assert "# the runner owns the timing" in text  # the legacy main() is kept as it was
    cst.parse_module(text)


def test_a_tree_function_called_from_the_main_block_is_called_with_the_setup_values(
    tmp_path: Path,
) -> None:
    result, out = _apply(tmp_path, {"tools.py": TOOLS, "run_tools.py": RUN_TOOLS})
    (unit,) = [u for u in _file(result, "run_tools.py").units if u.tier != "manual"]
    assert unit.kind == "helper_call" and unit.tier == "adapter"
    text = (out / "run_tools.py").read_text()
    assert "model = build()\n        self.model = model\n" in text
    assert "return benchmark_fn(self.model, 16, iterations=20)" in text
    assert 'legacy_metrics(raw, time_unit="ms")' in text  # the harness returns * 1000


def test_a_module_imported_relatively_from_a_package_is_followed(tmp_path: Path) -> None:
    files = {"pkg/__init__.py": "", "pkg/timing.py": PKG_TIMING, "pkg/run_bert.py": PKG_RUN}
    result, out = _apply(tmp_path, files)
    assert _file(result, "pkg/run_bert.py").strategy == "adapter"
    text = (out / "pkg" / "run_bert.py").read_text()
    assert 'return timing.measure_latency("bert", n=7)' in text
    assert 'legacy_metrics(raw, time_unit="s")' in text


def test_a_timed_function_not_named_as_a_harness_is_left_manual(tmp_path: Path) -> None:
    result, out = _apply(tmp_path, {"tools.py": TOOLS, "run_serve.py": RUN_SERVE})
    outcome = _file(result, "run_serve.py")
    assert outcome.strategy == "manual"
    assert all(not u.benchmarks for u in outcome.units)
    assert (out / "run_serve.py").read_text() == RUN_SERVE


def test_a_harness_call_with_unpacked_arguments_is_manual_with_the_reason(tmp_path: Path) -> None:
    result, out = _apply(tmp_path, {"tools.py": TOOLS, "run_star.py": RUN_STAR})
    (unit,) = _file(result, "run_star.py").units
    assert unit.tier == "manual"
    assert "run_star.py:5: the timing is done by benchmark_fn (tools.py:4)" in unit.reasons[0]
    assert "passes *args/**kwargs" in unit.reasons[0]
    assert (out / "run_star.py").read_text() == RUN_STAR


def test_the_migrated_tree_is_left_unchanged_by_a_second_application(tmp_path: Path) -> None:
    files = {"harness/__init__.py": "", "harness/runner.py": RUNNER, "run_latency.py": RUN_RUNNER}
    _, out = _apply(tmp_path, files)
    again = apply_paths([out], ApplyOptions(mode="check", jobs=1, use_cache=False))
    assert not again.changed, [f.path for f in again.changed]
    assert _file(again, "run_latency.py").strategy == "migrated"


@pytest.mark.parametrize("case", cases("register_benchmark_tree"))
def test_golden_delegating_scripts(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)
