"""The registry: registration, lookup, filtering, duplicates, fresh registries."""

from __future__ import annotations

import pytest

from benchmig.errors import DuplicateBenchmarkError, InputError, UnknownBenchmarkError
from benchmig.framework import BenchmarkBase, BenchmarkRegistry


def test_register_on_instance_records_spec_and_grid() -> None:
    registry = BenchmarkRegistry()

    @registry.register(
        name="mlp",
        category="inference",
        hardware=["cpu", "CUDA"],
        params={"batch_size": [1, 8], "dtype": ["fp32"]},
        items_per_call=4,
    )
    class Mlp(BenchmarkBase):
        def execute(self) -> None:
            pass

    spec = registry.get("mlp")
    assert spec.cls is Mlp
    assert spec.category == "inference"
    assert spec.hardware == ("cpu", "cuda")
    assert spec.metadata == {"items_per_call": 4}
    assert spec.cases() == [{"batch_size": 1, "dtype": "fp32"}, {"batch_size": 8, "dtype": "fp32"}]
    assert spec.source_file is not None and spec.source_file.endswith("test_registry.py")
    assert spec.line is not None and spec.location.endswith(f":{spec.line}")


def test_class_level_register_goes_to_the_collecting_registry() -> None:
    fresh = BenchmarkRegistry()
    with fresh.collecting():

        @BenchmarkRegistry.register(name="collected")
        class Collected(BenchmarkBase):
            pass

    assert "collected" in fresh
    assert "collected" not in BenchmarkRegistry()


def test_name_defaults_to_class_name_and_no_params_gives_one_case() -> None:
    registry = BenchmarkRegistry()

    @registry.register()
    class Plain(BenchmarkBase):
        pass

    assert registry.list_benchmarks() == ["Plain"]
    assert registry.get("Plain").cases() == [{}]


def test_duplicate_names_are_an_error_naming_both_places() -> None:
    registry = BenchmarkRegistry()

    @registry.register(name="same")
    class First(BenchmarkBase):
        pass

    with pytest.raises(DuplicateBenchmarkError) as info:

        @registry.register(name="same")
        class Second(BenchmarkBase):
            pass

    message = str(info.value)
    assert message.count("test_registry.py:") == 2
    assert "another name" in message


def test_unknown_name_suggests_close_matches() -> None:
    registry = BenchmarkRegistry()

    @registry.register(name="matmul_fp32")
    class M(BenchmarkBase):
        pass

    with pytest.raises(UnknownBenchmarkError, match="did you mean matmul_fp32"):
        registry.get("matmul_fp23")


def test_filter_by_glob_category_and_hardware() -> None:
    registry = BenchmarkRegistry()
    for name, category, hardware in [
        ("a_cpu", "micro", ["cpu"]),
        ("a_gpu", "inference", ["cuda"]),
        ("b_both", "inference", ["cpu", "cuda"]),
    ]:
        registry.register(name=name, category=category, hardware=hardware)(
            type(name, (BenchmarkBase,), {})
        )
    assert [s.name for s in registry.filter("a_*")] == ["a_cpu", "a_gpu"]
    assert [s.name for s in registry.filter(category="inference")] == ["a_gpu", "b_both"]
    assert [s.name for s in registry.filter(hardware="cpu")] == ["a_cpu", "b_both"]


def test_scalar_params_are_rejected_with_a_hint() -> None:
    registry = BenchmarkRegistry()
    with pytest.raises(InputError, match=r"write params\['n'\]=\[4\]"):
        registry.register(name="bad", params={"n": 4})(type("Bad", (BenchmarkBase,), {}))


def test_items_resolves_a_config_key() -> None:
    class Batch(BenchmarkBase):
        items_per_call = "batch_size"

    assert Batch({"batch_size": 8}).items() == 8
    assert Batch({}).items() is None
    assert BenchmarkBase().items() is None
