"""Escaping primitives: JSON inside HTML, Markdown text and code spans, number formats."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.reports._render import (
    MdSafe,
    fmt_bytes,
    fmt_float,
    fmt_int,
    fmt_pct,
    json_for_html,
    markdown_environment,
    md_code,
    md_text,
    plural,
    render_template,
)

HOSTILE = st.text(
    alphabet=st.sampled_from(list("<>&'\"`|*_[]()#!\\/-\n\r\t\u2028\u2029 ax1")), max_size=40
)


@given(st.recursive(HOSTILE | st.integers() | st.booleans(), lambda c: st.lists(c, max_size=4)))
def test_json_for_html_round_trips_and_cannot_close_a_script(value: object) -> None:
    text = str(json_for_html(value))
    assert json.loads(text) == value
    assert not re.search(r"[<>&'\u2028\u2029]", text)


def test_json_for_html_turns_non_finite_floats_into_null() -> None:
    assert json.loads(json_for_html({"a": [1.5, math.nan, math.inf]})) == {"a": [1.5, None, None]}


def _code_span_content(span: str) -> str:
    """What CommonMark shows for a code span (fence of n backticks, one space stripped)."""
    fence = re.match(r"`+", span)
    assert fence is not None
    n = len(fence.group())
    assert span.endswith("`" * n) and not span.endswith("`" * (n + 1))
    inner = span[n:-n]
    assert "`" * n not in inner  # the fence cannot close early
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip(" "):
        inner = inner[1:-1]
    return inner


@given(st.text(min_size=1, max_size=40))
def test_md_code_is_one_literal_table_safe_span(text: str) -> None:
    span = md_code(text)
    assert "\n" not in span and "\r" not in span
    shown = _code_span_content(span)
    assert "|" not in shown.replace("\\|", "")  # every pipe escaped for GFM tables
    visible = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", text)
    assert shown.replace("\\|", "|") == visible


def test_md_code_of_names_with_backticks_and_pipes() -> None:
    assert md_code("a|b") == "`a\\|b`"
    assert md_code("odd/`tick`.py") == "``odd/`tick`.py``"
    assert md_code("`x`") == "`` `x` ``"
    assert md_code("a\nb") == "`a\\x0ab`"


@given(HOSTILE)
def test_md_text_leaves_no_markup_character_unescaped(text: str) -> None:
    escaped = md_text(text)
    assert "\n" not in escaped
    unescaped = re.sub(r"\\.", "", escaped)  # drop every backslash escape
    assert not re.search(r"[<>&`*_\[\]|#~\\]", unescaped)


def test_markdown_environment_escapes_values_by_default() -> None:
    template = markdown_environment().from_string("{{ a }} {{ b|code }} {{ c }} {{ d }}")
    text = template.render(a="<b>*x*</b>", b="p|q", c=3, d=MdSafe("**kept**"))
    assert text == "\\<b\\>\\*x\\*\\</b\\> `p\\|q` 3 **kept**"


def test_html_templates_autoescape() -> None:
    text = render_template("_page.html.j2", csp='x" onload="y')
    assert 'content="x&#34; onload=&#34;y"' in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "-"), (0, "0"), (12345.4, "12,345")],
)
def test_fmt_int(value: float | None, expected: str) -> None:
    assert fmt_int(value) == expected


def test_number_formats() -> None:
    assert fmt_float(math.nan) == "-"
    assert fmt_float(0.000123456) == "0.0001235"
    assert fmt_pct(0.1234, signed=True) == "+12.3%"
    assert fmt_pct(None) == "-"
    assert fmt_bytes(999) == "999 B"
    assert fmt_bytes(243_874_487) == "243.9 MB"
    assert fmt_bytes(5e12) == "5000.0 GB"
    assert plural(1, "import cycle") == "1 import cycle"
    assert plural(1200, "file") == "1,200 files"
