"""Static name resolution: scopes bind, shadow and restore names."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.analyzer._names import NameTable


def _expr(text: str) -> ast.expr:
    node = ast.parse(text, mode="eval").body
    assert isinstance(node, ast.expr)
    return node


def _import(text: str) -> ast.Import:
    node = ast.parse(text).body[0]
    assert isinstance(node, ast.Import)
    return node


def test_an_inner_binding_shadows_and_leaving_the_scope_restores_the_outer_one() -> None:
    names = NameTable()
    names.bind_import(_import("import time as t"))
    names.push()
    names.bind_import(_import("import numpy as t"))
    assert names.qualify(_expr("t.mean")) == ("numpy.mean", True)
    names.push()  # a nested function that binds nothing sees the enclosing binding
    assert names.lookup("t") == "numpy"
    names.pop()
    assert names.lookup("t") == "numpy"
    names.pop()
    assert names.qualify(_expr("t.perf_counter")) == ("time.perf_counter", True)
    names.pop()  # the module scope is never left
    assert names.lookup("t") == "time"


def test_unbound_chains_outside_the_roots_are_not_built() -> None:
    names = NameTable()
    roots = frozenset({"time"})
    assert names.qualify(_expr("self.model.eval"), roots) is None
    assert names.qualify(_expr("time.sleep"), roots) == ("time.sleep", False)
    assert names.qualify(_expr("np.mean"), roots) == ("numpy.mean", False)  # conventional alias
    assert names.qualify(_expr("run"), roots) == ("run", False)  # bare names: always spelled


_IDENT = st.sampled_from(["a", "b", "t", "np", "x"])
_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("bind"), _IDENT, st.sampled_from(["os", "time", "numpy", "torch"])),
        st.tuples(st.just("push"), st.just(""), st.just("")),
        st.tuples(st.just("pop"), st.just(""), st.just("")),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(_OPS)
def test_lookup_matches_a_search_of_the_scopes_innermost_first(
    ops: list[tuple[str, str, str]],
) -> None:
    names = NameTable()
    scopes: list[dict[str, str]] = [{}]
    for op, local, qualified in ops:
        if op == "bind":
            names.bind(local, qualified)
            scopes[-1][local] = qualified
        elif op == "push":
            names.push()
            scopes.append({})
        else:
            names.pop()
            if len(scopes) > 1:
                scopes.pop()
        for name in ("a", "b", "t", "np", "x"):
            expected = next((s[name] for s in reversed(scopes) if name in s), None)
            assert names.lookup(name) == expected
