"""Graph-guided order, cluster decisions, clashing benchmark names, the process pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import benchmig.codemods._transform as _transform
from benchmig.analyzer import Cluster
from benchmig.codemods import ApplyOptions, FileOutcome, UnitOutcome, apply_paths
from benchmig.codemods._clusters import decide_clusters
from benchmig.codemods._names import plan_renames, rename_registrations
from benchmig.codemods._plan import ApplyPlan, FilePlan
from tests.codemods.trees import (
    BENCH_A,
    AddRegistrationCommand,
    RecordDoneCommand,
    legacy_tree,
    write_tree,
)

TEMPLATE = """\
import time

MODEL_NAME = "{model}"
BATCH_SIZES = [1, 2, 4]


class {cls}Benchmark:
    def __init__(self, runs=5):
        self.runs = runs

    def benchmark_{model}(self, batch_size):
        data = list(range(batch_size * 100))
        start = time.time()
        for _ in range(self.runs):
            sorted(data)
        return (time.time() - start) / self.runs


if __name__ == "__main__":
    bench = {cls}Benchmark()
    for size in BATCH_SIZES:
        print(MODEL_NAME, size, bench.benchmark_{model}(size))
"""


def _apply(root: Path, jobs: int = 1, **options: Any) -> Any:
    return apply_paths([root], ApplyOptions(mode="check", jobs=jobs, use_cache=False, **options))


def test_helpers_finish_before_their_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _transform, "codemod_classes", lambda names: dict.fromkeys(names, RecordDoneCommand)
    )
    RecordDoneCommand.seen.clear()
    _apply(legacy_tree(tmp_path / "legacy"), codemods=("remove-sys-path-hacks", "replace-timers"))
    assert RecordDoneCommand.seen["benchmarks/bench_sibling.py"] == ("benchmarks/helpers.py",)
    assert RecordDoneCommand.seen["benchmarks/helpers.py"] == ()


def test_a_cluster_is_decided_once_on_its_representative(tmp_path: Path) -> None:
    files = {
        f"generated/bench_{m}.py": TEMPLATE.format(model=m, cls=m.capitalize())
        for m in ("bert", "vit", "clip")
    }
    result = _apply(write_tree(tmp_path / "legacy", files), codemods=("replace-timers",))
    assert len(result.clusters) == 1
    cluster = result.clusters[0]
    assert set(cluster.members) == set(files)
    assert cluster.representative in files
    assert cluster.misfits == ()
    assert {f.status for f in result.files} == {"changed"}


def test_cluster_members_that_do_not_fit_are_named() -> None:
    unit = UnitOutcome(unit="f", kind="function", line=1, tier="native", codemod="x")
    manual = UnitOutcome(unit="f", kind="function", line=1, tier="manual", codemod="x")
    outcomes = {
        "a.py": FileOutcome("a.py", "changed", "native", units=(unit,)),
        "b.py": FileOutcome("b.py", "changed", "native", units=(unit,)),
        "c.py": FileOutcome("c.py", "changed", "manual", units=(manual,)),
    }
    plan = ApplyPlan(
        files={p: FilePlan(p) for p in outcomes},
        clusters=(Cluster("c1", ("a.py", "b.py", "c.py"), "a.py", 0.95, False),),
    )
    clusters, updated = decide_clusters(plan, outcomes)
    assert [c.id for c in clusters] == ["c1"]
    assert clusters[0].strategy == "native"
    assert clusters[0].misfits == (("c.py", "became manual, the cluster's decision is native"),)
    assert any("duplicate of a.py" in w for w in updated["c.py"].warnings)
    assert updated["b.py"].warnings == ()


def test_clashing_benchmark_names_are_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _transform, "codemod_classes", lambda names: dict.fromkeys(names, AddRegistrationCommand)
    )
    root = write_tree(tmp_path / "legacy", {"a/bench.py": BENCH_A, "b/sub/bench.py": BENCH_A})
    out = tmp_path / "out"
    result = apply_paths(
        [root],
        ApplyOptions(
            mode="out", out_dir=out, jobs=1, use_cache=False, codemods=("replace-timers",)
        ),
    )
    assert 'name="same"' in (out / "a" / "bench.py").read_text()
    assert 'name="same_sub"' in (out / "b" / "sub" / "bench.py").read_text()
    renamed = next(f for f in result.files if f.path == "b/sub/bench.py")
    assert renamed.units[0].benchmarks == ("same_sub",)
    assert any("renamed 'same_sub'" in w for w in renamed.warnings)


def test_rename_plan_keeps_the_shallowest_file() -> None:
    unit = UnitOutcome("u", "class", 1, "native", "x", benchmarks=("bench",))
    outcomes = {
        p: FileOutcome(p, "changed", "native", units=(unit,))
        for p in ("archive/old/bench.py", "bench.py", "other/bench.py")
    }
    assert plan_renames(outcomes) == {
        "archive/old/bench.py": {"bench": "bench_old"},
        "other/bench.py": {"bench": "bench_other"},
    }


def test_rename_adds_a_name_when_the_class_name_is_the_name() -> None:
    source = (
        b"from benchmig.framework import BenchmarkBase, BenchmarkRegistry\r\n"
        b"@BenchmarkRegistry.register(category='micro')\r\n"
        b"class Bench(BenchmarkBase):\r\n    pass\r\n"
    )
    renamed, found, _ = rename_registrations(source, {"Bench": "Bench_old"})
    assert found == {"Bench"}
    assert b"register(name=\"Bench_old\", category='micro')\r\n" in renamed


def test_the_process_pool_gives_the_same_result(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {f"b{i}.py": BENCH_A for i in range(5)})
    serial = _apply(root, jobs=1, codemods=("replace-timers",))
    parallel = _apply(root, jobs=2, codemods=("replace-timers",))
    assert serial.files == parallel.files
    assert {f.status for f in parallel.files} == {"changed"}
