"""Static values of the collections a parameter sweep iterates, and the parameter's name.

``for bs in BATCH_SIZES`` iterates a module constant, ``for r in self.resolutions`` a
constructor default, ``for b in [int(x) for x in args.batch_sizes.split(",")]`` an argparse
default (settled at the end of the file, once every ``add_argument`` has been seen).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Any

from benchmig.analyzer._literals import MISSING, literal, words
from benchmig.analyzer._names import dotted
from benchmig.analyzer._options import split_list
from benchmig.analyzer._progress import progress_kind
from benchmig.analyzer._state import FileState, Scope

__all__ = [
    "Resolved",
    "argparse_values",
    "as_list",
    "parameter_name",
    "resolve_values",
    "without_progress_bar",
]

_WRAPPERS = words("enumerate sorted list tuple reversed set iter")
_VIEWS = words("items keys values split")
_OPTION_OWNERS = words("args opts options flags FLAGS config cfg arguments")
_MAX_DEPTH = 8
_GENERIC = words("name n x i j k v item value level key opt option cfg conf c p entry each")
_SHORT = {
    "bs": "batch_size",
    "hw": "hardware",
    "dev": "device",
    "res": "resolution",
    "seq": "seq_len",
    "sl": "seq_len",
    "prec": "precision",
}
_COLLECTION_SUFFIXES = ("_levels", "_list", "_values", "_options", "_choices", "_set")


@dataclass(frozen=True)
class Resolved:
    """What is statically known about an iterable."""

    values: Any = None  # list (or dict, before projection) of JSON-ready values
    origin: str | None = None  # literal, module_constant, default, constructor_default, local,
    # argparse
    dest: str | None = None  # the argparse/absl option when origin is "argparse"
    constant: str | None = None  # the module constant iterated, if any
    constructor_default: str | None = None  # the __init__ parameter the values default from


def resolve_values(state: FileState, node: ast.expr, depth: int = 0) -> Resolved:
    """Statically known values of an iterable expression."""
    if depth > _MAX_DEPTH:
        return Resolved()
    if isinstance(node, ast.Call):
        return _call(state, node, depth)
    if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp) and node.generators:
        return resolve_values(state, node.generators[0].iter, depth + 1)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        value = literal(node)
        return Resolved() if value is MISSING else Resolved(value, "literal")
    if isinstance(node, ast.Dict):
        keys = [literal(k) for k in node.keys if k is not None]
        if len(keys) != len(node.keys) or any(k is MISSING for k in keys):
            return Resolved()
        values = [None if v is MISSING else v for v in map(literal, node.values)]
        hashable = [str(k) if isinstance(k, list | dict) else k for k in keys]  # (1, 2) keys
        return Resolved(dict(zip(hashable, values, strict=False)), "literal")
    if isinstance(node, ast.Name):
        return _named(state, node.id, depth)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # sizes or DEFAULT_SIZES
        for operand in node.values:
            found = resolve_values(state, operand, depth + 1)
            if found.values is not None:
                return found
        return Resolved()
    if isinstance(node, ast.Attribute):
        return _attribute(state, node, depth)
    return Resolved()


def without_progress_bar(state: FileState, node: ast.expr) -> ast.expr:
    """What a loop iterates under a progress bar (see ``_progress``): ``tqdm(xs, ...)`` ->
    ``xs``, ``trange(1, n, desc=...)`` -> ``range(1, n)``; anything else as it is."""
    for _ in range(3):  # tqdm(tqdm(xs)) at most, in practice
        if node.__class__ is not ast.Call:
            return node
        call: ast.Call = node
        positional = call.args
        if not positional or any(arg.__class__ is ast.Starred for arg in positional):
            return node
        qualified = state.names.qualify(call.func)
        kind = progress_kind((qualified[0],)) if qualified is not None else None
        if kind == "items":
            node = positional[0]
        elif kind == "range":
            plain = ast.Call(
                func=ast.Name(id="range", ctx=ast.Load()), args=positional, keywords=[]
            )
            return ast.copy_location(plain, call)
        else:
            return node
    return node


def _call(state: FileState, node: ast.Call, depth: int) -> Resolved:
    func = node.func
    unwrapped = without_progress_bar(state, node)
    if unwrapped is not node:
        return resolve_values(state, unwrapped, depth + 1)
    if isinstance(func, ast.Name) and func.id in _WRAPPERS and node.args:
        return resolve_values(state, node.args[0], depth + 1)
    if isinstance(func, ast.Attribute) and func.attr in _VIEWS:
        inner = resolve_values(state, func.value, depth + 1)
        return replace(inner, values=_project(inner.values, func.attr))
    return Resolved()


def _named(state: FileState, name: str, depth: int) -> Resolved:
    for scope in state.visible_scopes():
        bound = scope.values.get(name)
        if bound is None:
            continue
        inner = resolve_values(state, bound, depth + 1)
        if inner.origin == "literal":
            origin = _origin(scope, name)
            if origin == "local" and not inner.values:
                return Resolved()  # results = [] filled later: its literal says nothing
            constant = name if scope.kind == "module" else None
            return replace(inner, origin=origin, constant=constant)
        return inner
    return Resolved()


def _attribute(state: FileState, node: ast.Attribute, depth: int) -> Resolved:
    key = dotted(node)
    if key is not None and key in state.attr_values:
        bound, parameter = state.attr_values[key]
        inner = resolve_values(state, bound, depth + 1)
        if parameter is not None and inner.origin is not None:
            return replace(inner, origin="constructor_default", constructor_default=parameter)
        return inner
    if isinstance(node.value, ast.Name | ast.Attribute):
        owner = dotted(node.value) or ""
        if owner.rsplit(".", 1)[-1] in _OPTION_OWNERS:
            return Resolved(None, "argparse", node.attr)
    return Resolved()


def _origin(scope: Scope, name: str) -> str:
    if scope.kind == "module":
        return "module_constant"
    return "default" if name in scope.defaults else "local"


def _project(value: Any, view: str) -> Any:
    if isinstance(value, dict):
        return list(value.values()) if view == "values" else list(value.keys())
    if view == "split" and isinstance(value, str):
        return split_list(value) or [value]
    return value


def as_list(value: Any) -> list[Any] | None:
    """Values as a JSON list (a dict iterates its keys), or None when unknown."""
    if isinstance(value, dict):
        return list(value.keys())
    if isinstance(value, list):
        return value
    return None


def argparse_values(state: FileState, dest: str) -> Resolved:
    """An option's default as values: ``"1,2,4"`` split, ``",".join(KERNELS)`` resolved."""
    default = state.argparse_defaults[dest]
    node = state.argparse_default_nodes.get(dest)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
    ):
        joined = resolve_values(state, node.args[0])
        if joined.values is not None:
            return replace(joined, values=as_list(joined.values), origin="argparse", dest=dest)
    if isinstance(default, str):
        return Resolved(split_list(default) or [default], "argparse", dest)
    return Resolved(default if isinstance(default, list) else None, "argparse", dest)


def parameter_name(variable: ast.expr, iterable: ast.expr) -> str:
    """A readable parameter name: the loop variable, or the iterable's name made singular
    when the variable says nothing (``for name in args.kernels`` -> ``kernel``)."""
    loop_var = variable.id if isinstance(variable, ast.Name) else ""
    if isinstance(variable, ast.Tuple) and variable.elts:  # for i, bs in enumerate(...)
        last = variable.elts[-1]
        loop_var = last.id if isinstance(last, ast.Name) else ""
    if loop_var in _SHORT:
        return _SHORT[loop_var]
    base = _collection_name(iterable).lower()
    for suffix in _COLLECTION_SUFFIXES:
        base = base.removesuffix(suffix)
    if base.endswith("s") and not base.endswith("ss"):
        base = base[:-1]
    if loop_var and loop_var.lower() not in _GENERIC:
        # for hidden in HIDDEN_SIZES: the collection's name says more than the variable's
        longer = base.startswith(loop_var.lower() + "_")
        return base if longer else loop_var
    return base or loop_var or "value"


def _collection_name(node: ast.expr) -> str:
    for _ in range(_MAX_DEPTH):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in _VIEWS:
                node = func.value
            elif node.args:
                node = node.args[0]
            else:
                return ""
        elif isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            node = node.generators[0].iter
        elif isinstance(node, ast.Attribute):
            return node.attr
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return ""
    return ""
