"""Command-line options of legacy scripts: ``add_argument`` calls and absl ``DEFINE_*`` flags.

An option is either a benchmark *parameter* (``--batch-sizes``, ``--model``, ``--warmup``) or
*storage* plumbing that a migrated benchmark drops (``--db-path``, ``--output-dir``,
``--format``, ``--verbose``). The role decides what the codemods turn into a parameter grid.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from benchmig.analyzer._literals import MISSING, literal, source, words

__all__ = ["absl_flag", "argparse_option", "option_role", "split_list"]

_STORAGE_TOKENS = words(
    "db database duckdb sqlite output out outdir outfile report reports format fmt verbose "
    "verbosity quiet silent debug log logs logging loglevel save plot plots chart charts "
    "visualize visualise visualization visualisation dashboard json csv html markdown md "
    "upload publish store storage results export dry deprecate history"
)
_LIST_ITEM_RE = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+|[A-Za-z_][\w.\-/]*)\s*$")
_ABSL_LIST_TYPES = frozenset(
    {"list", "spaceseplist", "multi_string", "multi_integer", "multi_float", "multi_enum"}
)


def option_role(dest: str) -> str:
    """``"storage"`` for output/database/format/verbosity plumbing, else ``"param"``."""
    tokens = re.split(r"[_\-]+", dest.lower().strip("-"))
    return "storage" if any(t in _STORAGE_TOKENS for t in tokens) else "param"


def split_list(text: str) -> list[Any] | None:
    """``"1,2,4,8"`` -> ``[1, 2, 4, 8]``; ``"cpu,cuda"`` -> ``["cpu", "cuda"]``; else None."""
    if "," not in text:
        return None
    items = [part for part in text.split(",") if part.strip()]
    if len(items) < 2 or not all(_LIST_ITEM_RE.match(item) for item in items):
        return None
    return [_number(item.strip()) for item in items]


def _number(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _value(node: ast.expr | None) -> Any:
    """A literal's value, else its source text; None when absent."""
    if node is None:
        return None
    value = literal(node)
    return source(node) if value is MISSING else value


def argparse_option(call: ast.Call) -> dict[str, Any] | None:
    """Attributes of a ``parser.add_argument(...)`` call, or None if it declares nothing."""
    names = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    if not names:
        return None
    flags = [n for n in names if n.startswith("-")]
    long_flags = [n for n in flags if n.startswith("--")]
    option = (long_flags or flags or names)[0]
    dest_node = _keyword(call, "dest")
    if isinstance(dest_node, ast.Constant) and isinstance(dest_node.value, str):
        dest = dest_node.value
    else:
        dest = option.lstrip("-").replace("-", "_")
    default_node = _keyword(call, "default")
    default = _value(default_node)
    type_node = _keyword(call, "type")
    nargs = _value(_keyword(call, "nargs"))
    action = _value(_keyword(call, "action"))
    attrs: dict[str, Any] = {
        "option": option,
        "flags": flags,
        "dest": dest,
        "default": default,
        "default_is_expression": default_node is not None and literal(default_node) is MISSING,
        "type": source(type_node) if type_node is not None else None,
        "nargs": nargs,
        "action": action,
        "choices": _value(_keyword(call, "choices")),
        "help": _value(_keyword(call, "help")),
        "required": _value(_keyword(call, "required")) is True,
        "positional": not flags,
    }
    list_values = split_list(default) if isinstance(default, str) else None
    splitting_type = type_node is not None and ".split(" in attrs["type"]
    attrs["is_list"] = bool(
        list_values is not None
        or nargs in ("+", "*")
        or (isinstance(nargs, int) and nargs > 1)
        or action in ("append", "extend")
        or splitting_type
        or isinstance(default, list)
    )
    if list_values is not None:
        attrs["list_values"] = list_values
    attrs["role"] = option_role(dest)
    return attrs


def absl_flag(call: ast.Call, function_name: str) -> dict[str, Any] | None:
    """Attributes of an absl ``flags.DEFINE_<type>(name, default, help)`` call."""
    flag_type = function_name.rsplit(".", 1)[-1].removeprefix("DEFINE_")
    args = list(call.args)
    name_node = args[0] if args else _keyword(call, "name")
    if not (isinstance(name_node, ast.Constant) and isinstance(name_node.value, str)):
        return None
    default_node = args[1] if len(args) > 1 else _keyword(call, "default")
    help_node = args[2] if len(args) > 2 else _keyword(call, "help")
    default = _value(default_node)
    list_values = split_list(default) if isinstance(default, str) else None
    attrs: dict[str, Any] = {
        "flag": name_node.value,
        "option": f"--{name_node.value}",
        "flag_type": flag_type,
        "default": default,
        "help": _value(help_node),
        "is_list": flag_type in _ABSL_LIST_TYPES or list_values is not None,
        "role": option_role(name_node.value),
    }
    if list_values is not None:
        attrs["list_values"] = list_values
    return attrs
