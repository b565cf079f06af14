"""report.html and report.md of an analysis: golden structure, content, and hostile names.

Goldens live in tests/reports/golden/; after an intended change, rerun with
``BENCHMIG_UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from typing import Any

import pytest

from benchmig.reports._analysis_view import blocker_kinds, migration_waves
from benchmig.reports.analysis_html import render_analysis_html
from benchmig.reports.analysis_markdown import render_analysis_markdown
from tests.reports.factory import (
    HOSTILE_STRINGS,
    IMG_DETAIL,
    MARKUP_MODULE,
    SCRIPT_REASON,
    SVG_NAME,
    big_analysis,
    hostile_analysis,
)
from tests.reports.html_check import Markup, check_golden, outline

UPDATE = os.environ.get("BENCHMIG_UPDATE_GOLDEN") == "1"
# Elements our templates and SVG writer produce; anything else came from data.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section",
    "div", "span", "a", "h1", "h2", "h3", "p", "table", "thead", "tbody", "tr", "th", "td",
    "strong", "button", "i", "script", "svg", "defs", "marker", "path", "g", "rect", "text",
}  # fmt: skip


@pytest.fixture(scope="module")
def page() -> str:
    return render_analysis_html(hostile_analysis())


def test_html_structure_matches_golden(page: str) -> None:
    check_golden("hostile_report.outline.txt", outline(page), UPDATE)


def test_markdown_matches_golden() -> None:
    check_golden("hostile_report.md", render_analysis_markdown(hostile_analysis()), UPDATE)


def test_hostile_names_stay_text_in_every_view(page: str) -> None:
    markup = Markup.of(page)
    assert markup.handlers() == []
    assert {e.tag for e in markup.elements} <= ALLOWED_TAGS
    executable = [data for attrs, data in markup.scripts if attrs.get("type") is None]
    assert len(executable) == 1 and "alert(" not in executable[0]
    text = "".join(markup.text)
    for needle in (SVG_NAME, SCRIPT_REASON, MARKUP_MODULE.join(["no module named ", ""])):
        assert needle in text  # shown, as text: in tables and graph tooltips
    assert "<svg onload" not in page and "<script>alert" not in page
    files: Any = markup.json_block("files-data")
    rows = {row[0]: row for row in files["rows"]}
    assert SVG_NAME in rows  # the inline JSON carries the names exactly
    idiom_details = [i[2] for i in rows[SVG_NAME][15]]
    assert IMG_DETAIL in idiom_details
    unresolved: Any = markup.json_block("unresolved-data")
    assert MARKUP_MODULE in [row[2] for row in unresolved["rows"]]


def test_content_security_policy_allows_only_our_script_and_style(page: str) -> None:
    markup = Markup.of(page)
    csp = next(e.attrs["content"] for e in markup.elements if e.attrs.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp
    script = next(data for attrs, data in markup.scripts if attrs.get("type") is None)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp


def test_page_holds_every_section_and_number(page: str) -> None:
    markup = Markup.of(page)
    ids = {e.attrs.get("id") for e in markup.elements}
    for section in ("overview", "blockers", "graph", "files", "failures", "clusters", "unresolved"):
        assert section in ids
    text = " ".join(markup.text)
    assert "Parse failures" in text and "Import cycles" in text
    failures: Any = markup.json_block("failures-data")
    assert failures["rows"][0][:3] == ["legacy/py2_script.py", "parse_error", "python2"]
    order: Any = markup.json_block("order-data")
    assert [w["n"] for w in order] == [1, 2, 3, 4]
    assert order[0]["steps"][0] == {"n": 1, "files": ["common/a.py", "common/b.py"], "cycle": True}


def test_waves_respect_dependencies() -> None:
    analysis = hostile_analysis()
    wave_of = {p: w.number for w in migration_waves(analysis) for p in w.paths}
    for edge in analysis.graph.edges:
        if edge.resolution == "exact" and edge.target in wave_of:
            assert wave_of[edge.target] <= wave_of[edge.source]
    assert wave_of["common/timers.py"] == 2 and wave_of["tools/run_all.py"] == 4
    kinds = [k.kind for k in blocker_kinds(analysis)]
    assert set(kinds) == {"no_unit", "parse_error", "simulation", "unresolved_import"}


def test_markdown_has_no_markup_from_data() -> None:
    text = render_analysis_markdown(hostile_analysis())
    outside_code = re.sub(r"(`+)(?:(?!\1).)+?\1", "", text)  # drop code spans
    outside_code = re.sub(r"</?(details|summary)>", "", outside_code)  # our own blocks
    assert not re.search(r"(?<!\\)[<>]", outside_code)
    assert "](" not in outside_code.replace("\\]", "")  # no link can form
    for name in HOSTILE_STRINGS[:3]:
        assert name.replace("|", "\\|").split("/")[-1][:6] in text


def test_big_tree_page_is_compact_and_complete() -> None:
    analysis = big_analysis(2000)
    page = render_analysis_html(analysis)
    markup = Markup.of(page)
    files: Any = markup.json_block("files-data")
    assert [r[0] for r in files["rows"]] == [f.path for f in analysis.files]
    assert len(page.encode()) < 600 * len(analysis.files)  # about 300 bytes a file here
    svg_nodes = sum(
        1 for e in markup.elements if e.tag == "g" and "node" in (e.attrs["class"] or "")
    )
    assert svg_nodes <= 130
