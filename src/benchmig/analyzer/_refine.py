"""Extra attributes per idiom kind, read from the call's arguments (``sys.path`` targets,
launched scripts, CUDA events, environment variables, hardware backends)."""

from __future__ import annotations

import ast
import re
import shlex
from collections.abc import Callable
from typing import Any

from benchmig.analyzer._literals import source
from benchmig.analyzer._loops import timed_around
from benchmig.analyzer._names import dotted
from benchmig.analyzer._paths import evaluate_path
from benchmig.analyzer._state import FileState

__all__ = ["REFINERS", "Refiner", "path_hack_attrs"]

_TORCH_ROOT = frozenset({"torch"})
_PYTHON_RE = re.compile(r"(^|/)python[\d.]*(\.exe)?$")

Refiner = Callable[[FileState, ast.Call, dict[str, Any]], "dict[str, Any] | None"]


def _timer(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    state.note_timing()
    spelled = dotted(node.func)
    if spelled is not None and spelled != attrs["clock"]:
        attrs["alias_of"] = attrs["clock"]  # t.time(), pc(), timer(): an alias of the clock
    return attrs


def _sys_path(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    api = attrs.get("api", "")
    operation = api.rsplit(".", 1)[-1]
    argument = node.args[-1] if node.args else None
    if operation == "extend" and isinstance(argument, ast.List | ast.Tuple) and argument.elts:
        argument = argument.elts[0]
    return path_hack_attrs(state, node, argument, operation)


def path_hack_attrs(
    state: FileState, node: ast.AST, argument: ast.expr | None, operation: str
) -> dict[str, Any]:
    """Attributes of a ``sys.path`` change: the folder added and whether it uses ``__file__``."""
    if state.first_path_hack_line is None:
        state.first_path_hack_line = getattr(node, "lineno", 0)
    value = (
        evaluate_path(argument, state.names.qualify, state.lookup_value)
        if argument is not None
        else None
    )
    uses_file = value.relative_to_file if value is not None else _mentions_file(argument)
    return {
        "operation": operation,
        "argument": source(argument),
        "relative_to_file": uses_file,
        "target": value.path if value is not None else None,
        "target_kind": value.kind if value is not None else "unknown",
    }


def _mentions_file(node: ast.expr | None) -> bool:
    return node is not None and any(
        isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(node)
    )


def _subprocess(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    command = node.args[0] if node.args else None
    for keyword in node.keywords:
        if keyword.arg == "args":
            command = keyword.value
    if isinstance(command, ast.Name):
        command = state.lookup_value(command.id) or command
    tokens = _command_tokens(state, command) if command is not None else []
    if len(node.args) > 1 and attrs.get("api", "").startswith(("os.exec", "os.spawn")):
        tokens = _command_tokens(state, ast.List(elts=list(node.args[1:]), ctx=ast.Load()))
    target = next((t for t in tokens if t.endswith(".py")), None)
    attrs["target"] = target
    attrs["launches_python"] = target is not None or any(
        t == "<sys.executable>" or _PYTHON_RE.search(t) for t in tokens
    )
    # [sys.executable, __file__, ...]: the script runs itself again (a fresh process per
    # case, a --both mode), it launches no other script
    attrs["launches_self"] = target is None and _SELF in tokens
    attrs["command"] = source(command) if command is not None else None
    return attrs


_SELF = "<self>"


def _is_own_path(state: FileState, node: ast.expr) -> bool:
    """``__file__``, ``os.path.abspath(__file__)``, ``str(Path(__file__))``, ``sys.argv[0]``:
    the running script's own path (no literal names another file)."""
    if isinstance(node, ast.Subscript):
        qualified = state.names.qualify(node.value)
        index = node.slice
        return (
            qualified is not None
            and qualified[0] == "sys.argv"
            and isinstance(index, ast.Constant)
            and index.value == 0
        )
    literals = [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    return _mentions_file(node) and not any(text.endswith(".py") for text in literals)


def _command_tokens(state: FileState, node: ast.expr) -> list[str]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # [exe, script] + args
        return _command_tokens(state, node.left) + (
            _command_tokens(state, node.right) or ["<expr>"]
        )
    if isinstance(node, ast.List | ast.Tuple):
        tokens = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                tokens.append(element.value)
            elif _is_own_path(state, element):
                tokens.append(_SELF)
            else:
                qualified = state.names.qualify(element)
                is_exe = qualified is not None and qualified[0] == "sys.executable"
                tokens.append("<sys.executable>" if is_exe else "<expr>")
        return tokens
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else " <expr> "
            for v in node.values
        )
    else:
        return []
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _cuda_event(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any] | None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "elapsed_time":
        attrs["api"] = "elapsed_time"
        attrs["start"] = dotted(func.value)
        attrs["end"] = dotted(node.args[0]) if node.args else None
        records: dict[str, int] = {}
        for scope in state.visible_scopes():
            records = {**scope.event_records, **records}
        start_line = records.get(attrs["start"] or "", node.lineno)
        end_line = records.get(attrs["end"] or "", node.lineno)
        in_loop = bool(state.scope.loops)
        loops_inside = timed_around(state, start_line, end_line)
        state.emit(
            "timed_region",
            node,
            "Event.elapsed_time()",
            {
                "clock": "torch.cuda.Event",
                "start_line": start_line,
                "end_line": end_line,
                "in_loop": in_loop,
                "single_shot": not in_loop and loops_inside == 0,
            },
        )
        state.note_timing(timer=False)
        state.note_timed_scope()
        return attrs
    timing = [keyword for keyword in node.keywords if keyword.arg == "enable_timing"]
    if not timing and not _is_torch_event_class(state, func):
        # ``threading.Event()``, ``anyio.Event()``, ``ctx.Event()``: matched by the method
        # name only, and with nothing that says it times a device, it is not a CUDA event.
        return None
    for keyword in timing:
        value = keyword.value
        attrs["enable_timing"] = isinstance(value, ast.Constant) and value.value is True
    return attrs


def _is_torch_event_class(state: FileState, func: ast.expr) -> bool:
    qualified = state.names.qualify(func, _TORCH_ROOT)
    return qualified is not None and qualified[0].startswith("torch.")


def _env(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    key = node.args[0] if node.args else None
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        attrs["variable"] = key.value
    else:
        attrs["variable"] = source(key) if key is not None else None
    if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
        attrs["default"] = node.args[1].value if _plain(node.args[1].value) else None
    return attrs


def _plain(value: object) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def _hardware(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    api = str(attrs.get("api", ""))
    lowered = api.lower()
    backends = [b for b in ("cuda", "mps", "xpu", "openvino", "tpu") if b in lowered]
    if "onnxruntime" in lowered:
        backends.append("onnxruntime")
    if "torch_xla" in lowered or "jax" in lowered:
        backends.append("tpu")
    attrs["backends"] = sorted(set(backends))
    return attrs


def _api(state: FileState, node: ast.Call, attrs: dict[str, Any]) -> dict[str, Any]:
    if "api" not in attrs:
        func = node.func
        attrs["api"] = (
            dotted(func) or source(func) if isinstance(func, ast.Attribute) else source(func)
        )
    return attrs


REFINERS: dict[str, Refiner] = {
    "timer": _timer,
    "sys_path_hack": _sys_path,
    "subprocess_launch": _subprocess,
    "cuda_event": _cuda_event,
    "env_switch": _env,
    "hardware_check": _hardware,
    "device_sync": _api,
    "memory_measurement": _api,
    "model_loading": _api,
    "result_writer": _api,
    "statistics": _api,
    "timeit": _api,
    "torch_benchmark": _api,
}
