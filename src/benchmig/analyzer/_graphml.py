"""The dependency graph as networkx and GraphML: scalar attributes, written directly.

``networkx.generate_graphml`` builds an ElementTree of the whole graph first; on a tree of
thousands of files and a hundred thousand import edges that costs seconds and hundreds of MB.
This writer streams the same format (keys typed from the values, one ``<data>`` per attribute,
multigraph edge keys as edge ids), and ``networkx.read_graphml`` reads it back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from benchmig.analyzer._model import Analysis

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["graph_nodes", "graphml_lines", "to_networkx"]

_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>",
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _keys(items: Iterable[Mapping[str, Any]], start: int) -> dict[str, tuple[str, str]]:
    """``attribute -> (key id, GraphML type)`` for every attribute name seen, in order."""
    keys: dict[str, tuple[str, str]] = {}
    for attrs in items:
        for name, value in attrs.items():
            if name not in keys:
                keys[name] = (f"d{start + len(keys)}", _type(value))
    return keys


def _data(attrs: Mapping[str, Any], keys: Mapping[str, tuple[str, str]]) -> Iterator[str]:
    from xml.sax.saxutils import escape

    for name, value in attrs.items():
        text = str(value).lower() if isinstance(value, bool) else _text(value)
        yield f'      <data key="{keys[name][0]}">{escape(text)}</data>'


def graphml_lines(graph: nx.MultiDiGraph[str]) -> Iterator[str]:
    """The lines of a GraphML document for ``graph`` (directed; edge keys become edge ids)."""
    # Imported here: worker processes import this package but never write GraphML, and
    # xml.sax.saxutils pulls in urllib.request and http.client.
    from xml.sax.saxutils import quoteattr

    node_keys = _keys((a for _, a in graph.nodes(data=True)), 0)
    edge_keys = _keys((a for *_, a in graph.edges(keys=True, data=True)), len(node_keys))
    yield from _HEADER
    for scope, keys in (("node", node_keys), ("edge", edge_keys)):
        for name, (key_id, kind) in keys.items():
            yield (
                f'  <key id="{key_id}" for="{scope}" attr.name={quoteattr(_text(name))} '
                f'attr.type="{kind}" />'
            )
    yield '  <graph edgedefault="directed">'
    for node, attrs in graph.nodes(data=True):
        yield f"    <node id={quoteattr(_text(node))}>"
        yield from _data(attrs, node_keys)
        yield "    </node>"
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        ends = f"source={quoteattr(_text(source))} target={quoteattr(_text(target))}"
        yield f"    <edge {ends} id={quoteattr(_text(key))}>"
        yield from _data(attrs, edge_keys)
        yield "    </edge>"
    yield "  </graph>"
    yield "</graphml>"


def graph_nodes(analysis: Analysis) -> list[dict[str, Any]]:
    """The graph's nodes as JSON-ready objects: files (sorted), then packages."""
    nodes: list[dict[str, Any]] = [
        {
            "id": f.path,
            "kind": "file",
            "module": f.facts.module,
            "status": f.facts.status,
            "role": f.role,
            "unit": f.unit,
            "cluster": f.cluster,
        }
        for f in analysis.files
    ]
    for node in analysis.graph.externals:
        kind, _, package = node.partition(":")
        nodes.append({"id": node, "kind": kind, "package": package})
    return nodes


def to_networkx(analysis: Analysis) -> nx.MultiDiGraph[str]:
    """The dependency graph with scalar attributes only (what GraphML can hold).

    File nodes carry ``kind``, ``module``, ``status``, ``role``, ``unit``, ``strategy``,
    ``cluster`` (``""`` for none), ``fan_in`` and ``fan_out``; package nodes ``kind`` and
    ``package``. Edges (keyed by kind) carry ``kind``, ``line`` and ``resolution``.
    """
    import networkx  # here, not at the top: worker processes import this package, not networkx

    graph: nx.MultiDiGraph[str] = networkx.MultiDiGraph()
    for node in graph_nodes(analysis):
        attrs = {k: ("" if v is None else v) for k, v in node.items() if k != "id"}
        graph.add_node(node["id"], **attrs)
    for report in analysis.files:
        graph.nodes[report.path].update(
            strategy=report.migration.strategy, fan_in=report.fan_in, fan_out=report.fan_out
        )
    for edge in analysis.graph.edges:
        graph.add_edge(
            edge.source,
            edge.target,
            key=edge.kind,
            kind=edge.kind,
            line=edge.line,
            resolution=edge.resolution,
        )
    return graph
