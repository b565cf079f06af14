"""Shared readings of expressions: clock reads, random numbers, metric names, simulation."""

from __future__ import annotations

import ast

from benchmig.analyzer._idioms import METRIC_NAME_RE, RANDOM_PREFIXES, STRONG_CLOCKS, WEAK_CLOCKS
from benchmig.analyzer._state import FileState, TimerVar

__all__ = ["contains_random", "emit_simulation", "is_metric_name", "timer_operand"]


def timer_operand(state: FileState, node: ast.expr) -> TimerVar | None:
    """The clock read an operand of a subtraction stands for: a clock call or a timer variable."""
    cls = node.__class__
    if cls is ast.Call:
        qualified = state.names.qualify(node.func)  # type: ignore[attr-defined]
        if qualified is None:
            return None
        name = qualified[0]
        if name in STRONG_CLOCKS:
            return TimerVar(name, node.lineno, node.col_offset, False)
        if name in WEAK_CLOCKS:
            return TimerVar(name, node.lineno, node.col_offset, True)
        return None
    if cls is ast.Name or cls is ast.Attribute:
        return state.lookup_timer(node)
    return None


def contains_random(state: FileState, node: ast.AST) -> bool:
    """Whether an expression draws a random number (``random.uniform``, ``np.random.rand``)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            qualified = state.names.qualify(child.func)
            if qualified is not None and qualified[0].startswith(RANDOM_PREFIXES):
                return True
    return False


_METRIC_NAMES: dict[str, bool] = {}  # names repeat across a tree: one regex search per name
_METRIC_NAMES_MAX = 200_000


def is_metric_name(text: str) -> bool:
    """Whether a variable, attribute or key names a performance metric (latency, memory...)."""
    if len(text) > 64:
        return METRIC_NAME_RE.search(text) is not None
    found = _METRIC_NAMES.get(text)
    if found is None:
        if len(_METRIC_NAMES) >= _METRIC_NAMES_MAX:
            _METRIC_NAMES.clear()
        found = _METRIC_NAMES[text] = METRIC_NAME_RE.search(text) is not None
    return found


def emit_simulation(state: FileState, node: ast.AST, detail: str, target: str | None) -> None:
    """Record fabricated numbers (random metrics, sleeps in a simulation branch)."""
    state.emit("simulation", node, detail, {"target": target, "switch": state.simulation_switch()})
