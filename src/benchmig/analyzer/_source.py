"""Turn a file's bytes into an ``ast.Module``, or into a :class:`FileError` that says why not.

The fast path is one ``ast.parse`` on the bytes (CPython then honours PEP 263 coding cookies and
a UTF-8 BOM). Only when that fails do we look closer, to tell a merge conflict, a file that is not
Python at all (a shell script, HTML, a log) and Python 2 from an ordinary syntax error: the
diagnosis reads the text around the error, so it costs nothing on the files that parse.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass

from benchmig.analyzer._facts import FileError, FileStatus

__all__ = ["ParseOutcome", "count_lines", "module_name", "parse_source", "precheck"]

_BINARY_WINDOW = 8192
# PEP 263: a coding cookie in a comment on line 1 or 2.
_COOKIE_RE = re.compile(rb"^[ \t\f]*#[^\n]*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)
_MERGE_RE = re.compile(rb"^(?:<{7}|>{7})(?: |\r?$)", re.MULTILINE)
_LOG_LINE_RE = re.compile(
    rb"^(?:\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}"  # 2025-03-06 21:07:08,168 - name - INFO - ...
    rb"|\[?(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL)(?::|\]|\s+-\s)"  # INFO:root:..., [INFO]
    rb"|Traceback \(most recent call last\):)"
)
_PY2_MESSAGES = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)
_UR_PREFIX_RE = re.compile(r"\b[uU][rR]['\"]")  # ur"" string prefix
_STRING_RE = re.compile(r"""[rRbBuUfF]{0,2}(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')""")
_PY2_CODE_RE = re.compile(
    r"`[^`]+`"  # repr backticks
    r"|<>"  # the old not-equal operator
    r"|^\s*print\s+(?![\s(=.,)\]:;+*/%&|<>!-])\S"  # print statement
    r"|^\s*exec\s+['\"\w]"  # exec statement
    r"|^\s*raise\s+[\w.]+\s*,"  # raise E, "message"
    r"|\b\d+[lL]\b"  # long integer literal
)
# A shebang naming an interpreter path that is not Python (bash, sh, perl, node, ...).
_NOT_PYTHON_SHEBANG_RE = re.compile(rb"^#![ \t]*/(?!.*python)")


@dataclass(frozen=True)
class ParseOutcome:
    """The result of :func:`parse_source`: a tree, or the status and error that replace it."""

    tree: ast.Module | None
    status: FileStatus = "ok"
    error: FileError | None = None


def module_name(rel_path: str) -> tuple[str, bool]:
    """The dotted module name of a relative path, and whether ``import`` could reach it.

    ``a/b/c.py`` -> ``a.b.c``; ``a/b/__init__.py`` -> ``a.b``; a name that is not an identifier
    (``run-bench.py``, ``2024_test.py``) keeps its spelling but is flagged not importable.
    """
    parts = [p for p in rel_path.replace("\\", "/").split("/") if p not in ("", ".")]
    if parts:
        last = parts[-1]
        for suffix in (".pyw", ".py"):
            if last.endswith(suffix):
                last = last[: -len(suffix)]
                break
        parts[-1] = last
        if last == "__init__":
            parts.pop()
    importable = all(p.isidentifier() for p in parts)
    return ".".join(parts), importable


def count_lines(data: bytes) -> int:
    """Number of lines, counting a last line without a newline."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def precheck(data: bytes, max_bytes: int) -> FileError | None:
    """Why a file is skipped without parsing (empty, too large, binary), or ``None``."""
    if not data:
        return FileError("empty", "the file is empty (0 bytes); nothing to analyse")
    if len(data) > max_bytes:
        return FileError(
            "too_large",
            f"the file has {len(data):,} bytes, over the limit of {max_bytes:,}; "
            "raise the limit to analyse it",
        )
    if data.find(b"\x00", 0, _BINARY_WINDOW) >= 0:
        return FileError("binary", "a NUL byte in the first 8 KB: a binary file, not Python source")
    return None


def _check_encoding(data: bytes) -> FileError | None:
    """Without a non-UTF-8 coding cookie a file must be UTF-8 (CPython checks only strings)."""
    if data.isascii():  # most files: valid UTF-8, whatever their cookie says; no decoding
        return None
    first_end = data.find(b"\n")
    second_end = data.find(b"\n", first_end + 1) if first_end >= 0 else -1
    head = data[: second_end if second_end >= 0 else 4096]
    cookie = _COOKIE_RE.search(head)
    if cookie is not None and cookie.group(1).lower().replace(b"_", b"-") not in (
        b"utf-8",
        b"utf8",
    ):
        return None  # the parser decodes with the declared codec and reports what fails
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return FileError(
            "not_utf8",
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8 and the file declares no coding "
            "cookie; re-encode it as UTF-8 or add '# -*- coding: <encoding> -*-' on line 1",
            line,
            column,
        )
    return None


def parse_source(rel_path: str, data: bytes) -> ParseOutcome:
    """Parse ``data`` with CPython's ``ast``; on failure, classify why (never raises)."""
    encoding_error = _check_encoding(data)
    if encoding_error is not None:
        return ParseOutcome(None, "parse_error", encoding_error)
    try:
        with warnings.catch_warnings():
            # The analysed code's own warnings (an invalid escape like "\d", `x is 1`) are not
            # the analyzer's to print: since Python 3.12 each is a SyntaxWarning on stderr.
            warnings.simplefilter("ignore")
            tree = ast.parse(data, filename=rel_path, type_comments=False)
        return ParseOutcome(tree)
    except SyntaxError as exc:
        return ParseOutcome(None, "parse_error", diagnose(data, exc))
    except (RecursionError, MemoryError):
        error = FileError(
            "syntax_error",
            "too deeply nested for CPython's parser (it ran out of recursion or memory); "
            "CPython cannot import it either",
        )
        return ParseOutcome(None, "parse_error", error)
    except ValueError as exc:  # "source code string cannot contain null bytes" (3.11)
        nul = data.find(b"\x00")
        line = _line_of(data, nul) if nul >= 0 else None
        return ParseOutcome(None, "parse_error", FileError("syntax_error", str(exc), line, None))


def diagnose(data: bytes, exc: SyntaxError) -> FileError:
    """Classify a parse failure: merge conflict, not Python, Python 2, encoding or syntax error."""
    message = exc.msg or "invalid syntax"
    line = exc.lineno if exc.lineno and exc.lineno > 0 else None
    col = exc.offset if exc.offset and exc.offset > 0 else None
    if "null bytes" in message:  # CPython gives no position for a stray NUL
        nul = data.find(b"\x00")
        if nul >= 0:
            return FileError("syntax_error", message, _line_of(data, nul), None)
    # Markers are 7 '<' or '>': a substring test first spares the line-anchored regex its
    # scan of the whole file (a quarter of the bytes of a real tree are files that fail to parse).
    merge = _MERGE_RE.search(data) if b"<<<<<<<" in data or b">>>>>>>" in data else None
    if merge is not None:
        return FileError(
            "merge_conflict",
            "unresolved merge-conflict markers; resolve the conflict, then analyse again",
            _line_of(data, merge.start()),
            1,
        )
    not_python = _not_python(data, line)
    if not_python is not None:
        return not_python
    if message.startswith(("(unicode error)", "unknown encoding")):
        return FileError("not_utf8", f"cannot decode the file: {message}", line, col)
    error_line = _text_line(data, line)
    if message.startswith(_PY2_MESSAGES) or (
        error_line is not None and _is_python2_line(error_line)
    ):
        return FileError(
            "python2",
            f"Python 2 syntax ({message}); port it to Python 3 (e.g. with pyupgrade/2to3) first",
            line,
            col,
        )
    return FileError("syntax_error", message, line, col)


def _is_python2_line(line: str) -> bool:
    """Python 2 syntax in the code of one line (string literals and comments removed)."""
    if _UR_PREFIX_RE.search(line):
        return True
    code = _STRING_RE.sub('""', line).split("#", 1)[0]
    return _PY2_CODE_RE.search(code) is not None


def _text_line(data: bytes, line: int | None) -> str | None:
    if line is None:
        return None
    start = 0
    for _ in range(line - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    end = data.find(b"\n", start)
    raw = data[start:] if end < 0 else data[start:end]
    return raw.decode("utf-8", "replace")


def _not_python(data: bytes, error_line: int | None) -> FileError | None:
    """Shell scripts, HTML/XML, logs and Markdown under a ``.py`` name."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    stripped = head.lstrip()
    first_line_no = _line_of(data, len(data[:4096]) - len(stripped)) if stripped else 1
    if head.startswith(b"#!") and _NOT_PYTHON_SHEBANG_RE.match(head.split(b"\n", 1)[0]):
        interpreter = head.split(b"\n", 1)[0][2:].strip().decode("utf-8", "replace")
        return FileError("not_python", f"a script for {interpreter!r}, not Python", 1, 1)
    if stripped.startswith(b"<"):
        return FileError("not_python", "markup (HTML/XML), not Python source", first_line_no, 1)
    if _LOG_LINE_RE.match(stripped):
        return FileError("not_python", "log output, not Python source", first_line_no, 1)
    text = _text_line(data, error_line)
    if text is not None and text.lstrip().startswith("```"):
        return FileError(
            "not_python",
            "a Markdown code fence: the file holds Markdown, not bare Python",
            error_line,
            1,
        )
    return None
