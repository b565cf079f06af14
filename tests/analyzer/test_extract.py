"""extract_facts as a whole: identity fields, imports, definitions, extras, robustness."""

from __future__ import annotations

import pickle
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmig.analyzer._extract import extract_facts
from benchmig.analyzer._facts import FileFacts, ImportRecord


def facts(source: str, path: str = "pkg/mod.py") -> FileFacts:
    result = extract_facts(path, textwrap.dedent(source).lstrip("\n").encode())
    assert result.status == "ok", result.error
    return result


def test_imports_absolute_relative_guarded_and_conditional() -> None:
    result = facts(
        """
        import os, numpy as np
        from . import sibling
        from ..common.utils import load, save as store
        try:
            import torch
        except ImportError:
            torch = None
        if os.name == "nt":
            import winreg

        def f():
            from json import dumps
        """
    )
    assert result.imports == (
        ImportRecord("os", (), 1),
        ImportRecord("numpy", (), 1),
        ImportRecord(".", ("sibling",), 2, level=1),
        ImportRecord("..common.utils", ("load", "save"), 3, level=2),
        ImportRecord("torch", (), 5, guarded=True),
        ImportRecord("winreg", (), 9, conditional=True),
        ImportRecord("json", ("dumps",), 12, conditional=True),
    )


def test_definitions_methods_and_extras() -> None:
    result = facts(
        """
        import time

        class Runner:
            def run(self):
                start = time.time()
                self.step()
                return time.time() - start

            def step(self):
                helper()

        def helper():
            pass

        try:
            def optional():
                pass
        except Exception:
            pass

        def main():
            Runner().run()

        if __name__ == "__main__":
            main()
        """
    )
    assert result.definitions == ("Runner", "helper", "optional", "main")
    assert result.classes == ("Runner",)
    assert result.functions == ("helper", "optional", "main")
    assert result.extra["methods"] == {"Runner": ["run", "step"]}
    assert result.extra["timed_functions"] == ["Runner.run"]
    assert result.extra["calls_local"] == ["Runner", "Runner.step", "helper", "main"]
    assert result.extra["local_call_graph"]["main"] == ["Runner"]
    assert result.has_main_guard


def test_facts_pickle_round_trip_and_json_forms() -> None:
    result = facts("import time\nx = time.time()\n")
    again = pickle.loads(pickle.dumps(result))
    assert again == result
    assert [i.to_dict()["kind"] for i in again.idioms] == ["timer"]


_TEMPLATES = (
    "def {name}(a, b={value}):\n    if a:\n        return b\n    return {value}\n",
    "class {Name}:\n    def run(self):\n        return {value}\n",
    "{name} = [{value}, {value}]\nfor _ in range({value}):\n    pass\n",
    "import time\n{name} = time.time()\nelapsed = time.time() - {name}\n",
    "try:\n    import {name}\nexcept ImportError:\n    {name} = None\n",
)


@st.composite
def python_sources(draw: st.DrawFn) -> tuple[str, int]:
    parts = draw(st.lists(st.sampled_from(_TEMPLATES), min_size=1, max_size=6))
    names = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
        lambda n: n not in {"if", "in", "is", "as", "or", "and", "for", "def", "del", "not", "try"}
    )
    chunks = []
    for template in parts:
        name = draw(names)
        value = draw(st.integers(min_value=0, max_value=10_000))
        chunks.append(template.format(name=name, Name=name.capitalize(), value=value))
    text = "\n".join(chunks)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return text.replace("\n", newline), text.count("\n")


@settings(max_examples=60, deadline=None)
@given(source=python_sources(), folder=st.sampled_from(["", "a/", "a/b/"]))
def test_valid_python_round_trips_identity_fields(source: tuple[str, int], folder: str) -> None:
    text, line_count = source
    data = text.encode()
    result = extract_facts(f"{folder}mod.py", data)
    assert result.status == "ok", result.error
    assert result.module == f"{folder.replace('/', '.')}mod"
    assert result.lines == line_count
    assert result.crlf == (b"\r\n" in data)
    assert result.size_bytes == len(data)
    assert all(1 <= i.line <= line_count for i in result.idioms)


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = extract_facts("x.py", data)
    assert result.status in ("ok", "parse_error", "skipped")
    assert (result.error is None) == (result.status == "ok")


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("abc_ ()[]{}:=+-*/.,'\"#\n\t\\0123456789<>!@`ifdefor")),
        max_size=300,
    )
)
def test_arbitrary_text_never_raises(text: str) -> None:
    result = extract_facts("x.py", text.encode())
    assert result.status in ("ok", "parse_error", "skipped")
    if result.status == "parse_error":
        assert result.error is not None and result.error.reason in {
            "syntax_error",
            "python2",
            "merge_conflict",
            "not_python",
            "not_utf8",
        }


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300), crlf=st.booleans())
def test_arbitrary_unicode_text_never_raises(text: str, crlf: bool) -> None:
    data = text.replace("\n", "\r\n").encode() if crlf else text.encode()
    result = extract_facts("pkg/x.py", data)
    assert result.module == "pkg.x"
    assert result.size_bytes == len(data)
    assert result.status in ("ok", "parse_error", "skipped")


def test_all_syntax_forms_walk_cleanly() -> None:
    result = facts(
        """
        import time as t
        from time import perf_counter as pc
        from . import *
        def outer(a, /, b=1, *args, c=[1, 2], **kw):
            global counter
            def inner():
                nonlocal a
                a = lambda q=t.time(): q
            async def co():
                async with lock:
                    pass
                async for i in aiter():
                    await thing()
                return [x async for x in agen()]
            match kw:
                case {"x": 1, **rest} if rest:
                    pass
                case Point(x=0) | None:
                    pass
                case _:
                    pass
            try:
                pass
            except* ValueError:
                pass
            if (n := len(args)) > 2:
                print(f"{n!r:>{10}} {pc() - t0:.3f}")
            x: int = 5
            del x
        """
    )
    assert [(i.kind, i.line, i.scope) for i in result.idioms] == [
        ("timer", 8, "outer.inner"),
        ("timer", 27, "outer"),
    ]
    assert result.extra["function_complexity"] == {"outer": 1 + 1 + 1 + 3 + 1 + 1}
