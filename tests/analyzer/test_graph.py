"""Import resolution and graph facts, on trees of hand-built FileFacts (no extractor needed)."""

from __future__ import annotations

from typing import Any

from benchmig.analyzer._facts import FileFacts, Idiom, ImportRecord
from benchmig.analyzer._graph import GraphBuilder, GraphFacts, build_graph
from benchmig.analyzer._resolve import is_stdlib


def _facts(
    path: str, *imports: ImportRecord, idioms: tuple[Idiom, ...] = (), **kw: Any
) -> FileFacts:
    module = path[:-3].replace("/", ".").removesuffix(".__init__")
    return FileFacts(path=path, module=module, status="ok", imports=imports, idioms=idioms, **kw)


def _imp(module: str, line: int = 1, names: tuple[str, ...] = (), **kw: Any) -> ImportRecord:
    level = len(module) - len(module.lstrip("."))
    return ImportRecord(module=module, names=names, line=line, level=level, **kw)


def _hack(target: str, kind: str = "dir", operation: str = "insert") -> Idiom:
    attrs = {
        "target": target,
        "target_kind": kind,
        "operation": operation,
        "relative_to_file": kind in ("dir", "file"),
    }
    return Idiom("sys_path_hack", 1, attrs=attrs)


def _resolution(graph: GraphFacts, path: str, index: int = 0) -> tuple[str, tuple[str, ...], str]:
    found = graph.imports[path][index]
    return found.resolution, found.targets, found.via


def test_sibling_script_root_and_package_relative_imports_are_exact() -> None:
    graph = build_graph(
        [
            _facts("bench/run.py", _imp("helpers", 3), _imp("common.timing", 4, ("Timer",))),
            _facts("bench/helpers.py"),
            _facts("common/__init__.py"),
            _facts("common/timing.py"),
            _facts("pkg/__init__.py"),
            _facts("pkg/sub/mod.py", _imp("..util", 2, ("f",)), _imp(".", 5, ("sibling",))),
            _facts("pkg/util.py"),
            _facts("pkg/sub/sibling.py"),
        ]
    )
    assert _resolution(graph, "bench/run.py", 0) == ("exact", ("bench/helpers.py",), "script_dir")
    assert _resolution(graph, "bench/run.py", 1) == ("exact", ("common/timing.py",), "root")
    assert _resolution(graph, "pkg/sub/mod.py", 0) == ("exact", ("pkg/util.py",), "relative")
    assert _resolution(graph, "pkg/sub/mod.py", 1) == (
        "exact",
        ("pkg/sub/sibling.py",),
        "relative",
    )
    edge = next(
        e for e in graph.edges if e.source == "bench/run.py" and e.target == "bench/helpers.py"
    )
    assert (edge.kind, edge.line, edge.resolution) == ("import", 3, "exact")


def test_sys_path_hack_folders_are_searched() -> None:
    files = [
        _facts("tools/report.py", _imp("hardware_detection", 9), idioms=(_hack("../shared"),)),
        _facts("shared/hardware_detection.py"),
        _facts("other/hardware_detection.py"),
        _facts(
            "tools/cwd_style.py", _imp("hardware_detection", 4), idioms=(_hack("shared", "cwd"),)
        ),
    ]
    graph = build_graph(files)
    expected = ("exact", ("shared/hardware_detection.py",), "sys_path_hack")
    assert _resolution(graph, "tools/report.py") == expected
    assert _resolution(graph, "tools/cwd_style.py") == expected


def test_a_hack_adding_the_own_folder_is_the_script_folder() -> None:
    graph = build_graph(
        [_facts("b/run.py", _imp("util"), idioms=(_hack("."),)), _facts("b/util.py")]
    )
    assert _resolution(graph, "b/run.py") == ("exact", ("b/util.py",), "script_dir")


def test_bare_names_unique_are_exact_several_are_ambiguous_edges() -> None:
    graph = build_graph(
        [
            _facts("tools/cmp.py", _imp("hardware_detection", 15), _imp("timing", 21)),
            _facts("benchmarks/hardware_detection.py"),
            _facts("common/hardware_detection.py"),
            _facts("common/timing.py"),
        ]
    )
    resolution, targets, via = _resolution(graph, "tools/cmp.py", 0)
    assert (resolution, via) == ("ambiguous", "bare_name")
    assert targets == ("benchmarks/hardware_detection.py", "common/hardware_detection.py")
    assert "2 files" in graph.imports["tools/cmp.py"][0].reason
    assert _resolution(graph, "tools/cmp.py", 1) == ("exact", ("common/timing.py",), "bare_name")
    ambiguous = graph.local_edges("ambiguous")
    assert {e.target for e in ambiguous} == set(targets)
    assert all(e.line == 15 for e in ambiguous)


def test_missing_modules_are_unresolved_with_line_and_guard() -> None:
    graph = build_graph(
        [
            _facts(
                "a/b.py",
                _imp("benchmark_db_api", 50, guarded=True),
                _imp(".legacy_metrics", 17),
                _imp("....above", 3),
                _imp("numpy", 2),
                _imp("os.path", 1),
            )
        ]
    )
    unresolved = {u.module: u for u in graph.unresolved}
    assert set(unresolved) == {"benchmark_db_api", ".legacy_metrics", "....above"}
    assert unresolved["benchmark_db_api"].guarded and unresolved["benchmark_db_api"].line == 50
    assert "above the analysed root" in unresolved["....above"].reason
    assert _resolution(graph, "a/b.py", 3) == ("external", ("numpy",), "external")
    assert _resolution(graph, "a/b.py", 4) == ("stdlib", ("os",), "stdlib")
    assert graph.externals == ("external:numpy", "stdlib:os")
    assert is_stdlib("distutils") and is_stdlib("json") and not is_stdlib("torch")


def test_cycles_use_exact_edges_only_and_order_groups_them() -> None:
    graph = build_graph(
        [
            _facts("b/bench_utils.py", _imp("report_utils", 6)),
            _facts("b/report_utils.py", _imp("bench_utils", 6)),
            _facts("b/run.py", _imp("bench_utils", 3)),
            _facts("x/m.py", _imp("dup", 1)),
            _facts("y/dup.py", _imp("m", 1)),
            _facts("z/dup.py"),
            _facts("lonely.py", _imp("json")),
        ]
    )
    assert graph.cycles == (("b/bench_utils.py", "b/report_utils.py"),)
    order = [(s.files, s.cycle) for s in graph.migration_order]
    position = {f: n for n, (files, _) in enumerate(order) for f in files}
    assert (("b/bench_utils.py", "b/report_utils.py"), True) in order
    assert position["b/bench_utils.py"] < position["b/run.py"]
    # x/m -> dup is ambiguous (two dup.py), y/dup -> m is exact: no cycle, and m comes first
    assert position["x/m.py"] < position["y/dup.py"]
    assert graph.orphans == ("lonely.py",)
    assert graph.fan_in["b/bench_utils.py"] == 2 and graph.fan_out["b/run.py"] == 1
    assert sorted(len(s.files) for s in graph.migration_order) == [1, 1, 1, 1, 1, 2]


def test_migration_order_is_deps_first_and_stable_by_path() -> None:
    files = [
        _facts("z_script.py", _imp("lib.core")),
        _facts("a_script.py", _imp("lib.util")),
        _facts("lib/__init__.py"),
        _facts("lib/core.py", _imp("lib.util")),
        _facts("lib/util.py"),
    ]
    graph = build_graph(files)
    flat = [step.files[0] for step in graph.migration_order]
    assert flat == ["lib/__init__.py", "lib/util.py", "a_script.py", "lib/core.py", "z_script.py"]
    assert build_graph(list(reversed(files))).migration_order == graph.migration_order


def test_launched_scripts_become_subprocess_edges_or_missing() -> None:
    launches = (
        Idiom("subprocess_launch", 10, attrs={"target": "bench_a.py", "launches_python": True}),
        Idiom("subprocess_launch", 11, attrs={"target": "gone.py", "launches_python": True}),
        Idiom("subprocess_launch", 12, attrs={"target": None, "launches_python": True}),
    )
    graph = build_graph([_facts("b/run_all.py", idioms=launches), _facts("b/bench_a.py")])
    (edge,) = graph.local_edges()
    assert (edge.target, edge.kind, edge.line) == ("b/bench_a.py", "subprocess", 10)
    (missing,) = graph.unresolved
    assert (missing.module, missing.kind, missing.line) == ("gone.py", "subprocess", 11)
    assert "does not exist" in missing.reason


def test_skipped_files_are_targets_but_not_ordered() -> None:
    broken = FileFacts(path="helpers.py", module="helpers", status="skipped")
    graph = build_graph([_facts("run.py", _imp("helpers")), broken])
    assert _resolution(graph, "run.py")[0] == "exact"
    assert [s.files for s in graph.migration_order] == [("run.py",)]


def test_package_modules_do_not_shadow_well_known_names_scripts_do() -> None:
    graph = build_graph(
        [
            _facts("lib/__init__.py"),
            _facts("lib/comm.py", _imp("torch"), _imp("json"), _imp("helpers")),
            _facts("lib/torch.py"),
            _facts("lib/json.py"),
            _facts("lib/helpers.py"),
            _facts("scripts/run.py", _imp("torch")),
            _facts("scripts/torch.py"),
            _facts("tools/other.py", _imp("torch")),
        ]
    )
    assert _resolution(graph, "lib/comm.py", 0) == ("external", ("torch",), "external")
    assert _resolution(graph, "lib/comm.py", 1) == ("stdlib", ("json",), "stdlib")
    # a Python 2 style implicit relative import still finds the sibling, as a last resort
    assert _resolution(graph, "lib/comm.py", 2) == ("exact", ("lib/helpers.py",), "script_dir")
    # a script's folder is sys.path[0]: its torch.py really does shadow torch
    assert _resolution(graph, "scripts/run.py") == ("exact", ("scripts/torch.py",), "script_dir")
    # torch.py files elsewhere do not make "import torch" ambiguous
    assert _resolution(graph, "tools/other.py") == ("external", ("torch",), "external")


def test_a_root_that_is_a_package_is_imported_by_its_name() -> None:
    files = [
        _facts("__init__.py"),
        _facts("core/util.py"),
        _facts("run.py", _imp("mypkg.core.util")),
    ]
    graph = build_graph(files, root_package="mypkg")
    assert _resolution(graph, "run.py") == ("exact", ("core/util.py",), "root")
    assert _resolution(build_graph(files), "run.py")[0] == "unresolved"


def test_a_module_missing_below_a_local_package_is_unresolved_and_says_where() -> None:
    graph = build_graph([_facts("run.py", _imp("data.gone.module", 7)), _facts("data/__init__.py")])
    (missing,) = graph.unresolved
    assert (missing.module, missing.line) == ("data.gone.module", 7)
    assert "the tree has data but nothing for the rest" in missing.reason


def test_ambiguous_candidates_come_nearest_first_but_stay_ambiguous() -> None:
    graph = build_graph(
        [
            _facts("copy_b/suite/bench/run.py", _imp("benchmark_core", 3)),
            _facts("copy_a/suite/benchmark_core/__init__.py"),
            _facts("copy_b/suite/benchmark_core/__init__.py"),
        ]
    )
    resolution, targets, _ = _resolution(graph, "copy_b/suite/bench/run.py")
    assert resolution == "ambiguous"
    assert targets == (
        "copy_b/suite/benchmark_core/__init__.py",
        "copy_a/suite/benchmark_core/__init__.py",
    )
    assert "nearest first" in graph.imports["copy_b/suite/bench/run.py"][0].reason


def _tree_for_builder() -> list[FileFacts]:
    return [
        _facts("b/bench_utils.py", _imp("report_utils", 6), _imp("gone", 2), _imp("gone", 2)),
        _facts("b/report_utils.py", _imp("bench_utils", 6), _imp("numpy", 1)),
        _facts("b/run.py", _imp("bench_utils", 3), _imp("missing.mod", 4)),
        _facts("c/run.py", _imp("bench_utils", 1), _imp("report_utils", 2)),
    ]


def test_the_incremental_builder_gives_build_graphs_answer_in_any_order() -> None:
    files = _tree_for_builder()
    expected = build_graph(files, root_package="root")
    builder = GraphBuilder([f.path for f in files], root_package="root")
    for facts in reversed(files):  # as records arrive from workers: any order
        builder.add_file(facts)
    assert builder.holds(files)
    graph = builder.finish(files)
    assert graph == expected
    assert list(graph.imports) == [f.path for f in files]  # the order of the files given


def test_the_incremental_builder_rebuilds_when_it_holds_other_files() -> None:
    files = _tree_for_builder()
    builder = GraphBuilder([f.path for f in files])
    for facts in files[:2]:  # two files never arrived
        builder.add_file(facts)
    assert not builder.holds(files)
    assert builder.finish(files) == build_graph(files)
    twice = GraphBuilder([f.path for f in files])
    for facts in [*files, files[0]]:  # one file added twice
        twice.add_file(facts)
    assert not twice.holds(files)
    assert twice.finish(files) == build_graph(files)
