"""Read rendered HTML back with the standard library's parser, for structure and escaping tests.

``outline(html)`` is the page's skeleton (elements with their ids and classes, headings and
table headers with their text, SVG pictures and JSON blocks summarised) for golden files;
``Markup(html)`` lists every element and attribute, to prove that hostile names stayed text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

_VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "source", "wbr", "col"})
_TEXT_TAGS = frozenset({"h1", "h2", "h3", "h4", "th", "summary", "a", "label", "button", "title"})
GOLDEN = Path(__file__).parent / "golden"


@dataclass
class Element:
    """One start tag as the parser saw it."""

    tag: str
    attrs: dict[str, str | None]
    text: str = ""


class Markup(HTMLParser):
    """Every element of a page, the text inside each ``<script>``, and all visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None

    @classmethod
    def of(cls, html: str) -> Markup:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self.scripts.append((self._script, data))
        else:
            self.text.append(data)

    def json_block(self, element_id: str) -> object:
        """The parsed content of ``<script type="application/json" id=...>``."""
        for attrs, data in self.scripts:
            if attrs.get("id") == element_id:
                return json.loads(data)
        raise KeyError(element_id)

    def handlers(self) -> list[tuple[str, str]]:
        """``(tag, attribute)`` of every event-handler attribute (``on...``)."""
        return [(e.tag, a) for e in self.elements for a in e.attrs if a.lower().startswith("on")]


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.depth = 0
        self.svg: list[str] | None = None
        self.svg_depth = 0
        self.capture: list[str] | None = None
        self.capture_line = 0
        self.script: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if self.svg is not None:
            self.svg.append(tag if tag != "g" else f"g.{(a.get('class') or '').split(' ')[0]}")
            self.svg_depth += tag not in ("rect", "path", "circle", "line", "marker")
            return
        name = tag + (f"#{a['id']}" if a.get("id") else "")
        name += "".join(f".{c}" for c in (a.get("class") or "").split())
        if tag == "script":
            self.script = f"{name}[{a.get('type') or 'js'}]"
        elif tag == "svg":
            self.svg, self.svg_depth = [], 1
            self.lines.append("  " * self.depth + name + " <svg>")
            return
        else:
            self.lines.append("  " * self.depth + name)
        if tag in _TEXT_TAGS:
            self.capture, self.capture_line = [], len(self.lines) - 1
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.svg is not None:
            self.svg.append(tag)
            return
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if self.svg is not None:
            if tag == "svg":
                self._close_svg()
            return
        if tag == "script" and self.script is not None:
            self.depth -= 1
            self.lines.append("  " * self.depth + self.script)
            self.script = None
            return
        if self.capture is not None and tag in _TEXT_TAGS:
            text = " ".join("".join(self.capture).split())
            self.lines[self.capture_line] += f" {text!r}"
            self.capture = None
        self.depth -= 1

    def _close_svg(self) -> None:
        assert self.svg is not None
        counts: dict[str, int] = {}
        for tag in self.svg:
            counts[tag] = counts.get(tag, 0) + 1
        summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
        self.lines[-1] += f" [{summary}]"
        self.svg = None

    def handle_data(self, data: str) -> None:
        if self.capture is not None and self.svg is None:
            self.capture.append(data)


def outline(html: str) -> str:
    """The skeleton of a page, one element per line, indented by depth."""
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.lines) + "\n"


def check_golden(name: str, text: str, update: bool) -> None:
    """Compare ``text`` with ``golden/name`` (rewrite it when ``update``)."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: create it with BENCHMIG_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from tests/reports/golden/{name}; if the change is intended, rerun "
        "with BENCHMIG_UPDATE_GOLDEN=1 and review the diff"
    )
