"""The main rewrite over the whole legacy corpus (``tests/fixtures/legacy``).

Every parseable file migrates without an error into code that compiles, a second application
changes nothing, and every file the corpus oracle (``EXPECTED.json``) calls a function, class or
module benchmark gets at least one registered benchmark (native or adapter).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import libcst as cst
import pytest

from tests.codemods.register_benchmark_support import migrate

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"


def _parseable() -> list[Path]:
    files = []
    for path in sorted(CORPUS.rglob("*.py")):
        try:
            cst.parse_module(path.read_bytes())
        except (cst.ParserSyntaxError, UnicodeDecodeError, SyntaxError):
            continue
        files.append(path)
    return files


@pytest.mark.slow
def test_the_legacy_corpus_migrates_cleanly() -> None:
    oracle = {e["path"]: e for e in json.loads((CORPUS / "EXPECTED.json").read_text())["files"]}
    tiers: Counter[str] = Counter()
    for path in _parseable():
        rel = path.relative_to(CORPUS).as_posix()
        name = rel.removesuffix(".py").replace("/", "_").replace("-", "_")
        first = migrate(path.read_bytes(), name)
        compile(first.output, rel, "exec")
        assert migrate(first.output, name).output == first.output, rel
        file_tiers = {o.tier for o in first.outcomes}
        tiers.update(o.tier for o in first.outcomes)
        entry = oracle.get(rel, {})
        if entry.get("role") == "benchmark" and entry.get("unit") in {
            "function",
            "class",
            "module",
        }:
            assert file_tiers & {"native", "adapter"}, (rel, [o.reasons for o in first.outcomes])
        if entry.get("role") in {"helper", "test"} or entry.get("unit") == "none":
            assert not file_tiers & {"native", "adapter"}, rel
        if entry.get("simulated"):
            assert any(o.simulated for o in first.outcomes), rel
    assert tiers["native"] >= 20 and tiers["adapter"] >= 3
