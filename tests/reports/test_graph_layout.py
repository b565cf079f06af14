"""The layered layout: layers follow dependencies, boxes never overlap, output is stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.reports.graph_layout import (
    Box,
    LayoutEdge,
    LayoutNode,
    dependency_layers,
    layered_layout,
)


def test_layers_put_dependencies_first_and_cycles_together() -> None:
    edges = [("app", "lib"), ("lib", "core"), ("a", "b"), ("b", "a"), ("b", "core")]
    layers = dependency_layers(["app", "lib", "core", "a", "b", "alone"], edges)
    assert layers == {"core": 0, "alone": 0, "lib": 1, "app": 2, "a": 1, "b": 1}


def _overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.y + b.h and b.y < a.y + a.h


graphs = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()), max_size=3 * n
        ),
    )
)


@settings(max_examples=40, deadline=None)
@given(graphs)
def test_layout_places_every_node_without_overlap(
    graph: tuple[int, list[tuple[int, int, bool]]],
) -> None:
    n, pairs = graph
    nodes = [LayoutNode(f"f{i}", f"g{i % 4}/") for i in range(n)]
    edges = [LayoutEdge(f"f{a}", f"f{b}", ordering) for a, b, ordering in pairs]
    layout = layered_layout(nodes, edges)
    assert set(layout.nodes) == {node.id for node in nodes}
    boxes = [p.box for p in layout.nodes.values()]
    assert not any(_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert all(b.x >= 0 and b.right <= layout.width and b.y + b.h <= layout.height for b in boxes)
    layers = {p.id: p.layer for p in layout.nodes.values()}
    for edge in edges:  # an ordering edge never points to a later column
        if edge.ordering and edge.source != edge.target:
            assert (
                layers[edge.target] < layers[edge.source]
                or layers[edge.target] == layers[edge.source]
            )
    assert layout == layered_layout(list(reversed(nodes)), list(reversed(edges)))


def test_groups_box_their_nodes_and_unlinked_nodes_go_below() -> None:
    nodes = [LayoutNode("a/x.py", "a/"), LayoutNode("a/y.py", "a/"), LayoutNode("b/z.py", "b/")]
    layout = layered_layout(nodes, [LayoutEdge("a/x.py", "a/y.py")])
    assert layout.loose_top is not None
    assert layout.nodes["b/z.py"].layer == -1
    assert layout.nodes["b/z.py"].box.y > layout.loose_top
    assert layout.nodes["a/y.py"].layer == 0 and layout.nodes["a/x.py"].layer == 1
    by_group = {g.group: g.box for g in layout.groups}
    inner = layout.nodes["b/z.py"].box
    outer = by_group["b/"]
    assert outer.x <= inner.x and inner.right <= outer.right and outer.y <= inner.y
    assert len(layout.edges) == 1 and layout.edges[0].path.startswith("M")


def test_tall_columns_wrap_into_sub_columns() -> None:
    nodes = [LayoutNode("hub", "./")] + [LayoutNode(f"u{i:03d}", "./") for i in range(100)]
    edges = [LayoutEdge(f"u{i:03d}", "hub") for i in range(100)]
    layout = layered_layout(nodes, edges)
    xs = {round(layout.nodes[f"u{i:03d}"].box.x) for i in range(100)}
    assert len(xs) > 1  # 100 importers do not make one 2,800 px column
    assert layout.height < 100 * 28
