"""A benchmark file no codemod migrated is reported manual with the reason and the lines."""

from __future__ import annotations

from pathlib import Path

from benchmig.codemods import ApplyOptions, ApplyResult, apply_paths, format_report
from benchmig.codemods._outcome import FileOutcome
from tests.codemods.trees import write_tree

HARNESS = """\
import time


def run_cases(cases, *args):
    for name, fn in cases.items():
        start = time.perf_counter()
        fn(*args)
        print(name, time.perf_counter() - start)
"""

DELEGATING = """\
from harness import run_cases


def add():
    return sum(range(1000))


if __name__ == "__main__":
    run_cases({"add": add})
"""

TIMER_HANDED_OVER = """\
from torch.utils import benchmark

from harness import run_cases


def cases(size):
    yield benchmark.Timer(stmt="sum(range(n))", globals={"n": size})


run_cases({"cases": cases}, 1000)
"""

TIMER_CALLED = """\
from torch.utils import benchmark


def cases(size):
    yield benchmark.Timer(stmt="sum(range(n))", globals={"n": size})


if __name__ == "__main__":
    for timer in cases(1000):
        print(timer.blocked_autorange())
"""


def _apply(tmp_path: Path) -> dict[str, FileOutcome]:
    root = write_tree(
        tmp_path / "legacy",
        {
            "harness.py": HARNESS,
            "bench_delegating.py": DELEGATING,
            "bench_handed.py": TIMER_HANDED_OVER,
            "bench_called.py": TIMER_CALLED,
        },
    )
    result: ApplyResult = apply_paths([root], ApplyOptions(mode="check", jobs=1, use_cache=False))
    return {f.path: f for f in result.files}


def test_unexplained_manual_files_get_a_reason_with_lines(tmp_path: Path) -> None:
    files = _apply(tmp_path)
    delegating = files["bench_delegating.py"]
    assert (delegating.status, delegating.strategy) == ("unchanged", "manual")
    (unit,) = delegating.units
    assert (unit.kind, unit.tier, unit.codemod, unit.line) == ("helper_call", "manual", "apply", 1)
    assert unit.benchmarks == ()
    assert unit.reasons[0].startswith("bench_delegating.py:1: the timing is done by harness.py")
    assert "run_cases" in unit.reasons[0]

    handed = files["bench_handed.py"]
    assert handed.strategy == "manual"
    (unit,) = handed.units
    assert (unit.unit, unit.kind, unit.line) == ("cases", "function", 7)
    assert unit.reasons[0].startswith("bench_handed.py:7: torch.utils.benchmark.Timer()")
    assert "register each Timer's stmt" in unit.reasons[0]


def test_migrated_and_helper_files_get_no_extra_unit(tmp_path: Path) -> None:
    files = _apply(tmp_path)
    called = files["bench_called.py"]
    assert called.strategy == "native"
    assert all(u.codemod != "apply" for u in called.units)
    assert files["harness.py"].strategy in ("helper", "none")
    assert all(u.codemod != "apply" for u in files["harness.py"].units)


def test_a_migrated_tree_applied_again_is_reported_migrated(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {"bench_called.py": TIMER_CALLED})
    out = tmp_path / "migrated"
    apply_paths([root], ApplyOptions(mode="out", out_dir=out, jobs=1, use_cache=False))
    again = apply_paths([out], ApplyOptions(mode="check", jobs=1, use_cache=False))
    (outcome,) = again.files
    assert outcome.status == "unchanged"
    assert outcome.strategy == "migrated"
    assert all(u.codemod != "apply" for u in outcome.units)
    assert "bench_called.py" not in format_report(again)  # quiet unless --verbose-report
    assert format_report(again, verbose=True).startswith("bench_called.py: unchanged, migrated")
