"""Assignments: what a name or attribute holds after ``x = ...`` (a clock read, a timed delta,
a CUDA event, a parameter default, an alias of an imported name), plus the facts an assignment
itself states (``sys.path[0:0] = ...``, ``latency_ms = random.uniform(...)``).
"""

from __future__ import annotations

import ast

from benchmig.analyzer._exprs import ExpressionWalker
from benchmig.analyzer._idioms import SIMULATION_SWITCH_RE, STRONG_CLOCKS, WEAK_CLOCKS
from benchmig.analyzer._names import dotted
from benchmig.analyzer._refine import path_hack_attrs
from benchmig.analyzer._signals import contains_random, emit_simulation, is_metric_name
from benchmig.analyzer._state import FileState, TimerVar

__all__ = ["AssignmentRules"]

_EVENT_CLASSES = frozenset(
    {"torch.cuda.Event", "torch.Event", "torch.xpu.Event", "torch.mps.Event"}
)
# First names of every clock and event class: a call on anything else that was not imported
# (``self.model(x)``) can be none of them, so its qualified name is not built.
_TIMER_ROOTS = frozenset(n.split(".", 1)[0] for n in STRONG_CLOCKS | WEAK_CLOCKS | _EVENT_CLASSES)
_ENV_ROOTS = frozenset({"os"})
_SWITCH_VALUES = frozenset({ast.Call, ast.Compare, ast.UnaryOp, ast.BoolOp})


class AssignmentRules:
    """Handles ``=``, annotated and augmented assignments for the walker."""

    def __init__(self, state: FileState, exprs: ExpressionWalker) -> None:
        self.state = state
        self.exprs = exprs

    def assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        value = node.value
        exprs = self.exprs
        regions_before = exprs.regions
        if value is not None:
            exprs.walk(value)
        is_delta = exprs.regions > regions_before
        targets = node.targets if node.__class__ is ast.Assign else [node.target]  # type: ignore[union-attr]
        for target in targets:
            if target.__class__ is not ast.Name:  # most targets: a name, with nothing to visit
                exprs.walk(target)
            if value is not None:
                self._bind(target, value, is_delta, node)

    def _bind(self, target: ast.expr, value: ast.expr, is_delta: bool, node: ast.stmt) -> None:
        state = self.state
        target_cls = target.__class__
        if target_cls is ast.Name:
            key: str | None = target.id  # type: ignore[attr-defined]
        elif target_cls is ast.Subscript:
            self._bind_item(target, value, node)  # type: ignore[arg-type]
            return
        else:
            key = dotted(target)
        if key is None:
            return
        if state.may_randomise:
            self._check_random(key, value, node)
        scope = state.scopes[-1]
        called = (
            state.names.qualify(value.func, _TIMER_ROOTS) if value.__class__ is ast.Call else None
        )
        if called is not None or is_delta:
            _record_timer(state, key, value, called[0] if called is not None else None, is_delta)
        elif key in scope.timer_vars:  # no longer a clock read
            del scope.timer_vars[key]
        # The file-wide gate last: most files never read such a switch, so it is not computed.
        if _reads_simulation_env(state, value) and state.may_simulate:
            state.sim_flags.add(key)
        if target_cls is ast.Name:
            scope.values[key] = value
            if value.__class__ is ast.Name or value.__class__ is ast.Attribute:
                qualified = state.names.qualify(value)
                if qualified is not None and qualified[1]:
                    state.names.bind(key, qualified[0])
        elif key.startswith("self.") and scope.kind == "function":
            _record_attribute(state, key, value)

    def _bind_item(self, target: ast.Subscript, value: ast.expr, node: ast.stmt) -> None:
        """``sys.path[0:0] = [...]`` (a path hack) or ``results["latency"] = random...``."""
        state = self.state
        if _is_sys_path(state, target.value):
            state.emit(
                "sys_path_hack",
                node,
                "sys.path[...] = ...",
                path_hack_attrs(state, node, _first_element(value), "assign"),
            )
        elif isinstance(target.slice, ast.Constant):
            self._check_random(str(target.slice.value), value, node)

    def _check_random(self, target: str, value: ast.expr, node: ast.stmt) -> None:
        state = self.state
        if state.may_randomise and is_metric_name(target) and contains_random(state, value):
            emit_simulation(state, node, f"random value for {target!r}", target)

    def aug_assign(self, node: ast.AugAssign) -> None:
        state = self.state
        self.exprs.walk(node.value)
        self.exprs.walk(node.target)
        if _is_sys_path(state, node.target):
            attrs = path_hack_attrs(state, node, _first_element(node.value), "extend")
            state.emit("sys_path_hack", node, "sys.path += ...", attrs)
            return
        key = dotted(node.target)
        if key is not None:
            self._check_random(key, node.value, node)


def _record_timer(
    state: FileState, key: str, value: ast.expr, called: str | None, is_delta: bool
) -> None:
    """Remember (or forget) that ``key`` holds a clock read, a timed delta or a CUDA event."""
    scope = state.scope
    if called is not None and (called in STRONG_CLOCKS or called in WEAK_CLOCKS):
        timer = TimerVar(called, value.lineno, value.col_offset, called in WEAK_CLOCKS)
        scope.timer_vars[key] = timer
        if "." in key:
            state.attr_timers[key] = timer
    elif key in scope.timer_vars:
        del scope.timer_vars[key]
    if is_delta:
        scope.delta_vars.add(key)
    if called is not None and called in _EVENT_CLASSES:
        scope.events.add(key)


def _record_attribute(state: FileState, key: str, value: ast.expr) -> None:
    """``self.sizes = sizes`` in a method: remember the parameter default behind it."""
    scope = state.scope
    if isinstance(value, ast.Name) and value.id in scope.defaults:
        state.attr_values[key] = (scope.values[value.id], value.id)
    elif isinstance(
        value, ast.Name | ast.Attribute | ast.List | ast.Tuple | ast.Dict | ast.Set | ast.BoolOp
    ):
        state.attr_values.setdefault(key, (value, None))


def _is_sys_path(state: FileState, node: ast.expr) -> bool:
    if not (isinstance(node, ast.Attribute) and node.attr == "path"):
        return False
    qualified = state.names.qualify(node)
    return qualified is not None and qualified[0] == "sys.path"


def _first_element(value: ast.expr) -> ast.expr:
    if isinstance(value, ast.List | ast.Tuple) and value.elts:
        return value.elts[0]
    return value


def _reads_simulation_env(state: FileState, value: ast.expr) -> bool:
    """``SIM = os.environ.get("WEBGPU_SIMULATION", "0") == "1"``: a simulation switch."""
    if value.__class__ not in _SWITCH_VALUES:  # most values: names, constants, attributes
        return False
    while isinstance(value, ast.Compare | ast.UnaryOp | ast.BoolOp):
        value = (
            value.left
            if isinstance(value, ast.Compare)
            else value.operand
            if isinstance(value, ast.UnaryOp)
            else value.values[0]
        )
    if not isinstance(value, ast.Call):
        return False
    qualified = state.names.qualify(value.func, _ENV_ROOTS)
    if qualified is None or not qualified[0].startswith(("os.environ.get", "os.getenv")):
        return False
    inner = value
    while isinstance(inner.func, ast.Attribute) and isinstance(inner.func.value, ast.Call):
        inner = inner.func.value  # os.environ.get("X", "0").lower()
    key = inner.args[0] if inner.args else None
    return (
        isinstance(key, ast.Constant)
        and isinstance(key.value, str)
        and SIMULATION_SWITCH_RE.search(key.value) is not None
    )
