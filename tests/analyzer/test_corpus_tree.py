"""The tree-level analysis of the legacy corpus against its hand-written oracle, EXPECTED.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmig.analyzer import Analysis, analyze_paths

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
ORACLE_PATH = CORPUS / "EXPECTED.json"

pytestmark = pytest.mark.skipif(not ORACLE_PATH.exists(), reason="legacy corpus not present")


def _oracle() -> dict[str, Any]:
    if not ORACLE_PATH.exists():
        return {"files": [], "clusters": {}, "cycles": []}
    oracle: dict[str, Any] = json.loads(ORACLE_PATH.read_text())
    return oracle


ORACLE = _oracle()
EXPECTED = {f["path"]: f for f in ORACLE["files"]}


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyze_paths([CORPUS], jobs=1, use_cache=False)


def test_every_file_of_the_oracle_is_analysed(analysis: Analysis) -> None:
    assert sorted(f.path for f in analysis.files) == sorted(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_role_unit_and_status(analysis: Analysis, path: str) -> None:
    expected = EXPECTED[path]
    report = analysis.file(path)
    got = {
        "role": report.role,
        "unit": report.unit,
        "status": report.facts.status,
        "error_reason": report.facts.error.reason if report.facts.error else None,
    }
    assert got == {k: expected[k] for k in got}


@pytest.mark.parametrize("path", sorted(p for p, f in EXPECTED.items() if f["imports_local"]))
def test_local_imports_and_their_resolution(analysis: Analysis, path: str) -> None:
    report = analysis.file(path)
    got = sorted(
        (record.line, resolved.resolution, resolved.via, tuple(sorted(resolved.targets)))
        for record, resolved in zip(report.facts.imports, report.imports, strict=True)
        if resolved.resolution in ("exact", "ambiguous", "unresolved")
    )
    expected = sorted(
        (
            item["line"],
            item["resolution"],
            item["via"],
            tuple(sorted([item["target"]] if item["target"] else item.get("candidates", []))),
        )
        for item in EXPECTED[path]["imports_local"]
    )
    assert got == expected


def test_files_without_local_imports_have_none(analysis: Analysis) -> None:
    for path, expected in EXPECTED.items():
        if expected["imports_local"] or expected["status"] != "ok":
            continue
        local = [r for r in analysis.file(path).imports if r.resolution in ("exact", "ambiguous")]
        assert local == [], path


def test_ambiguous_imports_are_blockers_and_never_ordered(analysis: Analysis) -> None:
    for path, expected in EXPECTED.items():
        ambiguous = [i for i in expected["imports_local"] if i["resolution"] == "ambiguous"]
        blockers = [
            b for b in analysis.file(path).migration.blockers if b.kind == "ambiguous_import"
        ]
        assert [b.line for b in blockers] == [i["line"] for i in ambiguous], path
    cycle_free = {e.source for e in analysis.graph.local_edges("ambiguous")}
    assert all(not set(c) & cycle_free or len(c) > 1 for c in analysis.graph.cycles)


def test_clusters(analysis: Analysis) -> None:
    expected = sorted(sorted(c["members"]) for c in ORACLE["clusters"].values())
    assert sorted(sorted(c.members) for c in analysis.clusters) == expected
    by_members = {tuple(sorted(c["members"])): c for c in ORACLE["clusters"].values()}
    for cluster in analysis.clusters:
        kind = by_members[cluster.members]["kind"]
        assert cluster.exact == (kind in ("exact", "template")), cluster
        for member in cluster.members:
            assert analysis.file(member).cluster == cluster.id


def test_cycles_and_migration_order(analysis: Analysis) -> None:
    assert [list(c) for c in analysis.graph.cycles] == ORACLE["cycles"]
    position = {p: n for n, step in enumerate(analysis.graph.migration_order) for p in step.files}
    for edge in analysis.graph.local_edges("exact"):
        if edge.source in position and not any(edge.source in c for c in analysis.graph.cycles):
            assert position[edge.target] < position[edge.source], edge


def test_parse_errors_are_manual_with_a_located_blocker(analysis: Analysis) -> None:
    for path, expected in EXPECTED.items():
        if expected["status"] != "parse_error":
            continue
        report = analysis.file(path)
        assert report.migration.strategy == "manual", path
        (blocker,) = [b for b in report.migration.blockers if b.kind == "parse_error"]
        assert report.facts.error is not None
        assert blocker.line == report.facts.error.line, path
        assert report.facts.error.reason in blocker.reason


def test_simulated_files_carry_a_simulation_blocker(analysis: Analysis) -> None:
    for path, expected in EXPECTED.items():
        if expected["status"] == "ok" and expected.get("simulated"):
            kinds = {b.kind for b in analysis.file(path).migration.blockers}
            assert "simulation" in kinds, path
