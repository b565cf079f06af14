"""Small helpers that turn AST fragments into JSON-ready values and short source strings."""

from __future__ import annotations

import ast
import math
from typing import Any

__all__ = ["MISSING", "jsonable", "literal", "source", "words"]

_MAX_SOURCE = 200
_MAX_ITEMS = 64
_LITERAL_NODES = (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp)


class _Missing:
    """Marks 'no static value' (``None`` is a legitimate literal)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


def source(node: ast.AST | None) -> str:
    """``ast.unparse`` of a node, shortened to a readable length; never raises."""
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError, AttributeError, TypeError):
        return "<unprintable>"
    if len(text) > _MAX_SOURCE:
        text = text[: _MAX_SOURCE - 3] + "..."
    return text


def literal(node: ast.AST | None) -> Any:
    """The JSON-ready value of a literal expression, or :data:`MISSING` if it is not one."""
    if node is None or not isinstance(node, _LITERAL_NODES):
        return MISSING
    if isinstance(node, ast.Constant):
        return jsonable(node.value)
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return MISSING
    return jsonable(value)


def jsonable(value: Any) -> Any:
    """Convert a literal value into JSON-ready data (tuples/sets to lists, odd floats to str)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value[:_MAX_ITEMS]]
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=repr)[:_MAX_ITEMS]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in list(value.items())[:_MAX_ITEMS]}
    return repr(value)


def words(text: str) -> frozenset[str]:
    """A vocabulary written as one space-separated string."""
    return frozenset(text.split())
