"""Checks every rewritten file passes before it is written (the way black checks its own output).

A rewrite is kept only if the new bytes parse again with LibCST (and round-trip byte for byte),
compile with CPython, keep the file's newline style (a CRLF file stays CRLF) and its encoding.
Idempotence (a second application changes nothing) is checked by the transform, which can run
the codemods again. Nothing here imports or runs the checked code: ``compile`` only builds a
code object.
"""

from __future__ import annotations

import warnings
from typing import Literal

import libcst as cst

__all__ = ["NewlineStyle", "check_output", "compile_error", "newline_style"]

NewlineStyle = Literal["crlf", "lf", "cr", "mixed", "none"]


def newline_style(data: bytes) -> NewlineStyle:
    """How the lines of ``data`` end: all ``\\r\\n``, all ``\\n``, all ``\\r``, a mix, or none."""
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n") - crlf
    cr = data.count(b"\r") - crlf
    kinds = [name for name, count in (("crlf", crlf), ("lf", lf), ("cr", cr)) if count]
    if not kinds:
        return "none"
    if len(kinds) > 1:
        return "mixed"
    style: NewlineStyle = kinds[0]  # type: ignore[assignment]
    return style


def compile_error(path: str, data: bytes) -> str | None:
    """Why CPython cannot compile ``data`` (``line N: message``), or ``None``. Some errors only
    the compiler sees, not the parser (``keyword argument repeated``)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the legacy code are not ours
            compile(data, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        return f"line {getattr(exc, 'lineno', None)}: {getattr(exc, 'msg', None) or exc}"
    return None


def check_output(path: str, original: bytes, output: bytes, encoding: str) -> str | None:
    """Why ``output`` must not replace ``original`` (``None`` when it is safe); ``encoding``
    is the original's (LibCST's detection: a coding cookie or UTF-8)."""
    try:
        module = cst.parse_module(output)
    except cst.ParserSyntaxError as exc:
        return f"the rewritten file does not parse (line {exc.raw_line}): {exc.message}"
    if module.bytes != output:
        return "the rewritten file does not round-trip through LibCST"
    error = compile_error(path, output)
    if error is not None:
        return f"the rewritten file does not compile ({error})"
    before, after = newline_style(original), newline_style(output)
    if before in ("crlf", "lf", "cr") and after not in (before, "none"):
        return f"the rewrite changed the newline style from {before} to {after}"
    if module.encoding != encoding:
        return f"the rewrite changed the encoding from {encoding} to {module.encoding}"
    return None
