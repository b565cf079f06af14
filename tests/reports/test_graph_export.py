"""DOT and GraphML exports: every attribute present, hostile names stay one quoted identifier."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from benchmig.reports.graph_export import dot_quote, graphml_text, to_dot, write_dot
from tests.reports.factory import SVG_NAME, TICK_NAME, hostile_analysis, report

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|->|[{}\[\];,=]|[A-Za-z_][A-Za-z_0-9]*|\s+')


def _tokens(dot: str) -> list[str]:
    """Split DOT into tokens; fails on anything outside quoted strings, words and punctuation."""
    tokens, pos = [], 0
    while pos < len(dot):
        match = _TOKEN.match(dot, pos)
        assert match is not None, f"stray DOT text at {pos}: {dot[pos : pos + 40]!r}"
        if not match.group().isspace():
            tokens.append(match.group())
        pos = match.end()
    return tokens


def _unquote(token: str) -> str:
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), token[1:-1]
    )


@given(st.text(max_size=30))
def test_dot_quote_round_trips(text: str) -> None:
    quoted = dot_quote(text)
    assert _tokens(quoted) == [quoted]
    assert _unquote(quoted) == text


def test_dot_has_every_node_edge_and_attribute() -> None:
    analysis = hostile_analysis()
    dot = to_dot(analysis)
    tokens = _tokens(dot)
    assert tokens[:3] == ["digraph", "dependencies", "{"] and tokens[-1] == "}"
    names = {_unquote(t) for t in tokens if t.startswith('"')}
    assert {f.path for f in analysis.files} <= names
    assert {SVG_NAME, TICK_NAME, "external:torch"} <= names
    assert dot.count(" -> ") == len(analysis.graph.edges)
    edge = next(line for line in dot.splitlines() if '"common/a.py" -> "common/b.py"' in line)
    assert '"kind"="import"' in edge and '"line"="1"' in edge and '"resolution"="exact"' in edge
    node = next(line for line in dot.splitlines() if line.strip().startswith('"common/hw.py" ['))
    for attribute in ("role", "status", "strategy", "module", "fan_in", "fan_out"):
        assert f'"{attribute}"=' in node
    assert "subgraph cluster_" in dot and dot == to_dot(analysis)


def test_graphml_reads_back_with_attributes(tmp_path: Path) -> None:
    analysis = hostile_analysis()
    graph = nx.read_graphml(BytesIO(graphml_text(analysis).encode()))
    assert set(graph.nodes) >= {f.path for f in analysis.files}
    assert graph.nodes[SVG_NAME]["role"] == "benchmark"
    assert graph.nodes["common/hw.py"]["strategy"] == "native"
    assert graph.number_of_edges() == len(analysis.graph.edges)
    assert write_dot(analysis, tmp_path / "g.dot").read_text() == to_dot(analysis)


def test_graphml_stays_valid_xml_with_control_characters() -> None:
    analysis = hostile_analysis()
    odd = report("odd/\x01bell\x0b.py")
    files = tuple(sorted((*analysis.files, odd), key=lambda f: f.path))
    text = graphml_text(replace(analysis, files=files))
    root = ET.fromstring(text.encode())  # raises on characters XML 1.0 forbids
    ids = {n.get("id") for n in root.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert "odd/\ufffdbell\ufffd.py" in ids
