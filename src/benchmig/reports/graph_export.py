"""The dependency graph as files other tools read: GraphML (yEd, Gephi, networkx) and DOT
(graphviz). Both come from the analyzer's :func:`~benchmig.analyzer.to_networkx`, so they
carry the same node attributes (kind, module, status, role, unit, strategy, cluster, fan-in,
fan-out) and edge attributes (kind, line, resolution).

In DOT every identifier and value is a quoted string with ``\\``, ``"`` and line breaks
escaped, so a file named like markup or like DOT syntax stays one identifier. Files are grouped
into one ``subgraph cluster_N`` per folder; packages (``external:``, ``stdlib:``) come last.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from benchmig.analyzer._analysis import to_networkx
from benchmig.analyzer._model import Analysis
from benchmig.reports._graph_view import folder_of
from benchmig.reports._render import gc_paused, write_text_file

__all__ = ["graphml_text", "to_dot", "write_dot", "write_graphml"]

_DOT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_DOT_SPECIAL = re.compile(r'[\\"\n\r]')
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ROLE_COLOURS = {
    "benchmark": "#2563eb",
    "helper": "#0d9488",
    "test": "#7c3aed",
    "other": "#7b8494",
}


def dot_quote(value: object) -> str:
    """``value`` as a DOT quoted string (never HTML-like, never split)."""
    text = str(value)
    return '"' + _DOT_SPECIAL.sub(lambda m: _DOT_ESCAPES[m.group()], text) + '"'


def _attrs(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{dot_quote(k)}={dot_quote(v)}" for k, v in values.items())


def _node_lines(graph: nx.MultiDiGraph[str], node: str, indent: str) -> str:
    data = dict(graph.nodes[node])
    style: dict[str, Any] = {"label": node.rsplit("/", 1)[-1] if data["kind"] == "file" else node}
    if data["kind"] == "file":
        style["color"] = _ROLE_COLOURS.get(str(data.get("role")), "#7b8494")
        if data.get("status") == "parse_error":
            style["style"] = "dashed"
    else:
        style.update(shape="box", color="#9aa3b2", fontcolor="#5d6678")
    return f"{indent}{dot_quote(node)} [{_attrs(style | data)}];"


def _dot_lines(analysis: Analysis) -> Iterator[str]:
    graph = to_networkx(analysis)
    yield "digraph dependencies {"
    yield '  graph [rankdir="RL", fontname="Helvetica", fontsize="10"];'
    yield '  node [shape="box", style="rounded", fontname="Helvetica", fontsize="10"];'
    yield '  edge [color="#8d96a8", arrowsize="0.6"];'
    folders: dict[str, list[str]] = defaultdict(list)
    packages = []
    for node in sorted(graph.nodes):
        if graph.nodes[node].get("kind") == "file":
            folders[folder_of(node)].append(node)
        else:
            packages.append(node)
    for number, (folder, nodes) in enumerate(sorted(folders.items())):
        yield f"  subgraph cluster_{number} {{"
        yield f'    graph [label={dot_quote(folder or "./")}, color="#d5dae3"];'
        yield from (_node_lines(graph, node, "    ") for node in nodes)
        yield "  }"
    yield from (_node_lines(graph, node, "  ") for node in packages)
    for source, target, data in sorted(
        graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["kind"])
    ):
        style = {"style": "dashed"} if data.get("resolution") == "ambiguous" else {}
        yield f"  {dot_quote(source)} -> {dot_quote(target)} [{_attrs(style | data)}];"
    yield "}"


def to_dot(analysis: Analysis) -> str:
    """The dependency graph in graphviz DOT (deterministic, ends with a newline)."""
    with gc_paused():
        return "\n".join(_dot_lines(analysis)) + "\n"


def graphml_text(analysis: Analysis) -> str:
    """The dependency graph as GraphML; characters XML 1.0 forbids become U+FFFD."""
    graph = to_networkx(analysis)
    clean: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    fix = _clean_xml
    clean.add_nodes_from(
        (fix(n), {k: fix(v) for k, v in d.items()}) for n, d in graph.nodes(data=True)
    )
    for a, b, key, data in graph.edges(keys=True, data=True):
        clean.add_edge(fix(a), fix(b), key=fix(key), **{x: fix(v) for x, v in data.items()})
    return "\n".join(nx.generate_graphml(clean)) + "\n"


def _clean_xml(value: Any) -> Any:
    return _XML_INVALID.sub("\ufffd", value) if isinstance(value, str) else value


def write_dot(analysis: Analysis, path: Path) -> Path:
    """Write ``path`` (``dependency-graph.dot``) atomically; return it."""
    return write_text_file(path, to_dot(analysis))


def write_graphml(analysis: Analysis, path: Path) -> Path:
    """Write ``path`` (``dependency-graph.graphml``) atomically; return it."""
    return write_text_file(path, graphml_text(analysis))
