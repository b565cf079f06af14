"""Shared rendering: the jinja2 environments, filters, and safe embedding of hostile text.

Everything a report shows (file names, module names, messages, source snippets) is data that may
try to be markup. Two environments make escaping the default rather than a habit:

* :func:`html_environment` (``*.html.j2``): jinja2 autoescape on; JSON goes into
  ``<script type="application/json">`` through :func:`json_for_html`, which cannot close the tag;
* :func:`markdown_environment` (``*.md.j2``): every ``{{ value }}`` is Markdown-escaped by a
  ``finalize`` hook unless it was made safe on purpose (:func:`md_code`, :class:`MdSafe`).

Both are built on first use (no import-time work) and cached.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from benchmig._io import atomic_write_text
from benchmig.errors import InputError

__all__ = [
    "MdSafe",
    "asset",
    "fmt_bytes",
    "fmt_float",
    "fmt_int",
    "fmt_pct",
    "gc_paused",
    "html_environment",
    "json_for_html",
    "markdown_environment",
    "md_code",
    "md_text",
    "plural",
    "render_template",
    "write_text_file",
]

_JSON_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("'", "\\u0027"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Every ASCII punctuation character may be backslash-escaped in CommonMark; these are the ones
# that can start markup inside a line: emphasis, code, links and images (``[`` starts them all),
# HTML and autolinks, entities, table cells, headings, strikethrough, block quotes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_BACKTICKS = re.compile(r"`+")


class MdSafe(str):
    """Markdown text that is already safe to insert as is (built by :func:`md_code` and co)."""

    __slots__ = ()


def json_for_html(value: Any) -> Markup:
    """Compact JSON that is safe inside ``<script type="application/json">`` (and attributes).

    ``<``, ``>``, ``&`` and ``'`` become ``\\uXXXX`` escapes, so no string can close the script
    element or open a comment; ``JSON.parse`` restores them. Non-finite floats become ``null``.
    """
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN or an infinity somewhere: the slow path cleans the whole value
        text = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES:
        if char in text:
            text = text.replace(char, escaped)
    return Markup(text)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _visible_controls(text: str) -> str:
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def md_text(value: object) -> MdSafe:
    """``value`` as Markdown text that renders literally: no markup, no HTML, one line."""
    if isinstance(value, MdSafe):
        return value
    text = _visible_controls(str(value))
    return MdSafe(_MD_SPECIAL.sub(r"\\\1", text))


def md_code(value: object) -> MdSafe:
    """``value`` as a Markdown code span (paths, modules): literal, one line, table-safe.

    The fence is one backtick longer than the longest run inside; ``|`` is escaped because GFM
    splits table cells on it even inside code spans; control characters become ``\\xNN``.
    """
    text = _visible_controls(str(value)).replace("|", "\\|")
    if not text:
        return MdSafe("")
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    edges = text[0] + text[-1]
    if "`" in edges or (edges == "  " and text.strip(" ")):
        text = f" {text} "  # CommonMark strips one space on each side (unless all spaces)
    return MdSafe(f"{fence}{text}{fence}")


def _md_finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, MdSafe | int | float):
        return value
    return md_text(value)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 import cycle``, ``2 import cycles`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def fmt_int(value: float | None) -> str:
    """``12,345`` (``-`` for ``None``)."""
    return "-" if value is None else f"{round(value):,}"


def fmt_float(value: float | None, digits: int = 4) -> str:
    """Significant-digit formatting (``-`` for ``None`` and non-finite values)."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.{digits}g}"


def fmt_pct(value: float | None, signed: bool = False, digits: int = 1) -> str:
    """A fraction as a percentage: ``0.123`` -> ``12.3%`` (``+12.3%`` when ``signed``)."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:{'+' if signed else ''}.{digits}%}"


def fmt_bytes(value: float | None) -> str:
    """``245.1 MB`` style sizes (decimal units)."""
    if value is None:
        return "-"
    size = float(value)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(size) < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} TB"  # pragma: no cover - the loop always returns


_FILTERS: Mapping[str, Callable[..., Any]] = {
    "int": fmt_int,
    "float": fmt_float,
    "pct": fmt_pct,
    "bytes": fmt_bytes,
    "json_html": json_for_html,
    "plural": plural,
}


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("benchmig.reports", "templates")


@functools.cache
def html_environment() -> jinja2.Environment:
    """The environment of the ``*.html.j2`` templates: autoescape on, strict undefined."""
    env = jinja2.Environment(
        loader=_loader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(_FILTERS)
    env.globals["asset"] = asset
    return env


@functools.cache
def markdown_environment() -> jinja2.Environment:
    """The environment of the ``*.md.j2`` templates: every value is Markdown-escaped."""
    env = jinja2.Environment(
        loader=_loader(),
        autoescape=False,
        finalize=_md_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_FILTERS)
    env.filters.update(code=md_code, text=md_text)
    return env


@functools.cache
def asset(name: str) -> Markup:
    """A static file of ``templates/`` (CSS or JS), inlined as is (it is ours, not data).

    Refuses a file that could end its own ``<style>``/``<script>`` element.
    """
    source, _, _ = _loader().get_source(html_environment(), name)
    if re.search(r"</(script|style)", source, re.IGNORECASE):
        raise ValueError(f"asset {name} contains a closing </script> or </style>")
    return Markup(source)


def render_template(name: str, **context: Any) -> str:
    """Render ``templates/name`` with the environment its extension calls for."""
    env = markdown_environment() if name.endswith(".md.j2") else html_environment()
    return env.get_template(name).render(**context)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off the objects that exist already.

    Next to a loaded analysis of millions of objects, every full collection walks all of them
    and finds nothing; building a page's rows triggers dozens (measured: 5x slower). Frozen
    (``gc.freeze``), those objects are skipped until the block ends; new ones are still
    collected. Left alone when someone else already froze objects (a pre-fork server).
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def write_text_file(path: Path, text: str) -> Path:
    """Write a report atomically (creating its folder) and return its path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the report folder {path.parent}: {exc.strerror or exc}; "
            "choose another --out"
        ) from exc
    atomic_write_text(path, text)
    return path
