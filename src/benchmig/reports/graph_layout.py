"""A deterministic layered layout of a dependency graph, clustered by folder, in pure Python.

Sugiyama-like, without a graphviz binary:

1. *layers*: strongly connected components (import cycles) are condensed; a node's layer is the
   longest chain of dependencies below it, so layer 0 holds what depends on nothing local, and
   the columns read left to right in migration order (dependencies first);
2. *order*: inside a column, nodes of one group (folder) stay together, groups in name order;
   within a group, nodes follow the barycentre of their neighbours (a few sweeps), ties by id;
3. *coordinates*: tall columns wrap into several sub-columns; each run of one group in a column
   gets a box with the group's name; nodes without any edge are packed below, by group.

Edges run from the importer (right) to what it imports (left).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx

__all__ = [
    "Box",
    "Layout",
    "LayoutEdge",
    "LayoutNode",
    "LayoutOptions",
    "PlacedEdge",
    "PlacedGroup",
    "PlacedNode",
    "dependency_layers",
    "layered_layout",
]

N = TypeVar("N", bound=Hashable)

_SWEEPS = 4


@dataclass(frozen=True)
class LayoutNode:
    """A node to place; ``group`` (a folder) clusters nodes into labelled boxes."""

    id: str
    group: str


@dataclass(frozen=True)
class LayoutEdge:
    """``source`` depends on ``target``; only ``ordering`` edges decide the layers."""

    source: str
    target: str
    ordering: bool = True


@dataclass(frozen=True)
class LayoutOptions:
    """Sizes in SVG user units (pixels at zoom 1)."""

    node_width: float = 210.0
    node_height: float = 22.0
    node_gap: float = 6.0
    column_gap: float = 110.0
    sub_column_gap: float = 24.0
    group_header: float = 17.0
    group_pad: float = 5.0
    group_gap: float = 12.0
    margin: float = 16.0
    top: float = 26.0  # room for the column titles
    min_column_nodes: int = 24
    loose_rows: int = 10


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """``x + w``."""
        return self.x + self.w

    @property
    def middle(self) -> float:
        """Vertical centre."""
        return self.y + self.h / 2


@dataclass(frozen=True)
class PlacedNode:
    """A node with its box; ``layer`` is -1 for a node without edges."""

    id: str
    box: Box
    layer: int


@dataclass(frozen=True)
class PlacedGroup:
    """A labelled box around consecutive nodes of one group."""

    group: str
    box: Box


@dataclass(frozen=True)
class PlacedEdge:
    """An edge with its SVG path (``d`` attribute)."""

    source: str
    target: str
    path: str


@dataclass(frozen=True)
class Layout:
    """Where everything goes; ``columns`` holds the x of each layer's first sub-column."""

    width: float
    height: float
    nodes: Mapping[str, PlacedNode]
    groups: tuple[PlacedGroup, ...]
    edges: tuple[PlacedEdge, ...]
    columns: tuple[float, ...] = ()
    loose_top: float | None = None  # y of the section of nodes without edges
    options: LayoutOptions = field(default_factory=LayoutOptions)


def dependency_layers(nodes: Iterable[N], edges: Iterable[tuple[N, N]]) -> dict[N, int]:
    """Layer of each node: 0 without dependencies, else 1 + the highest layer it depends on.

    ``(a, b)`` means ``a`` depends on ``b``. Members of a cycle share one layer.
    """
    graph: nx.DiGraph[N] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    condensed = nx.condensation(graph)
    level: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(condensed))):
        below = [level[d] for d in condensed.successors(component)]
        level[component] = 1 + max(below) if below else 0
    mapping = condensed.graph["mapping"]
    return {node: level[mapping[node]] for node in graph.nodes}


def _order_columns(
    layers: Mapping[str, int], groups: Mapping[str, str], edges: Sequence[LayoutEdge]
) -> list[list[str]]:
    count = 1 + max(layers.values(), default=-1)
    columns: list[list[str]] = [[] for _ in range(count)]
    for node in sorted(layers, key=lambda n: (groups[n], n)):
        columns[layers[node]].append(node)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in edges:
        if edge.source in layers and edge.target in layers and edge.source != edge.target:
            neighbours[edge.source].append(edge.target)
            neighbours[edge.target].append(edge.source)
    for sweep in range(_SWEEPS):
        rank = {n: i for column in columns for i, n in enumerate(column)}
        forward = sweep % 2 == 0
        indices = range(1, count) if forward else range(count - 2, -1, -1)
        for index in indices:
            side = index - 1 if forward else index + 1
            columns[index] = _sort_column(columns[index], side, layers, groups, neighbours, rank)
            rank.update({n: i for i, n in enumerate(columns[index])})
    return columns


def _sort_column(
    column: list[str],
    side: int,
    layers: Mapping[str, int],
    groups: Mapping[str, str],
    neighbours: Mapping[str, list[str]],
    rank: Mapping[str, int],
) -> list[str]:
    def key(node: str) -> tuple[str, float, str]:
        near = [rank[m] for m in neighbours.get(node, ()) if layers[m] == side]
        centre = sum(near) / len(near) if near else float(rank[node])
        return groups[node], centre, node

    return sorted(column, key=key)


class _Placer:
    """Turns ordered columns into boxes (state of one layout run)."""

    def __init__(self, options: LayoutOptions, groups: Mapping[str, str], per_column: int):
        self.o = options
        self.groups = groups
        self.per_column = per_column
        self.nodes: dict[str, PlacedNode] = {}
        self.boxes: list[PlacedGroup] = []
        self.columns: list[float] = []
        self.bottom = options.top

    def place_columns(self, columns: Sequence[Sequence[str]]) -> float:
        """Place every layer; return the x after the last column."""
        o = self.o
        x = o.margin
        for layer, column in enumerate(columns):
            self.columns.append(x)
            chunks = [
                column[i : i + self.per_column] for i in range(0, len(column), self.per_column)
            ]
            for n, chunk in enumerate(chunks):
                self._place_stack(chunk, x, o.top, layer)
                x += o.node_width + 2 * o.group_pad
                x += o.sub_column_gap if n < len(chunks) - 1 else o.column_gap
        return x - o.column_gap if columns else o.margin

    def _place_stack(self, chunk: Sequence[str], x: float, y: float, layer: int) -> None:
        o = self.o
        start = 0
        while start < len(chunk):
            group = self.groups[chunk[start]]
            end = start
            while end < len(chunk) and self.groups[chunk[end]] == group:
                end += 1
            run = chunk[start:end]
            height = o.group_header + len(run) * (o.node_height + o.node_gap) + o.group_pad
            self.boxes.append(PlacedGroup(group, Box(x, y, o.node_width + 2 * o.group_pad, height)))
            ny = y + o.group_header
            for node in run:
                box = Box(x + o.group_pad, ny, o.node_width, o.node_height)
                self.nodes[node] = PlacedNode(node, box, layer)
                ny += o.node_height + o.node_gap
            y += height + o.group_gap
            start = end
        self.bottom = max(self.bottom, y)

    def place_loose(self, loose: Sequence[str], top: float, width: float) -> float:
        """Pack nodes without edges by group, shelf by shelf; return the width used."""
        o = self.o
        by_group: dict[str, list[str]] = defaultdict(list)
        for node in sorted(loose, key=lambda n: (self.groups[n], n)):
            by_group[self.groups[node]].append(node)
        cell = o.node_width + o.node_gap
        max_cols = max(1, int((width - 2 * o.group_pad) // cell))
        x, y, shelf, used = o.margin, top, 0.0, width
        for group, members in by_group.items():
            cols = min(max_cols, max(1, math.ceil(len(members) / o.loose_rows)))
            rows = math.ceil(len(members) / cols)
            w = cols * cell - o.node_gap + 2 * o.group_pad
            h = o.group_header + rows * (o.node_height + o.node_gap) + o.group_pad
            if x > o.margin and x + w > o.margin + width:
                x, y, shelf = o.margin, y + shelf + o.group_gap, 0.0
            self.boxes.append(PlacedGroup(group, Box(x, y, w, h)))
            for i, node in enumerate(members):
                bx = x + o.group_pad + (i % cols) * cell
                by = y + o.group_header + (i // cols) * (o.node_height + o.node_gap)
                self.nodes[node] = PlacedNode(node, Box(bx, by, o.node_width, o.node_height), -1)
            used = max(used, x + w - o.margin)
            x += w + o.group_gap
            shelf = max(shelf, h)
        self.bottom = max(self.bottom, y + shelf)
        return used


def _curve(x1: float, y1: float, c1: float, c2: float, x2: float, y2: float) -> str:
    """A cubic Bézier from (x1, y1) to (x2, y2) with horizontal tangents at c1 and c2."""
    return f"M{x1:.1f},{y1:.1f}C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"


def _edge_path(source: Box, target: Box) -> str:
    if target.right <= source.x:  # the usual case: a dependency further left
        bend = max(24.0, (source.x - target.right) / 2)
        x1, x2 = source.x, target.right
        return _curve(x1, source.middle, x1 - bend, x2 + bend, x2, target.middle)
    if target.x >= source.right:  # a dependency to the right (edges that order nothing)
        bend = max(24.0, (target.x - source.right) / 2)
        x1, x2 = source.right, target.x
        return _curve(x1, source.middle, x1 + bend, x2 - bend, x2, target.middle)
    # same column: a loop out to the right, wider for nodes further apart
    bulge = 18.0 + min(80.0, abs(target.middle - source.middle) / 6)
    x1, x2 = source.right, target.right
    return _curve(x1, source.middle, x1 + bulge, x2 + bulge, x2, target.middle)


def layered_layout(
    nodes: Sequence[LayoutNode],
    edges: Sequence[LayoutEdge],
    options: LayoutOptions | None = None,
) -> Layout:
    """Place ``nodes`` and route ``edges`` (see the module docstring); deterministic."""
    o = options or LayoutOptions()
    groups = {n.id: n.group for n in nodes}
    edges = sorted(
        {e for e in edges if e.source in groups and e.target in groups},
        key=lambda e: (e.source, e.target, not e.ordering),
    )
    linked = {e.source for e in edges if e.source != e.target}
    linked |= {e.target for e in edges if e.source != e.target}
    connected = sorted(n for n in groups if n in linked)
    layers = dependency_layers(
        connected, ((e.source, e.target) for e in edges if e.ordering and e.source != e.target)
    )
    columns = _order_columns(layers, groups, edges)
    per_column = max(o.min_column_nodes, math.ceil(math.sqrt(2 * len(connected))))
    placer = _Placer(o, groups, per_column)
    right = placer.place_columns(columns)
    loose = [n for n in sorted(groups) if n not in linked]
    loose_top = None
    width = max(right - o.margin, 4 * (o.node_width + o.node_gap))
    if loose:
        loose_top = placer.bottom + (2 * o.top if connected else 0.0)
        width = max(width, placer.place_loose(loose, loose_top + o.top, width))
    placed = placer.nodes
    routed = tuple(
        PlacedEdge(e.source, e.target, _edge_path(placed[e.source].box, placed[e.target].box))
        for e in edges
        if e.source != e.target
    )
    return Layout(
        width=width + 2 * o.margin + 100.0,  # room for same-column loops on the right
        height=placer.bottom + o.margin,
        nodes=placed,
        groups=tuple(placer.boxes),
        edges=routed,
        columns=tuple(placer.columns),
        loose_top=loose_top,
        options=o,
    )
