"""Bad input: every class of unparseable or unreadable file becomes a status and a FileError."""

from __future__ import annotations

import warnings

import pytest

from benchmig.analyzer._extract import extract_facts
from benchmig.analyzer._source import count_lines, module_name


@pytest.mark.parametrize(
    ("path", "module", "importable"),
    [
        ("a/b/c.py", "a.b.c", True),
        ("a/b/__init__.py", "a.b", True),
        ("__init__.py", "", True),
        ("bench/run-bench.py", "bench.run-bench", False),
        ("my-pkg/mod.py", "my-pkg.mod", False),
        ("tests/2024_results.py", "tests.2024_results", False),
        ("./x.py", "x", True),
    ],
)
def test_module_name(path: str, module: str, importable: bool) -> None:
    assert module_name(path) == (module, importable)
    facts = extract_facts(path, b"x = 1\n")
    assert facts.module == module
    assert facts.extra["importable"] is importable


@pytest.mark.parametrize(
    ("data", "expected"), [(b"", 0), (b"a", 1), (b"a\n", 1), (b"a\nb", 2), (b"a\r\nb\r\n", 2)]
)
def test_count_lines(data: bytes, expected: int) -> None:
    assert count_lines(data) == expected


def test_good_file_with_crlf_and_hash() -> None:
    data = b"import os\r\nx = 1\r\n"
    facts = extract_facts("m.py", data)
    assert (facts.status, facts.error, facts.crlf, facts.lines, facts.size_bytes) == (
        "ok",
        None,
        True,
        2,
        len(data),
    )
    assert len(facts.sha256) == 64
    assert extract_facts("m.py", b"x = 1\n").crlf is False


def test_coding_cookie_and_bom_are_honoured() -> None:
    latin = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n"
    assert extract_facts("l.py", latin).status == "ok"
    assert extract_facts("b.py", b"\xef\xbb\xbfx = 1\n").status == "ok"


def _error(data: bytes, max_bytes: int = 8_000_000) -> tuple[str, str, int | None]:
    facts = extract_facts("bad.py", data, max_bytes=max_bytes)
    assert facts.error is not None
    return facts.status, facts.error.reason, facts.error.line


def test_empty_file_is_skipped() -> None:
    assert _error(b"") == ("skipped", "empty", None)


def test_too_large_file_is_skipped_without_hashing() -> None:
    facts = extract_facts("big.py", b"x = 1\n" * 100, max_bytes=50)
    assert facts.status == "skipped"
    assert facts.error is not None and facts.error.reason == "too_large"
    assert facts.size_bytes == 600 and facts.sha256 == ""


def test_binary_file_is_skipped() -> None:
    assert _error(b"\x89PNG\r\n\x1a\n\x00\x00\x00") == ("skipped", "binary", None)
    assert _error("x = 1\n".encode("utf-16")) == ("skipped", "binary", None)


def test_nul_byte_after_the_binary_window_is_a_parse_error() -> None:
    data = b"x = 1\n" * 2000 + b"\x00\n"
    assert _error(data) == ("parse_error", "syntax_error", 2001)


def test_invalid_utf8_without_cookie_reports_the_line() -> None:
    status, reason, line = _error(b"x = 1\n# caf\xe9 au lait\ny = 2\n")
    assert (status, reason, line) == ("parse_error", "not_utf8", 2)


def test_unknown_coding_cookie() -> None:
    assert _error(b"# coding: klingon\nx = 1\n")[:2] == ("parse_error", "not_utf8")


def test_merge_conflict_markers() -> None:
    data = b"x = 1\n<<<<<<< HEAD\ny = 2\n=======\ny = 3\n>>>>>>> feature\n"
    assert _error(data) == ("parse_error", "merge_conflict", 2)


def test_conflict_like_text_in_a_string_still_parses() -> None:
    data = b'doc = """\n<<<<<<< HEAD\n"""\n'
    assert extract_facts("ok.py", data).status == "ok"


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"#!/bin/bash\necho 'running benchmarks'\nfor m in a b; do python x.py $m; done\n", 1),
        (b"#!/usr/bin/env bash\nset -e\nmake all\n", 1),
        (b"\n<!DOCTYPE html>\n<html><body>report</body></html>\n", 2),
        (b"<html>\n<body>x</body>\n", 1),
        (b"2025-03-06 21:07:08,168 - bench - INFO - Using cuda\n2025-03-06 21:07:09,001 - x\n", 1),
        (b"INFO:root:starting\nWARNING:root:slow\n", 1),
        (b'Traceback (most recent call last):\n  File "x.py", line 1\n', 1),
        (b"```python\nimport os\n```\n", 1),
    ],
)
def test_not_python(data: bytes, line: int) -> None:
    assert _error(data) == ("parse_error", "not_python", line)


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"import os\nprint 'hello'\n", 2),
        (b"import os\n\nprint x, y\n", 3),
        (b"try:\n    pass\nexcept ValueError, e:\n    pass\n", 3),
        (b"x = 1\ny = `x`\n", 2),
        (b'exec "x = 1"\n', 1),
        (b'x = ur"abc"\n', 1),
        (b"mode = 0777\n", 1),
        (b"if a <> b:\n    pass\n", 1),
        (b"raise ValueError, 'bad'\n", 1),
        (b"n = 10L\n", 1),
    ],
)
def test_python2(data: bytes, line: int) -> None:
    assert _error(data) == ("parse_error", "python2", line)


@pytest.mark.parametrize(
    "data",
    [
        b'pattern = re.compile()))r":obj:`()))[],^`]+)`"),,\n',  # backticks inside a string
        b"x = foo())  # print x, `y`, a <> b\n",  # markers inside a comment
        b"ERROR = 5\ndef f(:\n    pass\n",  # a log-like first word is not a log
        b"#!/usr/bin/env python3\ndef f(:\n",  # a Python shebang
    ],
)
def test_plain_syntax_errors_are_not_misclassified(data: bytes) -> None:
    assert _error(data)[:2] == ("parse_error", "syntax_error")


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"def f(:\n    pass\n", 1, "invalid syntax"),
        (b"x = (1,\ny = 2\n", 1, "'(' was never closed"),
        (b"x = foo())\n", 1, "unmatched ')'"),
        (b"def f():\nreturn 1\n", 2, "expected an indented block"),
        (b"x = 1\n  y = 2\n", 2, "unexpected indent"),
    ],
)
def test_syntax_errors_keep_ast_message_and_position(data: bytes, line: int, message: str) -> None:
    facts = extract_facts("bad.py", data)
    assert facts.status == "parse_error"
    assert facts.error is not None
    assert (facts.error.reason, facts.error.line) == ("syntax_error", line)
    assert message in facts.error.message
    assert facts.error.col is not None


def test_parser_recursion_and_nesting_limits_are_caught() -> None:
    deep_sum = b"x = " + b"1+" * 200_000 + b"1\n"
    assert _error(deep_sum)[:2] == ("parse_error", "syntax_error")
    deep_parens = b"x = " + b"(" * 300 + b")" * 300 + b"\n"
    assert _error(deep_parens)[:2] == ("parse_error", "syntax_error")


def test_deep_but_valid_expressions_are_walked_without_recursion() -> None:
    data = b"x = " + b"[" * 150 + b"]" * 150 + b"\ny = " + b"-" * 900 + b"1\n"
    facts = extract_facts("deep.py", data)
    assert facts.status == "ok"


def test_error_files_keep_identity_fields() -> None:
    facts = extract_facts("pkg/bad.py", b"def f(:\n")
    assert facts.module == "pkg.bad"
    assert facts.size_bytes == 8 and facts.lines == 1 and len(facts.sha256) == 64
    assert facts.idioms == () and facts.imports == ()


def test_the_analysed_codes_own_warnings_are_not_shown() -> None:
    # An invalid escape and `is` with a literal warn when parsed (a SyntaxWarning on stderr by
    # default since Python 3.12, an error under -W error): the legacy code's, not the analyzer's
    source = b'PATTERN = "\\d+"\nif len(PATTERN) is 3:\n    pass\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        facts = extract_facts("warns.py", source)
    assert facts.status == "ok"
    assert caught == []
