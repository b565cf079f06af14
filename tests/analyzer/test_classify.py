"""Roles, units of benchmarking and the migration assessment of single files."""

from __future__ import annotations

from typing import Any

from benchmig.analyzer._classify import DynamicCall, FileContext, classify, find_dynamic_code
from benchmig.analyzer._facts import FileError, FileFacts, Idiom, ImportRecord
from benchmig.analyzer._graph import ImportResolution, Unresolved


def _facts(path: str, *idioms: tuple[str, int, str], **kw: Any) -> FileFacts:
    made = tuple(Idiom(kind, line, scope=scope) for kind, line, scope in idioms)
    return FileFacts(path=path, module=path[:-3].replace("/", "."), status="ok", idioms=made, **kw)


def _classify(facts: FileFacts, **kw: Any) -> tuple[str, str, str, tuple[str, ...], list[str]]:
    result = classify(FileContext(facts=facts, **kw))
    blockers = [b.kind for b in result.migration.blockers]
    return result.role, result.unit, result.migration.strategy, result.migration.codemods, blockers


TIMED = (("timer", 10, "run_benchmark"), ("timed_region", 12, "run_benchmark"))


def test_function_unit_benchmark_is_native_with_its_codemods() -> None:
    facts = _facts(
        "bench/run_model_benchmark.py",
        *TIMED,
        ("sys_path_hack", 3, "<module>"),
        ("hardware_check", 20, "main"),
        ("argparse_option", 30, "main"),
        ("main_guard", 40, "<module>"),
        functions=("run_benchmark", "main"),
        has_main_guard=True,
    )
    role, unit, strategy, codemods, blockers = _classify(facts)
    assert (role, unit, strategy, blockers) == ("benchmark", "function", "native", [])
    assert codemods == (
        "register-benchmark",
        "remove-sys-path-hacks",
        "replace-hardware-checks",
        "replace-timers",
        "argparse-to-params",
    )


def test_class_and_module_units() -> None:
    cls = _facts(
        "b/model_benchmark.py",
        ("repeat_loop", 5, "ModelBenchmark.run_latency"),
        ("timed_region", 7, "ModelBenchmark.run_latency"),
        classes=("ModelBenchmark",),
        has_main_guard=True,
    )
    assert _classify(cls)[:3] == ("benchmark", "class", "native")
    module = _facts("b/bench_matmul.py", ("timed_region", 5, "<module>"))
    assert _classify(module)[:3] == ("benchmark", "module", "adapter")


def test_orchestrator_is_not_a_benchmark() -> None:
    facts = _facts("b/run_all.py", *TIMED, has_main_guard=True)
    role, unit, _, codemods, _ = _classify(facts, launches=3)
    assert (role, unit) == ("other", "orchestrator")
    assert codemods == ("orchestrator-to-suite",)


def test_helpers_tests_and_other() -> None:
    timer_lib = _facts(
        "common/timing.py", ("timed_region", 8, "Timer.__exit__"), classes=("Timer",)
    )
    assert _classify(timer_lib)[:2] == ("helper", "none")
    imported = _facts("b/bench_utils.py", ("timed_region", 8, "measure"), functions=("measure",))
    assert _classify(imported, importers=2)[:2] == ("helper", "none")
    detect = _facts("hw/hardware_detection.py", ("hardware_check", 3, "detect_hardware"))
    assert _classify(detect)[:2] == ("helper", "none")
    assert _classify(_facts("pkg/__init__.py"))[:2] == ("helper", "none")
    test = _facts("b/tests/test_utils.py", *TIMED, functions=("test_measure",))
    assert _classify(test)[:2] == ("test", "none")
    assert _classify(_facts("tools/plot.py", ("result_writer", 3, "main")))[:2] == ("other", "none")
    # a script with a main guard that measures stays a benchmark even when imported
    script = _facts("b/kernel_bench.py", ("timeit", 28, "bench_timeit"), has_main_guard=True)
    assert _classify(script, importers=1)[:2] == ("benchmark", "function")


def test_delegating_and_helper_timed_entry_points() -> None:
    runner = _facts(
        "b/run_backend_benchmark.py", ("result_writer", 38, "main"), has_main_guard=True
    )
    assert _classify(runner, imports_measuring=True)[:2] == ("benchmark", "delegating")
    assert _classify(runner)[:2] == ("other", "none")
    shaped = _facts(
        "p/resolution_benchmark.py",
        ("warmup_loop", 35, "ResolutionBenchmark.run"),
        classes=("ResolutionBenchmark",),
        has_main_guard=True,
    )
    assert _classify(shaped, imports_measuring=True)[:2] == ("benchmark", "class")


def test_blockers_name_path_line_and_reason() -> None:
    imports = (ImportRecord("hardware_detection", line=15), ImportRecord("tensorflow", line=4))
    facts = _facts("tools/cmp.py", *TIMED, ("simulation", 33, "run_benchmark"), imports=imports)
    context = FileContext(
        facts=facts,
        imports=(
            ImportResolution(
                "ambiguous",
                ("a/hardware_detection.py", "b/hardware_detection.py"),
                "matches 2 files",
            ),
            ImportResolution("external", ("tensorflow",)),
        ),
        unresolved=(
            Unresolved("tools/cmp.py", "gone.py", "subprocess", 40, "launched script gone"),
            Unresolved("tools/cmp.py", "optional_thing", "import", 2, "nothing", guarded=True),
            Unresolved("tools/cmp.py", "missing_mod", "import", 3, "no such module"),
        ),
        dynamic=(DynamicCall(50, "exec"),),
    )
    result = classify(context)
    kinds = {(b.kind, b.location) for b in result.migration.blockers}
    assert kinds == {
        ("simulation", "tools/cmp.py:33"),
        ("ambiguous_import", "tools/cmp.py:15"),
        ("tensorflow_jax", "tools/cmp.py:4"),
        ("missing_script", "tools/cmp.py:40"),
        ("unresolved_import", "tools/cmp.py:3"),
        ("dynamic_code", "tools/cmp.py:50"),
    }
    assert result.migration.strategy == "manual"  # dynamic code and TensorFlow: hard blockers
    assert all(b.reason for b in result.migration.blockers)


def test_soft_blockers_lower_confidence_but_keep_the_strategy() -> None:
    facts = _facts("b/bench_sim.py", *TIMED, ("simulation", 33, "run_benchmark"))
    clean = classify(FileContext(facts=_facts("b/bench_sim.py", *TIMED)))
    simulated = classify(FileContext(facts=facts))
    assert simulated.migration.strategy == clean.migration.strategy == "native"
    assert simulated.migration.confidence < clean.migration.confidence


def test_parse_errors_and_skipped_files_are_manual() -> None:
    broken = FileFacts(
        "b/benchmark_x.py",
        "b.benchmark_x",
        "parse_error",
        error=FileError("syntax_error", "invalid syntax", 12, 4),
    )
    role, unit, strategy, codemods, blockers = _classify(broken)
    assert (role, unit, strategy, codemods, blockers) == (
        "other",
        "none",
        "manual",
        (),
        ["parse_error"],
    )
    result = classify(FileContext(facts=broken))
    assert result.migration.blockers[0].location == "b/benchmark_x.py:12"
    assert "invalid syntax" in result.migration.blockers[0].reason


def test_benchmark_named_script_without_a_unit_gets_a_blocker() -> None:
    facts = _facts(
        "tools/benchmark_db_query.py", ("argparse_option", 5, "main"), has_main_guard=True
    )
    role, unit, _, _, blockers = _classify(facts)
    assert (role, unit, blockers) == ("other", "none", ["no_unit"])


def test_dynamic_code_is_found_outside_strings_and_not_in_model_eval() -> None:
    text = (
        b"model.eval()\nx = eval(s)\nexec(code)\nimportlib.import_module(name)\n__import__('m')\n"
    )
    calls = find_dynamic_code(text)
    assert [(c.line, c.call) for c in calls] == [
        (2, "eval"),
        (3, "exec"),
        (4, "import_module"),
        (5, "__import__"),
    ]
    assert find_dynamic_code(b"evaluate(x)\nexecutor.run()\n") == ()


def test_packaging_and_test_configuration_files_are_not_benchmarks() -> None:
    timed = ("timed_region", 5, "<module>")
    assert _classify(_facts("setup.py", timed))[:2] == ("other", "none")
    assert _classify(_facts("docs/conf.py", timed))[:2] == ("other", "none")
    assert _classify(_facts("tests/conftest.py", timed))[:2] == ("test", "none")


def test_a_benchmark_that_only_times_inside_pytest_tests_is_manual() -> None:
    tests_only = _facts(
        "benchmarking/int8_training.py",
        ("timed_region", 12, "test_bench_matmul"),
        ("timed_region", 30, "TestKernels.test_gemm"),
        functions=("test_bench_matmul",),
        classes=("TestKernels",),
    )
    role, _, strategy, _, blockers = _classify(tests_only)
    assert (role, strategy, blockers) == ("benchmark", "manual", ["test_only"])
    mixed = _facts(
        "benchmarking/int8_training.py",
        ("timed_region", 12, "test_bench_matmul"),
        ("timed_region", 40, "bench_gemm"),
        functions=("test_bench_matmul", "bench_gemm"),
    )
    assert _classify(mixed)[2:] == ("native", ("register-benchmark", "replace-timers"), [])
