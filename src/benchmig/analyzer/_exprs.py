"""The expression half of the walk: an explicit-stack traversal with handlers for the few node
types that carry facts (calls, subtractions, comparisons, subscripts, dict displays).

Expressions can nest far deeper than statements (generated code, long ``a + b + ...`` chains),
so they are walked without recursion. Handlers run before a node's children are visited.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from benchmig.analyzer._calls import handle_call
from benchmig.analyzer._compiled import speedups
from benchmig.analyzer._complexity import expression_decisions
from benchmig.analyzer._idioms import hardware_strings
from benchmig.analyzer._literals import source
from benchmig.analyzer._loops import timed_around
from benchmig.analyzer._signals import (
    contains_random,
    emit_simulation,
    is_metric_name,
    timer_operand,
)
from benchmig.analyzer._state import FileState

__all__ = ["ExpressionWalker"]

_SKIP_FIELDS = frozenset(
    {
        "ctx",
        "op",
        "ops",
        "id",
        "attr",
        "arg",
        "kind",
        "conversion",
        "type_comment",
        "is_async",
        "names",
        "name",
        "module",
        "level",
        "asname",
        "kwd_attrs",
        "rest",
        "lineno",
    }
)
# Per node class: (handler, fields holding one node, fields holding a list), learned from the
# first node seen of a class (fields of a class always hold the same shape). Lists may hold
# None (``{**d}`` keys); popping a None or a str costs one lookup and visits nothing.
Handler = Callable[["ExpressionWalker", Any], None]
Entry = tuple[Handler | None, tuple[str, ...], tuple[str, ...]]
_LEAVES = frozenset({ast.Name, ast.Constant, type(None), str})
_TABLE: dict[type, Entry] = {leaf: (None, (), ()) for leaf in _LEAVES}
_INDEX_WRAPPERS = frozenset({"int", "round", "math.floor", "math.ceil"})
_VERSION_ATTRS = frozenset({"hip", "cuda"})  # torch.version.hip / .cuda


def _learn(node: Any) -> Entry:
    """The table entry of a node's class (stored for ``ast`` classes)."""
    singles: list[str] = []
    lists: list[str] = []
    for name in getattr(node, "_fields", ()):
        if name in _SKIP_FIELDS:
            continue
        value = getattr(node, name, None)
        if isinstance(value, list):
            lists.append(name)
        elif value is None or isinstance(value, ast.AST):
            singles.append(name)
    entry = (_HANDLERS.get(node.__class__), tuple(singles), tuple(lists))
    if isinstance(node, ast.AST):
        _TABLE[node.__class__] = entry
    return entry


class ExpressionWalker:
    """Walks one expression tree iteratively, dispatching to fact handlers."""

    def __init__(self, state: FileState) -> None:
        self.state = state
        self.regions = 0  # timed regions found so far (the walker reads it around assignments)

    def walk(self, root: ast.AST) -> None:
        """Visit ``root`` and everything below it."""
        if root.__class__ in _LEAVES:  # a bare name or constant: nothing to visit
            return
        if _expression_nodes is None:
            self._traverse(root)
            return
        # The same visits in the same order, the traversal in C (about 2x faster): handlers
        # only record facts, so calling them after the traversal changes nothing.
        visits = _expression_nodes(
            root, _TABLE, _learn, _LEAF_TYPES, ast.Attribute, _VERSION_ATTRS, _ATTRIBUTE
        )
        for handler, node in visits:
            handler(self, node)

    def _traverse(self, root: ast.AST) -> None:
        """The traversal in Python, calling each handler as its node is reached."""
        leaves = _LEAVES
        table = _TABLE
        attribute = ast.Attribute
        stack: list[Any] = [root]
        pop = stack.pop
        push = stack.append
        while stack:
            node = pop()
            cls = node.__class__
            if cls is attribute:  # a sixth of all nodes: a chain ``a.b.c`` is walked in place
                node = self._chain(node)
                cls = node.__class__
                if cls in leaves:
                    continue
            entry = table.get(cls)
            if entry is None:
                entry = _learn(node)
            handler, singles, lists = entry
            if handler is not None:
                handler(self, node)
            # Names and constants (a third of all nodes) carry nothing: never stack them.
            for name in singles:
                value = getattr(node, name)
                if value.__class__ not in leaves:
                    push(value)
            for name in lists:
                for value in getattr(node, name):
                    if value.__class__ not in leaves:
                        push(value)

    def _chain(self, node: ast.Attribute) -> ast.expr:
        """Visit the attributes of a chain ``a.b.c``; return what the chain starts from."""
        while True:
            if node.attr in _VERSION_ATTRS:
                self._attribute(node)
            value = node.value
            if value.__class__ is not ast.Attribute:
                return value
            node = value

    # -- handlers ---------------------------------------------------------------------------
    def _call(self, node: ast.Call) -> None:
        handle_call(self.state, node)
        if node.keywords and self.state.may_randomise:
            for keyword in node.keywords:
                if keyword.arg and is_metric_name(keyword.arg):
                    self._check_random(keyword.value, keyword.arg, node)

    def _boolop(self, node: ast.BoolOp) -> None:
        self.state.complexity.add(len(node.values) - 1)

    def _decision(self, node: ast.AST) -> None:
        self.state.complexity.add(expression_decisions(node))

    def _yield(self, node: ast.AST) -> None:
        self.state.scope.yields = True

    def _binop(self, node: ast.BinOp) -> None:
        if node.op.__class__ is not ast.Sub:
            return
        state = self.state
        end = timer_operand(state, node.left)
        if end is None:
            return
        start = timer_operand(state, node.right)
        if start is None:
            return
        self.regions += 1
        for read in (start, end):
            if read.weak and (read.line, read.col) not in state.emitted_weak:
                state.emitted_weak.add((read.line, read.col))
                state.emit(
                    "timer",
                    node,
                    f"{read.clock}()",
                    {"clock": read.clock},
                    line=read.line,
                    col=read.col,
                )
        in_loop = bool(state.scope.loops)
        loops_inside = timed_around(state, start.line, max(end.line, node.lineno))
        state.emit(
            "timed_region",
            node,
            f"{end.clock}() - {start.clock}()" if end.clock != start.clock else start.clock,
            {
                "clock": start.clock,
                "start_line": start.line,
                "end_line": end.line,
                "in_loop": in_loop,
                # One measured run, no repetition: what a migration must turn into a loop.
                "single_shot": not in_loop and loops_inside == 0,
            },
        )
        state.note_timing(timer=False)
        state.note_timed_scope()

    def _compare(self, node: ast.Compare) -> None:
        state = self.state
        left = node.left
        backends = hardware_strings([left, *node.comparators])
        if backends:
            state.emit(
                "hardware_check",
                node,
                f"compares with {', '.join(backends)}",
                {"backends": backends},
            )
        if left.__class__ is ast.Constant and isinstance(left.value, str):
            for comparator in node.comparators:
                if self._is_environ(comparator):
                    state.emit(
                        "env_switch",
                        node,
                        f"{left.value!r} in os.environ",
                        {"variable": left.value, "api": "in os.environ"},
                    )

    def _is_environ(self, node: ast.expr) -> bool:
        if not (isinstance(node, ast.Attribute) and node.attr == "environ"):
            return False
        qualified = self.state.names.qualify(node)
        return qualified is not None and qualified[0] == "os.environ"

    def _subscript(self, node: ast.Subscript) -> None:
        value = node.value
        if (
            value.__class__ is ast.Attribute
            and node.ctx.__class__ is ast.Load
            and self._is_environ(value)
        ):
            key = node.slice
            variable = key.value if isinstance(key, ast.Constant) else source(key)
            self.state.emit(
                "env_switch",
                node,
                f"os.environ[{variable!r}]",
                {"variable": variable, "api": "os.environ[]"},
            )
            return
        index = node.slice
        if index.__class__ is ast.Call and self._is_percentile_index(index):
            self.state.emit(
                "statistics",
                node,
                "percentile by sorted index",
                {"api": "sorted-index percentile", "function": "percentile"},
            )

    def _is_percentile_index(self, index: ast.expr) -> bool:
        """``xs[int(len(xs) * 0.9)]``: a percentile picked by index from sorted samples."""
        if not (isinstance(index, ast.Call) and len(index.args) == 1):
            return False
        qualified = self.state.names.qualify(index.func)
        if qualified is None or qualified[0] not in _INDEX_WRAPPERS:
            return False
        product = index.args[0]
        if not (isinstance(product, ast.BinOp) and isinstance(product.op, ast.Mult)):
            return False
        sides = (product.left, product.right)
        has_fraction = any(
            isinstance(s, ast.Constant) and isinstance(s.value, float) and 0 < s.value < 1
            for s in sides
        )
        has_len = any(
            isinstance(s, ast.Call) and isinstance(s.func, ast.Name) and s.func.id == "len"
            for s in sides
        )
        return has_fraction and has_len

    def _attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr != "hip" and attr != "cuda":
            return
        value = node.value
        if not (value.__class__ is ast.Attribute and value.attr == "version"):
            return
        qualified = self.state.names.qualify(node)
        if qualified is not None and qualified[0] in ("torch.version.hip", "torch.version.cuda"):
            backend = "rocm" if attr == "hip" else "cuda"
            self.state.emit(
                "hardware_check", node, qualified[0], {"backends": [backend], "api": qualified[0]}
            )

    def _dict(self, node: ast.Dict) -> None:
        if not self.state.may_randomise:
            return
        for key, value in zip(node.keys, node.values, strict=False):
            if (
                isinstance(key, ast.Constant)
                and isinstance(key.value, str)
                and is_metric_name(key.value)
            ):
                self._check_random(value, key.value, value)

    def _check_random(self, value: ast.expr, target: str, where: ast.AST) -> None:
        if contains_random(self.state, value):
            emit_simulation(self.state, where, f"random value for {target!r}", target)


_ATTRIBUTE: Handler = ExpressionWalker._attribute  # what a chain's version link is given to
_LEAF_TYPES = tuple(_LEAVES)
_expression_nodes = speedups.expression_nodes if speedups is not None else None

_HANDLERS: dict[type, Handler] = {
    ast.Call: ExpressionWalker._call,
    ast.BinOp: ExpressionWalker._binop,
    ast.Compare: ExpressionWalker._compare,
    ast.BoolOp: ExpressionWalker._boolop,
    ast.IfExp: ExpressionWalker._decision,
    ast.comprehension: ExpressionWalker._decision,
    ast.Subscript: ExpressionWalker._subscript,
    ast.Dict: ExpressionWalker._dict,
    ast.Yield: ExpressionWalker._yield,
    ast.YieldFrom: ExpressionWalker._yield,
}
