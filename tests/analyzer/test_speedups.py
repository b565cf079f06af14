"""The optional C module gives exactly what the pure-Python passes give.

Each C function is compared with the Python code it replaces: on generated inputs (the
fragments that make the quoting rules hard), on every file of the fixture corpus, and, for
the expression traversal, through the whole fact extraction. Where the module was not built
these tests skip, unless ``BENCHMIG_REQUIRE_SPEEDUPS=1`` (set by ``.ci/run``) makes that an
error.
"""

from __future__ import annotations

import ast
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.analyzer import _clusters, _compiled, _exprs
from benchmig.analyzer._extract import extract_facts

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "legacy"


def _module() -> Any:
    if _compiled.speedups is None:
        if os.environ.get("BENCHMIG_REQUIRE_SPEEDUPS") == "1":
            pytest.fail("BENCHMIG_REQUIRE_SPEEDUPS=1 but benchmig.analyzer._speedups is not built")
        pytest.skip("benchmig.analyzer._speedups is not built (no C compiler at install)")
    return _compiled.speedups


def _sources() -> list[tuple[str, bytes]]:
    paths = sorted(FIXTURES.rglob("*.py")) + sorted(EXAMPLES.rglob("*.py"))
    return [(p.relative_to(p.parents[1]).as_posix(), p.read_bytes()) for p in paths]


_FRAGMENTS = st.sampled_from(
    [
        b"x",
        b" = ",
        b"'",
        b'"',
        b"'''",
        b'"""',
        b"#",
        b"\\",
        b"\n",
        b"\r\n",
        b"f(",
        b")",
        b"ab",
        b"12",
        b"\xc3\xa9",
        b"_y",
    ]
)
_TEXTS = st.one_of(st.lists(_FRAGMENTS, max_size=60).map(b"".join), st.binary(max_size=200))


@settings(max_examples=500)
@given(_TEXTS)
def test_strip_equals_the_python_pass(data: bytes) -> None:
    speedups = _module()
    assert speedups.strip(data) == _clusters._strip_python(data)


@settings(max_examples=500)
@given(_TEXTS)
def test_sketch_equals_the_python_pass(data: bytes) -> None:
    speedups = _module()
    assert speedups.sketch(data) == _clusters._sketch_words_python(data)


def test_both_passes_agree_on_every_fixture_file() -> None:
    speedups = _module()
    sources = _sources()
    assert len(sources) > 50
    for name, data in sources:
        stripped = speedups.strip(data)
        assert stripped == _clusters._strip_python(data), name
        assert speedups.sketch(stripped) == _clusters._sketch_words_python(stripped), name


def test_short_texts_have_an_empty_sketch_and_their_word_count() -> None:
    speedups = _module()
    empty = b"\xff" * 8 * 128
    assert speedups.sketch(b"") == (empty, 0)
    assert speedups.sketch(b"a b c") == (empty, 3)
    sketch, words = speedups.sketch(b"a b c d")
    assert words == 4 and sketch != empty


def test_bad_arguments_raise_type_errors() -> None:
    speedups = _module()
    with pytest.raises(TypeError):
        speedups.strip("text")  # noqa: B005 - a str, not bytes: the C function refuses it
    with pytest.raises(TypeError):
        speedups.sketch(None)
    with pytest.raises(TypeError):
        speedups.expression_nodes(ast.parse("f(x)"))
    tree = ast.parse("f(x)").body[0]

    def learn_nothing(node: object) -> object:
        return None

    arguments = (ast.Attribute, frozenset({"cuda"}), None)
    with pytest.raises(TypeError, match="table entry"):
        speedups.expression_nodes(tree, {}, learn_nothing, (ast.Name,), *arguments)


def _facts_both_ways(monkeypatch: pytest.MonkeyPatch, name: str, data: bytes) -> tuple[Any, Any]:
    compiled = extract_facts(name, data)
    with monkeypatch.context() as patch:
        patch.setattr(_exprs, "_expression_nodes", None)
        python = extract_facts(name, data)
    return compiled, python


def test_the_c_traversal_gives_the_same_facts_on_every_fixture_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _module()
    assert _exprs._expression_nodes is not None
    for name, data in _sources():
        compiled, python = _facts_both_ways(monkeypatch, name, data)
        assert compiled == python, name


_EXPRESSION_PARTS = st.sampled_from(
    [
        "time.perf_counter()",
        "end - start",
        "torch.version.cuda",
        "torch.cuda.synchronize()",
        "a.b.c.hip",
        "x if y else z",
        "[i for i in range(3) if i]",
        "{'latency': random.random()}",
        "os.environ['X']",
        "xs[int(len(xs) * 0.9)]",
        "f(*args, **kw)",
        "lambda q: q.cuda()",
        "a and b or c",
        "device == 'cuda'",
        "(yield v)",
        "{**d}",
        "f'{t:.3f}'",
        "np.percentile(s, 99)",
    ]
)


@settings(max_examples=200)
@given(st.lists(st.lists(_EXPRESSION_PARTS, min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_c_traversal_gives_the_same_facts_on_generated_code(
    lines: list[list[str]],
) -> None:
    _module()
    body = "\n".join(f"    r{n} = g({', '.join(parts)})" for n, parts in enumerate(lines))
    data = f"import os, time, random\nimport numpy as np\nimport torch\ndef f():\n{body}\n"
    compiled = extract_facts("gen.py", data.encode())
    saved = _exprs._expression_nodes
    _exprs._expression_nodes = None
    try:
        python = extract_facts("gen.py", data.encode())
    finally:
        _exprs._expression_nodes = saved
    assert compiled == python


def test_pure_python_is_chosen_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHMIG_PURE_PYTHON", "1")
    try:
        assert importlib.reload(_compiled).speedups is None
    finally:
        monkeypatch.delenv("BENCHMIG_PURE_PYTHON")
        importlib.reload(_compiled)


def test_the_c_traversal_leaves_no_references_behind() -> None:
    speedups = _module()
    tree = ast.parse("x = torch.version.cuda + f(a.b, [g(i) for i in y], {1: h()})\n")
    root = tree.body[0].value  # type: ignore[attr-defined]
    arguments = (
        _exprs._TABLE,
        _exprs._learn,
        _exprs._LEAF_TYPES,
        ast.Attribute,
        _exprs._VERSION_ATTRS,
        _exprs._ATTRIBUTE,
    )
    nodes = list(ast.walk(root))
    before = [sys.getrefcount(node) for node in nodes]
    for _ in range(100):
        visits = speedups.expression_nodes(root, *arguments)
    assert [type(node).__name__ for _, node in visits] == [
        "BinOp",
        "Call",
        "Dict",
        "Call",
        "comprehension",
        "Call",
        "Attribute",
    ]
    del visits
    assert [sys.getrefcount(node) for node in nodes] == before
