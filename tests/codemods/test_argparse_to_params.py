"""argparse-to-params: golden cases (cases/argparse_to_params/) and the grid extraction."""

from __future__ import annotations

import warnings
from pathlib import Path

import libcst as cst
import pytest

from benchmig.analyzer import extract_facts
from benchmig.codemods import _harness, argparse_to_params
from benchmig.codemods.argparse_to_params import grid_from_options, python_literal
from tests.codemods.golden import Case, cases, check_case


@pytest.mark.parametrize("case", cases("argparse_to_params"))
def test_golden(case: Case, tmp_path: Path) -> None:
    check_case(case, tmp_path)


def test_grid_splits_lists_and_moves_counts_to_settings() -> None:
    source = (
        b"import argparse\n"
        b"p = argparse.ArgumentParser()\n"
        b"p.add_argument('--seq-lens', default='128,512')\n"
        b"p.add_argument('--warmup-iterations', type=int, default=3)\n"
        b"p.add_argument('--num-runs', type=int, default=7)\n"
        b"p.add_argument('--requests', type=int, default=64)\n"
        b"p.add_argument('--db-path', default='x.duckdb')\n"
        b"p.add_argument('--verbose', action='store_true')\n"
    )
    grid = grid_from_options(extract_facts("bench.py", source))
    assert grid.params == {"seq_len": [128, 512]}
    assert grid.settings == {"warmup": 3, "repeats": 7, "requests": 64}
    assert grid.options == ("--seq-lens",)


def test_python_literal_round_trips() -> None:
    value = {"model": ['a"b', "c\\d"], "n": [1, 2.5, True, None]}
    assert eval(python_literal(value)) == value


def test_reading_legacy_literals_and_signatures_shows_none_of_their_warnings(
    tmp_path: Path,
) -> None:
    # An invalid escape in legacy code warns when parsed (on stderr since Python 3.12)
    harness = tmp_path / "harness.py"
    harness.write_text('PATTERN = "\\d+"\n\n\ndef measure(model, iterations=10):\n    return 1.0\n')
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        assert argparse_to_params._is_literal(cst.parse_expression('"\\d+"'))
        assert _harness._signatures(str(harness))["measure"].params == ("model", "iterations")
    assert caught == []
