"""analysis.json and the GraphML export: contract fields, stability, and reading back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import networkx as nx
import pytest

from benchmig import __version__
from benchmig.analyzer import (
    Analysis,
    analysis_to_dict,
    analyze_paths,
    load_analysis,
    render_analysis,
    to_networkx,
    write_analysis,
)
from benchmig.analyzer._graphml import graphml_lines
from benchmig.errors import InputError, SchemaVersionError

SCRIPT = """import os
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import summarize
from . import nothing_here


def run_benchmark(n):
    start = time.perf_counter()
    total = sum(range(n))
    return summarize([time.perf_counter() - start, total])


if __name__ == "__main__":
    run_benchmark(1000)
"""
HELPERS = """import statistics


def summarize(samples):
    return statistics.mean(samples)
"""


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    root = tmp_path_factory.mktemp("legacy")
    (root / "bench").mkdir()
    (root / "bench" / "run_bench.py").write_text(SCRIPT)
    (root / "bench" / "helpers.py").write_text(HELPERS)
    (root / "broken.py").write_text("def f(:\n")
    (root / "a.py").write_text("import b\n")
    (root / "b.py").write_text("import a\n")
    return analyze_paths([root], jobs=1, use_cache=False)


def test_document_follows_the_contract(analysis: Analysis, tmp_path: Path) -> None:
    json_path, graphml_path = write_analysis(analysis, tmp_path / "out")
    assert graphml_path.name == "dependency-graph.graphml"
    doc = json.loads(json_path.read_text())
    assert doc["schema_version"] == 1 and doc["kind"] == "benchmig-analysis"
    assert doc["tool"] == {"name": "benchmig", "version": __version__}
    assert doc["root"] == analysis.root
    summary = doc["summary"]
    for key in (
        "files",
        "parsed",
        "parse_errors",
        "skipped",
        "benchmarks",
        "helpers",
        "tests",
        "other",
        "clusters",
        "bytes",
        "lines",
        "automatic",
        "manual",
    ):
        assert key in summary
    assert (summary["files"], summary["parsed"], summary["parse_errors"]) == (5, 4, 1)
    assert summary["automatic"] + summary["manual"] == summary["files"]
    paths = [f["path"] for f in doc["files"]]
    assert paths == ["a.py", "b.py", "bench/helpers.py", "bench/run_bench.py", "broken.py"]
    run = doc["files"][3]
    for key in (
        "path",
        "module",
        "status",
        "error",
        "role",
        "unit",
        "idioms",
        "imports",
        "migration",
        "cluster",
        "complexity",
        "size_bytes",
        "lines",
        "fan_in",
        "fan_out",
    ):
        assert key in run
    assert run["module"] == "bench.run_bench" and run["role"] == "benchmark"
    assert set(run["migration"]) == {"strategy", "confidence", "codemods", "blockers"}
    helper_import = next(i for i in run["imports"] if i["module"] == "helpers")
    assert helper_import["resolution"] == "exact" and helper_import["targets"] == [
        "bench/helpers.py"
    ]
    (blocker,) = [b for b in run["migration"]["blockers"] if b["kind"] == "unresolved_import"]
    assert blocker["location"] == "bench/run_bench.py:6"
    broken = doc["files"][4]
    assert broken["status"] == "parse_error" and broken["error"]["reason"] == "syntax_error"
    edge = {
        "source": "bench/run_bench.py",
        "target": "bench/helpers.py",
        "kind": "import",
        "line": 5,
        "resolution": "exact",
    }
    assert edge in doc["graph"]["edges"]
    assert doc["graph"]["cycles"] == [["a.py", "b.py"]]
    assert {"id": "stdlib:time", "kind": "stdlib", "package": "time"} in doc["graph"]["nodes"]
    assert doc["graph"]["unresolved"][0]["module"] == ".nothing_here"
    order = [s["files"] for s in doc["migration_order"]]
    assert order.index(["bench/helpers.py"]) < order.index(["bench/run_bench.py"])
    assert ["a.py", "b.py"] in order


def test_same_input_gives_byte_identical_output(analysis: Analysis, tmp_path: Path) -> None:
    first = write_analysis(analysis, tmp_path / "one")
    root = Path(analysis.root)
    again = analyze_paths([root], jobs=2, use_cache=True, cache_dir=tmp_path / "cache")
    second = write_analysis(again, tmp_path / "two")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_load_gives_back_an_equal_analysis(analysis: Analysis, tmp_path: Path) -> None:
    json_path, _ = write_analysis(analysis, tmp_path)
    loaded = load_analysis(json_path)
    assert loaded == analysis
    assert loaded.summary == analysis.summary
    assert (
        loaded.file("bench/run_bench.py").migration == analysis.file("bench/run_bench.py").migration
    )


def test_graphml_has_scalar_attributes_networkx_reads_back(
    analysis: Analysis, tmp_path: Path
) -> None:
    _, graphml_path = write_analysis(analysis, tmp_path)
    graph = cast("nx.MultiDiGraph[str]", nx.read_graphml(graphml_path, force_multigraph=True))
    node = graph.nodes["bench/run_bench.py"]
    assert node["role"] == "benchmark" and node["kind"] == "file" and node["cluster"] == ""
    assert graph.nodes["stdlib:time"]["kind"] == "stdlib"
    edges = graph.get_edge_data("bench/run_bench.py", "bench/helpers.py")
    assert [(e["kind"], e["line"], e["resolution"]) for e in edges.values()] == [
        ("import", 5, "exact")
    ]
    expected = to_networkx(analysis)
    assert dict(graph.nodes(data=True)) == dict(expected.nodes(data=True))  # type: ignore[arg-type]
    assert sorted(graph.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))


def test_graphml_writer_escapes_names_and_types_values(tmp_path: Path) -> None:
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    graph.add_node('a&b <"x">.py', kind="file", fan_in=3, ok=True, score=0.5, bad="x\x01y")
    graph.add_node("c.py", kind="file")
    graph.add_edge('a&b <"x">.py', "c.py", key="import", line=7)
    path = tmp_path / "g.graphml"
    path.write_text("\n".join(graphml_lines(graph)))
    back = cast("nx.MultiDiGraph[str]", nx.read_graphml(path, force_multigraph=True))
    assert back.nodes['a&b <"x">.py'] == {
        "kind": "file",
        "fan_in": 3,
        "ok": True,
        "score": 0.5,
        "bad": "x\ufffdy",
    }
    assert list(back.edges(keys=True, data=True)) == [
        ('a&b <"x">.py', "c.py", "import", {"line": 7})
    ]


def test_future_and_malformed_documents_are_refused(analysis: Analysis, tmp_path: Path) -> None:
    json_path, _ = write_analysis(analysis, tmp_path)
    doc = json.loads(json_path.read_text())
    doc["schema_version"] = 99
    future = tmp_path / "future.json"
    future.write_text(json.dumps(doc))
    with pytest.raises(SchemaVersionError, match="newer benchmig"):
        load_analysis(future)
    doc["schema_version"] = 1
    del doc["files"][0]["migration"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc))
    with pytest.raises(InputError, match="not a valid analysis"):
        load_analysis(broken)
    wrong = tmp_path / "results.json"
    wrong.write_text(json.dumps({"schema_version": 1, "kind": "benchmig-results"}))
    with pytest.raises(InputError, match="not a 'benchmig-analysis'"):
        load_analysis(wrong)
    with pytest.raises(InputError, match="cannot read"):
        load_analysis(tmp_path / "missing.json")


def test_rendered_text_is_the_document_one_row_per_line(analysis: Analysis) -> None:
    text = render_analysis(analysis)
    assert json.loads(text) == json.loads(json.dumps(analysis_to_dict(analysis)))
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}"
    file_lines = [line for line in lines if line.startswith('    {"path": ')]
    assert len(file_lines) == len(analysis.files)
    assert all(json.loads(line.rstrip(","))["path"] for line in file_lines)
