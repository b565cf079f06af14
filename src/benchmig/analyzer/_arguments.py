"""Calls whose meaning depends on their arguments: ``add_argument``, absl ``DEFINE_*``,
``samples.append(delta)``, SQL ``execute``, ``f.write(json.dumps(...))``, ``startswith("cuda")``,
CUDA event ``record()`` and ``find_spec("openvino")``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from benchmig.analyzer._idioms import HARDWARE_MODULES, HARDWARE_STRINGS
from benchmig.analyzer._names import dotted
from benchmig.analyzer._options import absl_flag, argparse_option
from benchmig.analyzer._signals import timer_operand
from benchmig.analyzer._state import FileState

__all__ = ["METHOD_HANDLERS", "absl"]

_SQL_WRITE_RE = re.compile(r"^\s*(insert|create\s+table|replace|update|copy)\b", re.IGNORECASE)
_SUFFIXES = {".md": "markdown", ".html": "html", ".json": "json", ".csv": "csv"}


def _add_argument(state: FileState, node: ast.Call) -> bool:
    attrs = argparse_option(node)
    if attrs is None:
        return True
    state.argparse_defaults[attrs["dest"]] = attrs["default"]
    for keyword in node.keywords:
        if keyword.arg == "default":
            state.argparse_default_nodes[attrs["dest"]] = keyword.value
    state.emit("argparse_option", node, attrs["option"], attrs)
    return True


def absl(state: FileState, node: ast.Call, name: str) -> None:
    head = name.rsplit(".", 1)[0]
    if not (head.endswith("flags") or head.startswith("absl")):
        return
    attrs = absl_flag(node, name)
    if attrs is not None:
        state.argparse_defaults[attrs["flag"]] = attrs["default"]
        state.emit("absl_flag", node, attrs["option"], attrs)


def _append(state: FileState, node: ast.Call) -> bool:
    loops = state.scope.loops
    if not loops or not node.args:
        return False
    value = node.args[0]
    if state.is_delta_var(value) or _is_delta_expression(state, value):
        receiver = dotted(node.func.value) if isinstance(node.func, ast.Attribute) else None
        if receiver is not None and receiver not in loops[-1].samples:
            loops[-1].samples.append(receiver)
    return False


def _is_delta_expression(state: FileState, node: ast.expr) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.BinOp) and isinstance(child.op, ast.Sub):
            end = timer_operand(state, child.left)
            if end is not None and timer_operand(state, child.right) is not None:
                return True
    return False


def _execute(state: FileState, node: ast.Call) -> bool:
    statement = node.args[0] if node.args else None
    if isinstance(statement, ast.JoinedStr) and statement.values:
        statement = statement.values[0]  # f"INSERT INTO {table} ..."
    text = ""
    if isinstance(statement, ast.Constant) and isinstance(statement.value, str):
        text = statement.value
    if text and _SQL_WRITE_RE.match(text):
        state.emit("result_writer", node, "SQL write", {"format": "sql", "api": "execute"})
        return True
    return False


def _write(state: FileState, node: ast.Call) -> bool:
    payload = node.args[0] if node.args else None
    if isinstance(payload, ast.Call):
        qualified = state.names.qualify(payload.func)
        if qualified is not None and qualified[0] in ("json.dumps", "yaml.dump", "yaml.safe_dump"):
            fmt = qualified[0].split(".", 1)[0]
            state.emit(
                "result_writer",
                node,
                f"write({qualified[0]}(...))",
                {"format": fmt, "api": "write"},
            )
            return True
    return False


def _write_text(state: FileState, node: ast.Call) -> bool:
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    if receiver is None:
        return False
    for child in ast.walk(receiver):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            for suffix, fmt in _SUFFIXES.items():
                if child.value.lower().endswith(suffix):
                    state.emit(
                        "result_writer",
                        node,
                        f"write_text of a {fmt} file",
                        {"format": fmt, "api": "write_text"},
                    )
                    return True
    return False


def _startswith(state: FileState, node: ast.Call) -> bool:
    backends = [
        a.value.lower()
        for a in node.args
        if isinstance(a, ast.Constant)
        and isinstance(a.value, str)
        and a.value.lower() in HARDWARE_STRINGS
    ]
    if backends:
        state.emit(
            "hardware_check", node, f"startswith {', '.join(backends)}", {"backends": backends}
        )
    return bool(backends)


def _record(state: FileState, node: ast.Call) -> bool:
    """``start.record()`` of a CUDA event: where an event-timed region starts or ends."""
    receiver = dotted(node.func.value) if isinstance(node.func, ast.Attribute) else None
    if receiver is not None and any(receiver in s.events for s in state.visible_scopes()):
        state.scope.event_records[receiver] = node.lineno
    return False


def _find_spec(state: FileState, node: ast.Call) -> bool:
    """``importlib.util.find_spec("openvino")``: probing for a hardware runtime."""
    module = node.args[0] if node.args else None
    if not (isinstance(module, ast.Constant) and isinstance(module.value, str)):
        return False
    backend = HARDWARE_MODULES.get(module.value.split(".", 1)[0])
    if backend is None:
        return False
    state.emit(
        "hardware_check",
        node,
        f"find_spec({module.value!r})",
        {"backends": [backend], "api": "find_spec"},
    )
    return True


METHOD_HANDLERS: dict[str, Callable[[FileState, ast.Call], bool]] = {
    "record": _record,
    "find_spec": _find_spec,
    "find_loader": _find_spec,
    "add_argument": _add_argument,
    "append": _append,
    "extend": _append,
    "execute": _execute,
    "executemany": _execute,
    "write": _write,
    "write_text": _write_text,
    "startswith": _startswith,
}
