"""The reason a manual unit reports is the legacy path's, not a shorter caller chain's."""

from __future__ import annotations

from typing import Any

import libcst as cst

from benchmig.codemods._unit_finish import dead_code
from tests.codemods.register_benchmark_support import migrate

SCRIPT = b"""\
import time


def bench(size, runs=5):
    data = list(range(size))
    start = time.perf_counter()
    for _ in range(runs):
        sorted(data)
    return (time.perf_counter() - start) / runs


def main():
    with open("log.txt", "w") as log:
        log.write("start")
    for size in [10, 100]:
        print(bench(size))


if __name__ == "__main__":
    main()
"""


def test_a_manual_unit_reports_what_blocks_the_legacy_path() -> None:
    (unit,) = migrate(SCRIPT, "reasons_path").outcomes
    assert unit.tier == "manual"
    assert all("has no value" not in r for r in unit.reasons), unit.reasons
    assert any("reasons_path.py:13" in r and "writes files" in r for r in unit.reasons)


def test_dead_code_drops_assignments_rebound_before_any_read() -> None:
    module = cst.parse_module(
        "hw = self.hardware\nhw = self.hardware\nx = 1\nx = x + 1\nhw = self.hardware\nf(x, hw)\n"
    )
    kept: list[Any] = dead_code(list(module.body), set())
    assert cst.Module(kept).code == "x = 1\nx = x + 1\nhw = self.hardware\nf(x, hw)\n"
