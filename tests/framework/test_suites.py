"""Tests of suite files: loading, validation and selection against a registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.errors import InputError, SchemaVersionError, UnknownBenchmarkError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry
from benchmig.framework._suites import (
    Suite,
    SuiteEntry,
    SuiteTarget,
    load_suite,
    select_cases,
)


def make_registry() -> BenchmarkRegistry:
    """A fresh registry: an inference benchmark, two hardware matmuls and a pool benchmark."""
    registry = BenchmarkRegistry()

    @registry.register(
        name="mlp_latency",
        category="inference",
        hardware=["cpu", "cuda"],
        params={"batch_size": [1, 8, 32], "dtype": ["float32"]},
    )
    class MlpLatency(BenchmarkBase):
        def execute(self) -> None:
            return None

    @registry.register(name="matmul_small", category="hardware", params={"n": [64]})
    class MatmulSmall(BenchmarkBase):
        def execute(self) -> None:
            return None

    @registry.register(name="matmul_large", category="hardware", params={"n": [4096]})
    class MatmulLarge(BenchmarkBase):
        def execute(self) -> None:
            return None

    @registry.register(name="pool_recovery", category="resource_pool")
    class PoolRecovery(BenchmarkBase):
        def execute(self) -> None:
            return None

    return registry


EXAMPLE: dict[str, Any] = {
    "schema_version": 1,
    "kind": "benchmig-suite",
    "name": "quick-cpu",
    "description": "Fast checks on CPU",
    "targets": ["benchmig.benchmarks", "perf/"],
    "defaults": {"hardware": ["cpu"], "warmup": 2, "repeats": 20, "timeout": 60, "processes": 2},
    "benchmarks": [
        {
            "name": "mlp_latency",
            "params": {"batch_size": [1, 8]},
            "hardware": ["cpu"],
            "repeats": 10,
        },
        {"pattern": "matmul_*"},
        {"category": "resource_pool", "min_time": 0.5, "hardware": ["CUDA"]},
    ],
}


def write_suite(folder: Path, document: Any, name: str = "suite.json") -> Path:
    (folder / "perf").mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def with_changes(**changes: Any) -> dict[str, Any]:
    return {**EXAMPLE, **changes}


def with_entry(entry: Any, index: int = 1) -> dict[str, Any]:
    entries = list(EXAMPLE["benchmarks"])
    entries[index] = entry
    return with_changes(benchmarks=entries)


# -- loading ----------------------------------------------------------------------------------


def test_load_example(tmp_path: Path) -> None:
    suite = load_suite(write_suite(tmp_path, EXAMPLE))
    assert suite.path == tmp_path / "suite.json"
    assert (suite.name, suite.description) == ("quick-cpu", "Fast checks on CPU")
    assert suite.targets == (
        SuiteTarget("benchmig.benchmarks", module="benchmig.benchmarks"),
        SuiteTarget("perf/", path=(tmp_path / "perf").resolve()),
    )
    assert suite.hardware == ("cpu",)
    assert suite.settings == {"warmup": 2, "repeats": 20, "timeout": 60, "processes": 2}
    assert suite.entries == (
        SuiteEntry(0, name="mlp_latency", params={"batch_size": (1, 8)}, hardware=("cpu",),
                   settings={"repeats": 10}),
        SuiteEntry(1, pattern="matmul_*"),
        SuiteEntry(2, category="resource_pool", hardware=("cuda",), settings={"min_time": 0.5}),
    )  # fmt: skip


def test_minimal_suite(tmp_path: Path) -> None:
    suite = load_suite(write_suite(tmp_path, {"schema_version": 1, "name": "all"}))
    assert suite == Suite(path=tmp_path / "suite.json", name="all")


def test_file_targets_are_relative_to_the_suite_folder(tmp_path: Path) -> None:
    sub = tmp_path / "suites"
    sub.mkdir()
    (tmp_path / "bench_a.py").write_text("")
    (sub / "mods").mkdir()
    document = {"schema_version": 1, "name": "s", "targets": ["../bench_a.py", "mods"]}
    suite = load_suite(write_suite(sub, document))
    assert [t.path for t in suite.targets] == [
        (tmp_path / "bench_a.py").resolve(),
        (sub / "mods").resolve(),
    ]
    assert all(t.module is None for t in suite.targets)


INVALID: list[tuple[Any, str, str]] = [
    (with_changes(benchmark=[]), "benchmark", "unknown field; did you mean 'benchmarks'?"),
    (with_changes(name=""), "name", "must be a non-empty string, got ''"),
    ({"schema_version": 1}, "name", "must be a non-empty string, got None"),
    (with_changes(description=3), "description", "must be a string, got 3"),
    (with_changes(defaults=[]), "defaults", "must be an object, got []"),
    (with_changes(defaults={"repeat": 3}), "defaults.repeat", "unknown field; did you mean"),
    (with_changes(defaults={"repeats": 0}), "defaults.repeats", "a whole number >= 1, got 0"),
    (with_changes(defaults={"warmup": -1}), "defaults.warmup", "a whole number >= 0, got -1"),
    (with_changes(defaults={"warmup": 1.5}), "defaults.warmup", "a whole number >= 0, got 1.5"),
    (with_changes(defaults={"repeats": "10"}), "defaults.repeats", "got '10'"),
    (with_changes(defaults={"processes": True}), "defaults.processes", "got True"),
    (with_changes(defaults={"timeout": 0}), "defaults.timeout", "must be a number > 0, got 0"),
    (with_changes(defaults={"hardware": []}), "defaults.hardware", "must be a non-empty list"),
    (with_changes(defaults={"hardware": "cpu"}), "defaults.hardware", "got 'cpu'"),
    (with_changes(targets="perf/"), "targets", "must be a list of paths or modules"),
    (with_changes(targets=["missing/"]), "targets[0]", "'missing/' does not exist (looked for"),
    (with_changes(targets=["x", "not a module"]), "targets[1]", "must be an existing path or"),
    (with_changes(targets=["gone.py"]), "targets[0]", "'gone.py' does not exist"),
    (with_changes(benchmarks=[]), "benchmarks", "must be a non-empty list (leave it out"),
    (with_entry("mlp"), "benchmarks[1]", "must be an object, got 'mlp'"),
    (with_entry({"pattern": "m*", "repeat": 3}), "benchmarks[1].repeat", "unknown field; did"),
    (with_entry({"name": "a", "category": "b"}), "benchmarks[1]", "must have exactly one of"),
    (with_entry({"repeats": 3}), "benchmarks[1]", "must have exactly one of"),
    (with_entry({"name": ""}), "benchmarks[1].name", "must be a non-empty string, got ''"),
    (with_entry({"pattern": 3}), "benchmarks[1].pattern", "must be a non-empty string, got 3"),
    (with_entry({"name": "a", "params": [1]}), "benchmarks[1].params", "must be an object"),
    (
        with_entry({"name": "a", "params": {"batch_size": 8}}),
        "benchmarks[1].params.batch_size",
        "must be a non-empty list of values (write [8] for one value), got 8",
    ),
    (
        with_entry({"name": "a", "params": {"batch_size": []}}),
        "benchmarks[1].params.batch_size",
        "must be a non-empty list",
    ),
    (with_entry({"name": "a", "hardware": [""]}), "benchmarks[1].hardware", "non-empty list"),
    (with_entry({"name": "a", "max_time": -1}), "benchmarks[1].max_time", "a number > 0, got -1"),
]


@pytest.mark.parametrize(("document", "field", "problem"), INVALID)
def test_invalid_suites_name_file_entry_and_field(
    tmp_path: Path, document: Any, field: str, problem: str
) -> None:
    path = write_suite(tmp_path, document)
    with pytest.raises(InputError) as info:
        load_suite(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {field}: ")
    assert problem in message


def test_two_selectors_lists_the_keys(tmp_path: Path) -> None:
    path = write_suite(tmp_path, with_entry({"name": "a", "category": "b"}))
    with pytest.raises(InputError, match=r"got \['category', 'name'\]"):
        load_suite(path)


@pytest.mark.parametrize(
    ("document", "match"),
    [
        (with_changes(kind="benchmig-results"), "is a 'benchmig-results' document, not a"),
        ([EXAMPLE], "expected a JSON object at the top level"),
    ],
)
def test_not_a_suite(tmp_path: Path, document: Any, match: str) -> None:
    with pytest.raises(InputError, match=match):
        load_suite(write_suite(tmp_path, document))


def test_future_suite_version(tmp_path: Path) -> None:
    with pytest.raises(SchemaVersionError, match="newer benchmig"):
        load_suite(write_suite(tmp_path, with_changes(schema_version=2)))


def test_invalid_json_suite(tmp_path: Path) -> None:
    path = tmp_path / "suite.json"
    path.write_text('{\n  "schema_version": 1,\n  "name": "x",,\n}')
    with pytest.raises(InputError, match=r"not valid JSON \(line 3, col 15\)"):
        load_suite(path)


ENTRY_FIELDS = {"name", "pattern", "category", "params", "hardware", "warmup", "repeats"}
ENTRY_FIELDS |= {"timeout", "processes", "min_time", "max_time"}


@settings(max_examples=30, deadline=None)
@given(key=st.text(min_size=1, max_size=12).filter(lambda k: k not in ENTRY_FIELDS))
def test_every_unknown_entry_key_is_an_error(tmp_path_factory: Any, key: str) -> None:
    path = write_suite(tmp_path_factory.mktemp("s"), with_entry({"pattern": "matmul_*", key: 1}))
    with pytest.raises(InputError) as info:
        load_suite(path)
    assert f"benchmarks[1].{key}: unknown field" in str(info.value)


# -- selection --------------------------------------------------------------------------------


def test_select_example(tmp_path: Path) -> None:
    suite = load_suite(write_suite(tmp_path, EXAMPLE))
    selections = select_cases(suite, make_registry())
    assert [(s.spec.name, s.entry_index) for s in selections] == [
        ("mlp_latency", 0),
        ("matmul_large", 1),
        ("matmul_small", 1),
        ("pool_recovery", 2),
    ]
    mlp, large, _, pool = selections
    assert mlp.params_grid == {"batch_size": (1, 8), "dtype": ("float32",)}
    assert mlp.cases() == [
        {"batch_size": 1, "dtype": "float32"},
        {"batch_size": 8, "dtype": "float32"},
    ]
    assert mlp.hardware == ("cpu",)
    assert mlp.settings == {"warmup": 2, "repeats": 10, "timeout": 60, "processes": 2}
    assert large.params_grid == {"n": (4096,)}
    assert large.hardware == ("cpu",)
    assert large.settings == suite.settings
    assert pool.cases() == [{}]
    assert pool.hardware == ("cuda",)
    assert pool.settings["min_time"] == 0.5


def test_named_entries_win_over_patterns_and_categories(tmp_path: Path) -> None:
    document = {
        "schema_version": 1,
        "name": "s",
        "benchmarks": [
            {"category": "hardware"},
            {"pattern": "*"},
            {"name": "matmul_large", "repeats": 50},
            {"name": "matmul_large", "params": {"n": [128]}, "hardware": ["cuda"]},
        ],
    }
    selections = select_cases(load_suite(write_suite(tmp_path, document)), make_registry())
    assert [(s.spec.name, s.entry_index) for s in selections] == [
        ("matmul_small", 0),
        ("mlp_latency", 1),
        ("pool_recovery", 1),
        ("matmul_large", 2),
        ("matmul_large", 3),
    ]
    assert selections[3].settings == {"repeats": 50}
    assert selections[4].params_grid == {"n": (128,)}
    assert selections[3].hardware is None  # no suite default: the benchmark's own list


def test_suite_without_entries_selects_everything(tmp_path: Path) -> None:
    document = {"schema_version": 1, "name": "all", "defaults": {"repeats": 3}}
    suite = load_suite(write_suite(tmp_path, document))
    selections = select_cases(suite, make_registry())
    assert [s.spec.name for s in selections] == [
        "matmul_large",
        "matmul_small",
        "mlp_latency",
        "pool_recovery",
    ]
    assert all(s.settings == {"repeats": 3} and s.entry_index is None for s in selections)
    with pytest.raises(InputError, match="register no benchmark"):
        select_cases(suite, BenchmarkRegistry())


def test_unknown_name_names_the_suite_and_entry(tmp_path: Path) -> None:
    path = write_suite(tmp_path, with_entry({"name": "mlp_latncy"}, index=0))
    with pytest.raises(UnknownBenchmarkError) as info:
        select_cases(load_suite(path), make_registry())
    message = str(info.value)
    assert message.startswith(f"{path}: benchmarks[0].name: no benchmark named 'mlp_latncy'")
    assert "did you mean mlp_latency" in message


def test_undeclared_param_override(tmp_path: Path) -> None:
    entry = {"pattern": "matmul_*", "params": {"batch_size": [1]}}
    path = write_suite(tmp_path, with_entry(entry))
    with pytest.raises(InputError) as info:
        select_cases(load_suite(path), make_registry())
    message = str(info.value)
    assert f"{path}: benchmarks[1].params.batch_size" in message
    assert "'matmul_large'" in message
    assert "has no param 'batch_size' (it declares: n)" in message


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            {"pattern": "conv_*"},
            "pattern 'conv_*' matches no registered benchmark (registered: matmul_large, "
            "matmul_small, mlp_latency, pool_recovery)",
        ),
        (
            {"category": "training"},
            "category 'training' matches no registered benchmark (registered: hardware, "
            "inference, resource_pool)",
        ),
    ],
)
def test_selector_matching_nothing(tmp_path: Path, entry: dict[str, Any], problem: str) -> None:
    path = write_suite(tmp_path, with_entry(entry))
    with pytest.raises(InputError) as info:
        select_cases(load_suite(path), make_registry())
    assert str(info.value).startswith(f"{path}: benchmarks[1]: {problem}; ")
