"""Static evaluation of the small expressions benchmark scripts configure themselves with.

Never runs the code: literals, module constants, argparse defaults (``args.batch_sizes``),
``"1,2,4".split(",")``, ``[int(b) for b in ...]``, ``range(...)``, ``kwargs.get(...)`` and a few
pure builtins are folded; anything else is :data:`UNKNOWN`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

__all__ = ["UNKNOWN", "Evaluator", "Namespace", "ObjectValue", "Opaque", "ParamRef", "is_known"]

_MAX_ITEMS = 10_000


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()
"""The value of an expression that cannot be known without running the code."""


@dataclass(frozen=True)
class Opaque:
    """A value that exists but is not data (a function in an operations table)."""

    code: str


@dataclass(frozen=True)
class ParamRef:
    """A loop variable bound to a benchmark parameter (its value varies per case)."""

    key: str


@dataclass(frozen=True)
class Namespace:
    """An argparse namespace at its defaults (``args``)."""

    defaults: Mapping[str, Any]


@dataclass
class ObjectValue:
    """A legacy object: the attributes its ``__init__`` sets, where they can be known."""

    cls: str
    attrs: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # attribute -> option dest it copies


def is_known(value: Any) -> bool:
    """True when ``value`` (recursively) holds no unknown part."""
    if value is UNKNOWN or isinstance(value, ParamRef):
        return False
    if isinstance(value, list | tuple | set):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


_BINARY: dict[type[cst.BaseBinaryOp], Callable[[Any, Any], Any]] = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv,
    cst.Modulo: operator.mod,
    cst.Power: operator.pow,
}
_COMPARE: dict[type[cst.BaseCompOp], Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
    cst.Is: operator.is_,
    cst.IsNot: operator.is_not,
}


def _zip(*columns: Any) -> list[list[Any]]:
    return [list(row) for row in zip(*columns, strict=False)]


def _enumerate(items: Any) -> list[list[Any]]:
    return [[n, item] for n, item in enumerate(items)]


_CONVERTERS: dict[str, Callable[..., Any]] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "list": list,
    "tuple": tuple,
    "sorted": sorted,
    "len": len,
    "min": min,
    "max": max,
    "sum": sum,
    "abs": abs,
    "set": set,
    "zip": _zip,
    "enumerate": _enumerate,
}
_STR_METHODS = frozenset(
    {"split", "strip", "lower", "upper", "join", "replace", "rstrip", "lstrip"}
)


def _sized(value: Any) -> bool:
    return not isinstance(value, list | tuple | str | dict | set) or len(value) <= _MAX_ITEMS


class Evaluator:
    """Folds expressions against an environment of known names (``env``)."""

    def __init__(self, env: Mapping[str, Any]) -> None:
        self.env = env

    def value(self, node: cst.BaseExpression) -> Any:
        """The value of ``node``, or :data:`UNKNOWN`."""
        try:
            result = self._eval(node)
        except (ArithmeticError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return UNKNOWN
        except RecursionError:
            return UNKNOWN
        return result if _sized(result) else UNKNOWN

    def _eval(self, node: cst.BaseExpression) -> Any:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            return UNKNOWN
        return handler(self, node)

    # -- leaves ----------------------------------------------------------------------------
    def _name(self, node: cst.Name) -> Any:
        constants = {"True": True, "False": False, "None": None}
        if node.value in constants:
            return constants[node.value]
        return self.env.get(node.value, UNKNOWN)

    def _string(self, node: cst.SimpleString | cst.ConcatenatedString) -> Any:
        value = node.evaluated_value
        return value if isinstance(value, str) else UNKNOWN

    def _number(self, node: cst.Integer | cst.Float) -> Any:
        return node.evaluated_value

    # -- containers ------------------------------------------------------------------------
    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> Any:
        items: list[Any] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                inner = self._eval(element.value)
                if not isinstance(inner, list | tuple):
                    return UNKNOWN
                items.extend(inner)
            else:
                items.append(self._eval(element.value))
        if isinstance(node, cst.Tuple):
            return tuple(items)
        return items

    def _dict(self, node: cst.Dict) -> Any:
        result: dict[Any, Any] = {}
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return UNKNOWN
            key = self._eval(element.key)
            if not is_known(key) or isinstance(key, list | dict):
                return UNKNOWN
            value = self._eval(element.value)
            if value is UNKNOWN:
                value = Opaque(cst.Module([]).code_for_node(element.value))
            result[key] = value
        return result

    def _comprehension(self, node: cst.ListComp | cst.GeneratorExp) -> Any:
        loop = node.for_in
        if loop.inner_for_in is not None or not isinstance(loop.target, cst.Name):
            return UNKNOWN
        source = self._eval(loop.iter)
        if not isinstance(source, list | tuple | str | dict):
            return UNKNOWN
        items: list[Any] = []
        for item in source:
            inner = Evaluator({**self.env, loop.target.value: item})
            if all(inner._eval(cond.test) is True for cond in loop.ifs):
                items.append(inner._eval(node.elt))
        return items

    # -- operators -------------------------------------------------------------------------
    def _binary(self, node: cst.BinaryOperation) -> Any:
        func = _BINARY.get(type(node.operator))
        left, right = self._eval(node.left), self._eval(node.right)
        if func is None or not is_known(left) or not is_known(right):
            return UNKNOWN
        if isinstance(node.operator, cst.Power) and isinstance(right, int) and right > 64:
            return UNKNOWN
        return func(left, right)

    def _unary(self, node: cst.UnaryOperation) -> Any:
        value = self._eval(node.expression)
        if not is_known(value):
            return UNKNOWN
        if isinstance(node.operator, cst.Not):
            return not value
        if isinstance(node.operator, cst.Minus):
            return -value
        if isinstance(node.operator, cst.Plus):
            return +value
        return UNKNOWN

    def _boolean(self, node: cst.BooleanOperation) -> Any:
        left = self._eval(node.left)
        if not is_known(left):
            return UNKNOWN
        if isinstance(node.operator, cst.And):
            return self._eval(node.right) if left else left
        return left if left else self._eval(node.right)

    def _compare(self, node: cst.Comparison) -> Any:
        left = self._eval(node.left)
        for target in node.comparisons:
            right = self._eval(target.comparator)
            func = _COMPARE.get(type(target.operator))
            if func is None or not is_known(left) or not is_known(right):
                return UNKNOWN
            if not func(left, right):
                return False
            left = right
        return True

    def _ifexp(self, node: cst.IfExp) -> Any:
        test = self._eval(node.test)
        if not is_known(test):
            return UNKNOWN
        return self._eval(node.body if test else node.orelse)

    # -- access ----------------------------------------------------------------------------
    def _attribute(self, node: cst.Attribute) -> Any:
        owner = self._eval(node.value)
        if isinstance(owner, Namespace):
            return owner.defaults.get(node.attr.value, UNKNOWN)
        if isinstance(owner, ObjectValue):
            return owner.attrs.get(node.attr.value, UNKNOWN)
        return UNKNOWN

    def _subscript(self, node: cst.Subscript) -> Any:
        owner = self._eval(node.value)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return UNKNOWN
        key = self._eval(node.slice[0].slice.value)
        if not is_known(owner) or not is_known(key):
            return UNKNOWN
        return owner[key]

    def _call(self, node: cst.Call) -> Any:
        if any(arg.star for arg in node.args):
            return UNKNOWN
        positional = [self._eval(a.value) for a in node.args if a.keyword is None]
        keywords = {a.keyword.value: self._eval(a.value) for a in node.args if a.keyword}
        func = node.func
        if isinstance(func, cst.Name):
            return self._builtin(func.value, positional, keywords)
        if isinstance(func, cst.Attribute):
            return self._method(func, positional, keywords)
        return UNKNOWN

    def _builtin(self, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if keywords or not all(is_known(v) for v in positional):
            return UNKNOWN
        if name == "range" and 1 <= len(positional) <= 3:
            values = range(*positional)
            return list(values) if len(values) <= _MAX_ITEMS else UNKNOWN
        if name in _CONVERTERS and positional:
            converted = _CONVERTERS[name](*positional)
            return list(converted) if isinstance(converted, set) else converted
        return UNKNOWN

    def _method(self, func: cst.Attribute, positional: list[Any], keywords: dict[str, Any]) -> Any:
        owner = self._eval(func.value)
        method = func.attr.value
        if keywords or not all(is_known(v) for v in positional):
            return UNKNOWN
        if isinstance(owner, dict) and method in {"get", "keys", "values", "items"}:
            if method == "get":
                return owner.get(*positional)
            return list(getattr(owner, method)())
        if isinstance(owner, str) and method in _STR_METHODS:
            if method == "join":
                parts = positional[0] if positional else UNKNOWN
                if isinstance(parts, dict):
                    parts = list(parts)
                if not isinstance(parts, list | tuple) or not all(
                    isinstance(p, str) for p in parts
                ):
                    return UNKNOWN
                return owner.join(parts)
            return getattr(owner, method)(*positional)
        return UNKNOWN


_HANDLERS: dict[type[cst.CSTNode], Callable[[Evaluator, Any], Any]] = {
    cst.Name: Evaluator._name,
    cst.SimpleString: Evaluator._string,
    cst.ConcatenatedString: Evaluator._string,
    cst.Integer: Evaluator._number,
    cst.Float: Evaluator._number,
    cst.List: Evaluator._sequence,
    cst.Tuple: Evaluator._sequence,
    cst.Set: Evaluator._sequence,
    cst.Dict: Evaluator._dict,
    cst.ListComp: Evaluator._comprehension,
    cst.GeneratorExp: Evaluator._comprehension,
    cst.BinaryOperation: Evaluator._binary,
    cst.UnaryOperation: Evaluator._unary,
    cst.BooleanOperation: Evaluator._boolean,
    cst.Comparison: Evaluator._compare,
    cst.IfExp: Evaluator._ifexp,
    cst.Attribute: Evaluator._attribute,
    cst.Subscript: Evaluator._subscript,
    cst.Call: Evaluator._call,
}
