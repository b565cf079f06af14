"""Draw a :class:`~benchmig.reports._graph_view.GraphView` as inline SVG (no script inside).

Every label, tooltip and attribute value is XML-escaped here: file and folder names are hostile
data. Colours come from CSS classes (``role-benchmark``, ``cycle``, ``broken``...) defined by
the page, so the picture follows the page's theme.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from markupsafe import Markup

from benchmig.reports._graph_view import ROLES, GraphView, ViewEdge, ViewNode
from benchmig.reports.graph_layout import (
    Box,
    Layout,
    LayoutEdge,
    LayoutNode,
    LayoutOptions,
    layered_layout,
)

__all__ = ["layout_view", "render_graph_svg"]

_CHAR_WIDTH = 6.4  # average advance of the 11px sans-serif labels


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fit(text: str, width: float) -> str:
    """Shorten in the middle: both the top folder and the name stay readable."""
    room = max(5, int(width / _CHAR_WIDTH))
    if len(text) <= room:
        return text
    head = (room - 1) * 2 // 5
    return text[:head] + "…" + text[len(text) - (room - 1 - head) :]


def layout_view(view: GraphView, options: LayoutOptions | None = None) -> Layout:
    """Lay out ``view``: exact edges order the columns, ambiguous ones are only drawn.

    Folder views get wider boxes: their labels are paths.
    """
    if options is None and view.level == "folders":
        options = LayoutOptions(node_width=250.0)
    return layered_layout(
        [LayoutNode(n.id, n.group) for n in view.nodes],
        [LayoutEdge(e.source, e.target, e.exact) for e in view.edges],
        options,
    )


def _defs() -> str:
    markers = "".join(
        f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        f'class="arrow arrow-{name}"/></marker>'
        for name in ("edge", "cycle", "ambiguous")
    )
    return f"<defs>{markers}</defs>"


def _column_titles(layout: Layout, word: str) -> Iterator[str]:
    for number, x in enumerate(layout.columns, 1):
        yield f'<text class="column-title" x="{x:.1f}" y="16">{word} {number}</text>'
    if layout.loose_top is not None:
        y = layout.loose_top + 16
        yield (
            f'<text class="column-title" x="{layout.options.margin:.1f}" y="{y:.1f}">'
            "no local imports either way</text>"
        )


def _group(box: Box, name: str) -> str:
    label = _fit(name, box.w - 8)
    return (
        f'<g class="group"><rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
        f'height="{box.h:.1f}" rx="5"/><text x="{box.x + 5:.1f}" y="{box.y + 12:.1f}">'
        f"<title>{_e(name)}</title>{_e(label)}</text></g>"
    )


def _edge(edge: ViewEdge, path: str) -> str:
    kind = "cycle" if edge.cycle else ("edge" if edge.exact else "ambiguous")
    width = 1.0 if edge.count <= 1 else min(5.0, 1.0 + edge.count.bit_length() * 0.6)
    what = f"{edge.count} imports" if edge.count > 1 else f"line {edge.line}"
    title = f"{edge.source} → {edge.target} ({what}{'' if edge.exact else ', ambiguous'})"
    return (
        f'<path class="link {kind}" d="{path}" stroke-width="{width:.1f}" '
        f'marker-end="url(#arrow-{kind})"><title>{_e(title)}</title></path>'
    )


def _role_bar(node: ViewNode, box: Box) -> str:
    parts, x = [], box.x + 1
    total = max(1, sum(node.roles.values()))
    for role in ROLES:
        share = node.roles.get(role, 0) / total * (box.w - 2)
        if share > 0:
            parts.append(
                f'<rect class="bar role-{role}" x="{x:.1f}" y="{box.y + box.h - 4:.1f}" '
                f'width="{share:.1f}" height="3"/>'
            )
            x += share
    return "".join(parts)


def _node(node: ViewNode, box: Box) -> str:
    classes = ["node", node.kind, f"role-{node.role}"]
    classes += ["cycle"] * node.in_cycle + ["broken"] * node.broken
    text = node.label if node.kind == "file" else f"{node.label} ({node.files:,})"
    label = _fit(text, box.w - 10)
    bar = _role_bar(node, box) if node.kind == "folder" else ""
    return (
        f'<g class="{" ".join(classes)}" data-filter="{_e(node.filter)}" tabindex="0">'
        f"<title>{_e(node.tooltip)}</title>"
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="3"/>'
        f'<text x="{box.x + 5:.1f}" y="{box.y + box.h / 2 + 4:.1f}">{_e(label)}</text>{bar}</g>'
    )


def render_graph_svg(view: GraphView, layout: Layout | None = None) -> Markup:
    """The SVG element of ``view`` (laid out with :func:`layout_view` unless given)."""
    layout = layout or layout_view(view)
    by_id = {n.id: n for n in view.nodes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="depgraph" '
        f'viewBox="0 0 {layout.width:.0f} {layout.height:.0f}" width="{layout.width:.0f}" '
        f'height="{layout.height:.0f}" role="img" aria-label="dependency graph">',
        _defs(),
        *_column_titles(layout, "wave" if view.level == "files" else "level"),
        *(_group(g.box, g.group) for g in layout.groups),
    ]
    drawn = {(e.source, e.target): e.path for e in layout.edges}
    parts.append('<g class="links">')
    parts += [
        _edge(e, drawn[e.source, e.target]) for e in view.edges if (e.source, e.target) in drawn
    ]
    parts.append("</g>")
    parts += [_node(by_id[n], p.box) for n, p in sorted(layout.nodes.items())]
    parts.append("</svg>")
    return Markup("".join(parts))
