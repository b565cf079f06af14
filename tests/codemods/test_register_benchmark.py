"""Golden cases of the main rewrite: legacy input -> migrated output, byte for byte.

Every case folder under ``cases/register_benchmark`` holds ``input.py``, ``expected.py`` and
``outcome.json`` (the UnitOutcome records the codemod must report). Beyond the exact output, each
case checks what black checks of itself: the output parses and compiles, and a second
application changes nothing.
"""

from __future__ import annotations

import libcst as cst
import pytest

from benchmig.codemods.register_benchmark import RegisterBenchmarkCommand, already_migrated
from tests.codemods.register_benchmark_support import Case, cases, migrate

CASES = cases()
IDS = [c.name for c in CASES]


def test_the_golden_cases_cover_the_idioms() -> None:
    names = set(IDS)
    assert len(CASES) >= 30
    for required in (
        "time_time_delta",
        "perf_counter_alias",
        "cuda_events",
        "timeit_call",
        "torch_utils_benchmark",
        "module_level_block",
        "measure_helper",
        "simulation_branch",
        "class_clashing_names",
        "tensorflow_jax",
        "already_migrated",
        "crlf_line_endings",
    ):
        assert required in names


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_matches_expected_bytes(case: Case) -> None:
    result = migrate(case.source, case.name)
    assert result.output == case.expected


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_outcomes_match(case: Case) -> None:
    result = migrate(case.source, case.name)
    got = [o.to_dict() for o in result.outcomes]
    for record in got:
        assert record.pop("codemod") == "register-benchmark"
    assert got == case.outcome["units"]
    assert result.skipped == case.outcome.get("skipped", False)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_output_compiles_and_a_second_run_changes_nothing(case: Case) -> None:
    first = migrate(case.source, case.name)
    compile(first.output, f"{case.name}.py", "exec")
    second = migrate(first.output, case.name)
    assert second.output == first.output
    if first.output != case.source:
        assert second.skipped  # recognised as already migrated


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_manual_units_leave_the_file_alone(case: Case) -> None:
    result = migrate(case.source, case.name)
    tiers = {o.tier for o in result.outcomes}
    if tiers <= {"manual"}:
        assert result.output == case.source
    for outcome in result.outcomes:
        if outcome.tier == "manual":
            assert outcome.reasons, "a manual unit must say why"
            assert all(r.startswith(f"benchmarks/{case.name}.py:") for r in outcome.reasons)
            assert outcome.benchmarks == ()
        else:
            assert len(outcome.benchmarks) == 1
            assert outcome.benchmarks[0].startswith(f"benchmarks.{case.name}.")


def test_crlf_input_stays_crlf_everywhere() -> None:
    case = next(c for c in CASES if c.name == "crlf_line_endings")
    result = migrate(case.source, case.name)
    assert result.output.count(b"\r\n") == result.output.count(b"\n") > 0
    lf_case = next(c for c in CASES if c.name == "repeat_statistics")
    lf_output = migrate(lf_case.source, case.name).output
    assert result.output == lf_output.replace(b"\n", b"\r\n")


def test_untouched_parts_are_byte_identical() -> None:
    case = next(c for c in CASES if c.name == "cuda_synchronize")
    result = migrate(case.source, case.name)
    source_lines = case.source.splitlines(keepends=True)
    guard = source_lines.index(b'if __name__ == "__main__":\n')
    # Everything before the __main__ block is there unchanged, apart from the one added import.
    output_lines = result.output.splitlines(keepends=True)
    added = [line for line in output_lines if line not in source_lines]
    assert b"from benchmig.framework import BenchmarkBase" in added[0]
    kept = [line for line in output_lines if line in source_lines]
    assert kept[:guard] == source_lines[:guard]


def test_clashing_framework_names_are_imported_under_an_alias() -> None:
    case = next(c for c in CASES if c.name == "class_clashing_names")
    output = migrate(case.source, case.name).output.decode()
    assert "from benchmig.framework import BenchmarkBase as _BenchmarkBase" in output
    assert "(_BenchmarkBase):" in output
    assert "class BenchmarkBase:" in output  # the legacy class is still there, untouched


def test_already_migrated_detection() -> None:
    migrated = next(c for c in CASES if c.name == "time_time_delta").expected
    assert already_migrated(cst.parse_module(migrated))
    assert not already_migrated(cst.parse_module(b"x = 1\n"))


def test_command_metadata() -> None:
    assert RegisterBenchmarkCommand.NAME == "register-benchmark"
    assert RegisterBenchmarkCommand.DESCRIPTION.count("\n") == 0
    assert RegisterBenchmarkCommand.DESCRIPTION.endswith(".")


def test_simulated_units_are_flagged() -> None:
    case = next(c for c in CASES if c.name == "simulation_branch")
    result = migrate(case.source, case.name)
    (outcome,) = result.outcomes
    assert outcome.simulated and outcome.tier == "adapter"
    assert any("simulation" in w for w in outcome.warnings)
    text = result.output.decode()
    assert "simulated=True," in text and "    simulated = True" in text


def test_warnings_reach_the_codemod_context() -> None:
    case = next(c for c in CASES if c.name == "tensorflow_jax")
    result = migrate(case.source, case.name)
    assert any("tensorflow" in w for w in result.warnings)


def test_the_engine_path_names_the_benchmarks() -> None:
    from libcst.codemod import CodemodContext

    from benchmig.codemods._outcome import OUTCOMES_KEY
    from benchmig.codemods._support import PATH_KEY

    case = next(c for c in CASES if c.name == "perf_counter_alias")
    context = CodemodContext(
        filename="/abs/tree/suite/sort_bench.py",
        full_module_name="suite.sort_bench",
        scratch={PATH_KEY: "suite/sort_bench.py"},
    )
    output = RegisterBenchmarkCommand(context).transform_module(cst.parse_module(case.source))
    assert 'legacy_source="suite/sort_bench.py:8"' in output.code
    (outcome,) = context.scratch[OUTCOMES_KEY]
    assert outcome.benchmarks == ("suite.sort_bench.time_sort",)
