"""What the dependency picture shows: files for small trees, folders (and cycles) for big ones."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.reports._graph_view import build_graph_view, choose_folders, folder_of
from benchmig.reports.graph_svg import render_graph_svg
from tests.reports.factory import SVG_NAME, big_analysis, hostile_analysis
from tests.reports.html_check import Markup


def test_small_tree_is_drawn_file_by_file_with_cycles_marked() -> None:
    view = build_graph_view(hostile_analysis())
    assert view.level == "files"
    nodes = {n.id: n for n in view.nodes}
    assert len(nodes) == 12
    assert nodes["common/a.py"].in_cycle and not nodes["common/hw.py"].in_cycle
    assert nodes["legacy/py2_script.py"].broken
    edges = {(e.source, e.target): e for e in view.edges}
    assert edges["common/a.py", "common/b.py"].cycle
    assert not edges["models/bench_bert.py", "common/hw.py"].exact  # ambiguous
    assert ("bench/bert_latency.py", "external:torch") not in edges  # packages are not drawn


def test_big_tree_is_drawn_by_folder_with_the_files_of_cycles() -> None:
    analysis = big_analysis(3000)
    view = build_graph_view(analysis, max_file_nodes=400, max_folder_nodes=60)
    assert view.level == "folders"
    assert len(view.nodes) <= 60
    folders = [n for n in view.nodes if n.kind == "folder"]
    files = [n for n in view.nodes if n.kind == "file"]
    cycle_files = {p for c in analysis.graph.cycles for p in c}
    assert {n.id for n in files} == cycle_files
    assert sum(n.files for n in folders) + len(files) == len(analysis.files)
    assert "3,000 files drawn as" in view.note


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=0, max_size=4).map(
            lambda parts: "/".join([*parts, "f.py"])
        ),
        min_size=1,
        max_size=60,
        unique=True,
    ),
    st.integers(min_value=1, max_value=12),
)
def test_choose_folders_covers_every_file_once_within_the_budget(
    paths: list[str], budget: int
) -> None:
    mapping, folders = choose_folders(paths, budget)
    assert set(mapping) == set(paths)
    assert len(folders) <= max(1, budget)
    ids = {f.folder or "./" for f in folders}
    assert set(mapping.values()) == ids
    for path, node in mapping.items():  # a file belongs to a folder that contains it
        assert node == "./" or path.startswith(node)
        assert folder_of(path).startswith("" if node == "./" else node)


def test_svg_of_hostile_names_has_no_markup_from_the_names() -> None:
    svg = str(render_graph_svg(build_graph_view(hostile_analysis())))
    page = Markup.of(svg)
    assert page.handlers() == []
    assert {e.tag for e in page.elements} <= {
        "svg",
        "defs",
        "marker",
        "path",
        "text",
        "g",
        "rect",
        "title",
    }
    assert SVG_NAME in "".join(page.text)  # the name is text (in a tooltip)
    filters = [e.attrs.get("data-filter") for e in page.elements if e.tag == "g"]
    assert SVG_NAME in filters  # and an attribute value, escaped
