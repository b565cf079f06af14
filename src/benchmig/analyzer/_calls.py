"""What one call means: the idiom rules of :mod:`._idioms` by qualified name, then the calls
that need their arguments read (:mod:`._arguments`) and the per-kind attributes (:mod:`._refine`).
"""

from __future__ import annotations

import ast
import builtins
import re
from typing import Any

from benchmig.analyzer._arguments import METHOD_HANDLERS, absl
from benchmig.analyzer._idioms import RULE_ROOTS, SLEEP_CALLS, classify_call, open_result_format
from benchmig.analyzer._names import CONVENTIONAL_ALIASES
from benchmig.analyzer._refine import REFINERS
from benchmig.analyzer._signals import emit_simulation
from benchmig.analyzer._state import FileState

__all__ = ["handle_call"]

_BENCH_LIKE_RE = re.compile(r"bench|measure|profil|latenc|throughput|infer|timing|timeit", re.I)
_BUILTINS = frozenset(dir(builtins))
_OPEN_CALLS = frozenset({"open", "io.open", "builtins.open", "codecs.open"})
_TIMING_KINDS = frozenset({"timeit", "torch_benchmark"})
_SPECIAL_NAMES = SLEEP_CALLS | _OPEN_CALLS  # calls _special_call handles by name
# Receivers qualify() resolves even when nothing imported them.
_QUALIFIED_ROOTS = RULE_ROOTS | frozenset(CONVENTIONAL_ALIASES)


def handle_call(state: FileState, node: ast.Call) -> None:
    """Record the idioms one call expresses."""
    func = node.func
    cls = func.__class__
    method: str | None = None
    if cls is ast.Name:  # most calls: resolve the name here, without qualify()
        ident: str = func.id  # type: ignore[attr-defined]
        name: str | None = state.names.lookup(ident)
        if name is None:
            name = ident
        if ident not in _BUILTINS:
            loops = state.scopes[-1].loops
            state.note_call(ident, bool(loops) and _BENCH_LIKE_RE.search(ident) is not None)
        special = name in _SPECIAL_NAMES
    else:
        receiver: Any = func.value if cls is ast.Attribute else None  # type: ignore[attr-defined]
        if (
            receiver.__class__ is ast.Name
            and receiver.id not in _QUALIFIED_ROOTS
            and state.names.lookup(receiver.id) is None
        ):
            name = None  # ``obj.method()`` on a name nothing imported: qualify() gives None
        else:
            qualified = state.names.qualify(func, RULE_ROOTS)
            name = qualified[0] if qualified is not None else None
        if cls is ast.Attribute:
            method = func.attr  # type: ignore[attr-defined]
            _note_method_call(state, func, method)
            special = (
                method in METHOD_HANDLERS or method.startswith("DEFINE_") or name in _SPECIAL_NAMES
            )
        else:
            special = name in _SPECIAL_NAMES
    if special and _special_call(state, node, name, method):
        return
    rule = classify_call(name, method)
    if rule is None:
        if state.may_pool:
            _executor_use(state, node, name)
        return
    kind, base = rule
    attrs: dict[str, Any] | None = dict(base)
    refine = REFINERS.get(kind)
    if refine is not None:
        attrs = refine(state, node, attrs or {})
        if attrs is None:
            return
    state.emit(kind, node, f"{name}()" if name is not None else f".{method}()", attrs)
    if kind in _TIMING_KINDS:
        state.note_timing(timer=False)
        state.note_timed_scope()


def _special_call(state: FileState, node: ast.Call, name: str | None, method: str | None) -> bool:
    """Calls whose meaning depends on their arguments; True when fully handled."""
    if method is not None:
        special = METHOD_HANDLERS.get(method)
        if special is not None and special(state, node):
            return True
        if method.startswith("DEFINE_") and name is not None:
            absl(state, node, name)
            return True
    if name is None:
        return False
    if name in SLEEP_CALLS:
        if state.switches and state.simulation_switch() is not None:
            emit_simulation(state, node, f"{name}() in a simulation branch", None)
        return True
    if name in _OPEN_CALLS:
        fmt = open_result_format(node, state.scope.qualname.rsplit(".", 1)[-1])
        if fmt is not None:
            state.emit(
                "result_writer",
                node,
                f"open(..., 'w') of a {fmt} file",
                {"format": fmt, "api": "open"},
            )
        return True
    return False


def _executor_use(state: FileState, node: ast.Call, name: str | None) -> None:
    """A pool built from a variable (``executor_cls(max_workers=n)``), or a pool class passed
    to a helper (``run_pool(ThreadPoolExecutor, ...)``)."""
    names = state.names
    keywords = node.keywords
    arguments = [*node.args, *(k.value for k in keywords)] if keywords else node.args
    for argument in arguments:
        cls = argument.__class__
        if cls is ast.Name and names.lookup(argument.id) is None:  # type: ignore[attr-defined]
            continue  # a name nothing bound: no qualified rule can match it
        if cls is ast.Name or cls is ast.Attribute:
            qualified = names.qualify(argument, RULE_ROOTS)
            rule = classify_call(qualified[0], None) if qualified is not None else None
            if rule is not None and rule[0] == "concurrency":
                executor = qualified[0].rsplit(".", 1)[-1] if qualified else ""
                state.emit(
                    "concurrency",
                    node,
                    f"{executor} passed to {name}()",
                    {"api": rule[1].get("api"), "executor": executor},
                )
                return
    last = (name or "").rsplit(".", 1)[-1].lower()
    if "executor" in last or (keywords and any(k.arg == "max_workers" for k in keywords)):
        state.emit(
            "concurrency",
            node,
            f"{name}(...) builds a worker pool",
            {"api": name, "executor": None},
        )


def _note_method_call(state: FileState, func: ast.expr, method: str) -> None:
    """``self.method()`` in a class (a local call), or a benchmark-like method in a loop."""
    scope = state.scopes[-1]
    bench_like = bool(scope.loops) and _BENCH_LIKE_RE.search(method) is not None
    receiver = func.value  # type: ignore[attr-defined]
    class_name = scope.class_name
    if class_name and receiver.__class__ is ast.Name and receiver.id in ("self", "cls"):
        state.note_call(f"{class_name}.{method}", bench_like)
    elif bench_like:
        state.note_call(None, True)
