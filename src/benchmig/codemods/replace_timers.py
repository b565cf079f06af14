"""``replace-timers``: hand-made ``time.time()`` timers -> ``time.perf_counter()``.

``time.time()`` is wall-clock time: it jumps with NTP and has coarse resolution on some systems,
so deltas of it are poor measurements. ``time.perf_counter()`` is monotonic and high-resolution,
but its absolute value means nothing; so a clock read is only replaced when every use of its
value is one side of a subtraction whose other side is a clock read converted with it
(``end - start``, ``time.time() - self.start`` in a ``Timer.__exit__``). A read also used as a
timestamp (``{"timestamp": start}``) keeps ``time.time()``. ``time.clock()`` (removed in Python
3.8) becomes ``perf_counter`` too.

Clock calls are matched by what the module's imports bind (``import time as t``, ``from time
import time as now`` are the same clock), a qualified-name match on the import table; the full
scope analysis of LibCST's ``QualifiedNameProvider`` would cost several times the parse of every
file, and no metadata at all is computed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.codemod import CodemodContext

from benchmig.codemods._outcome import UnitOutcome
from benchmig.codemods._support import FastCommand, call_name, file_facts, record_unit

__all__ = ["ReplaceTimersCommand"]

_WALL_CLOCKS = frozenset({"time.time", "time.clock"})
_CLOCK_NAMES = frozenset({"time", "clock"})
_Key = tuple[int, str]  # (id of the scope node, "start" or "self.start")


@dataclass
class _Use:
    node: cst.CSTNode  # the clock call or the load of a clock variable
    binop: cst.BinaryOperation | None  # the subtraction it is an operand of, if any


@dataclass
class _Facts:
    clock_calls: list[cst.Call] = field(default_factory=list)
    call_use: dict[int, _Use | _Key] = field(default_factory=dict)  # id(call) -> use or key
    assigned: dict[_Key, list[cst.BaseExpression]] = field(
        default_factory=lambda: defaultdict(list)
    )
    loads: dict[_Key, list[_Use]] = field(default_factory=lambda: defaultdict(list))
    scope_of_call: dict[int, str] = field(default_factory=dict)


class _Imports(cst.CSTVisitor):
    """What the module's imports bind: names of the ``time`` module and of its clocks."""

    def __init__(self) -> None:
        self.modules: set[str] = set()
        self.functions: set[str] = set()

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if call_name(alias.name) == "time":
                bound = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(bound, cst.Name):
                    self.modules.add(bound.value)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or call_name(node.module) != "time":
            return
        if isinstance(node.names, cst.ImportStar):
            self.functions |= _CLOCK_NAMES
            return
        for alias in node.names:
            name = call_name(alias.name)
            if name in _CLOCK_NAMES:
                bound = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(bound, cst.Name):
                    self.functions.add(bound.value)


def _import_statements(body: Sequence[cst.BaseStatement]) -> list[cst.CSTNode]:
    """Import statements at module level, also inside top-level ``try``/``if`` blocks."""
    found: list[cst.CSTNode] = []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            found.extend(s for s in statement.body if isinstance(s, cst.Import | cst.ImportFrom))
        elif isinstance(statement, cst.Try | cst.If):
            inner = statement.body
            if isinstance(inner, cst.IndentedBlock):
                found.extend(_import_statements(inner.body))
            handlers = statement.handlers if isinstance(statement, cst.Try) else ()
            for handler in handlers:
                if isinstance(handler.body, cst.IndentedBlock):
                    found.extend(_import_statements(handler.body.body))
    return found


class _ClockCollector(cst.CSTVisitor):
    """Where each wall-clock read goes, and every read of the variables holding one."""

    def __init__(self, imports: _Imports, module: cst.Module) -> None:
        self.imports = imports
        self.facts = _Facts()
        self.functions: list[tuple[cst.CSTNode, str]] = []
        self.classes: list[tuple[cst.CSTNode, str]] = []
        self.module_scope: cst.CSTNode = module
        self.operand_of: dict[int, cst.BinaryOperation] = {}  # id(node) -> its subtraction
        self.not_loads: set[int] = set()  # stores, attribute names, `is None` guards
        self.stack: list[int] = []  # ids of the nodes being visited, outermost first
        self.paths: dict[int, list[int]] = {}  # id(clock call) -> ids of its ancestors

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(id(node))
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        self.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append((node, node.name.value))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append((node, node.name.value))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def _key(self, expr: cst.BaseExpression) -> _Key | None:
        if isinstance(expr, cst.Name):
            scope = self.functions[-1][0] if self.functions else self.module_scope
            return (id(scope), expr.value)
        if (
            isinstance(expr, cst.Attribute)
            and isinstance(expr.value, cst.Name)
            and expr.value.value == "self"
            and self.classes
        ):
            return (id(self.classes[-1][0]), f"self.{expr.attr.value}")
        return None

    def _scope_name(self) -> str:
        names = [n for _, n in self.classes[-1:]] + [n for _, n in self.functions[-1:]]
        return ".".join(names) or "<module>"

    def is_clock(self, node: cst.BaseExpression) -> bool:
        if not isinstance(node, cst.Call) or node.args:
            return False
        func = node.func
        if isinstance(func, cst.Name):
            return func.value in self.imports.functions
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in _CLOCK_NAMES
            and isinstance(func.value, cst.Name)
            and func.value.value in self.imports.modules
        )

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Subtract):
            self.operand_of[id(node.left)] = node
            self.operand_of[id(node.right)] = node

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if all(
            isinstance(c.operator, cst.Is | cst.IsNot) and _is_none(c.comparator)
            for c in node.comparisons
        ):
            self.not_loads.add(id(node.left))  # `if self.start is None`: a guard, not a use

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.not_loads.add(id(target.target))
        if _is_none(node.value):
            return  # `self.start = None` before the timer starts
        clock = self.is_clock(node.value)
        for target in node.targets:
            key = self._key(target.target)
            if key is None:
                continue
            if clock and len(node.targets) == 1:
                self.facts.assigned[key].append(node.value)
                self.facts.call_use[id(node.value)] = key
            elif not clock:
                self.facts.assigned[key].append(node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.not_loads.add(id(node.target))
        key = self._key(node.target)
        if key is not None:
            self.facts.assigned[key].append(node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.not_loads.add(id(node.target))
        key = self._key(node.target)
        if key is not None and node.value is not None:
            self.facts.assigned[key].append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.is_clock(node):
            return
        self.facts.clock_calls.append(node)
        self.paths[id(node)] = list(self.stack)
        self.facts.scope_of_call[id(node)] = self._scope_name()
        if id(node) not in self.facts.call_use:
            self.facts.call_use[id(node)] = _Use(node, self.operand_of.get(id(node)))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_loads.add(id(node.attr))
        self._load(node)

    def visit_Name(self, node: cst.Name) -> None:
        self._load(node)

    def _load(self, node: cst.Name | cst.Attribute) -> None:
        if id(node) in self.not_loads:
            return
        key = self._key(node)
        if key is not None:
            self.facts.loads[key].append(_Use(node, self.operand_of.get(id(node))))


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _operand_ok(facts: _Facts, operand: cst.BaseExpression, good_keys: set[_Key]) -> bool:
    if isinstance(operand, cst.Call) and id(operand) in facts.call_use:
        return True
    return any(use.node is operand for key in good_keys for use in facts.loads.get(key, ()))


def _binop_ok(facts: _Facts, binop: cst.BinaryOperation, good_keys: set[_Key]) -> bool:
    return _operand_ok(facts, binop.left, good_keys) and _operand_ok(facts, binop.right, good_keys)


def _convertible(facts: _Facts) -> set[int]:
    """Ids of the clock calls whose every use is a clock-minus-clock subtraction."""
    good_keys = {
        key
        for key, values in facts.assigned.items()
        if values and all(id(v) in facts.call_use for v in values) and facts.loads.get(key)
    }
    while True:
        bad = {
            key
            for key in good_keys
            for use in facts.loads[key]
            if use.binop is None or not _binop_ok(facts, use.binop, good_keys)
        }
        if not bad:
            break
        good_keys -= bad
    result = set()
    for call in facts.clock_calls:
        found = facts.call_use[id(call)]
        if isinstance(found, _Use):
            if found.binop is not None and _binop_ok(facts, found.binop, good_keys):
                result.add(id(call))
        elif found in good_keys:
            result.add(id(call))
    return result


class ReplaceTimersCommand(FastCommand):
    """Turn ``time.time()`` deltas (and ``time.clock()``) into ``time.perf_counter()`` deltas."""

    NAME = "replace-timers"
    DESCRIPTION = "Replace time.time() deltas in hand-made timers with time.perf_counter()."

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.convert: set[int] = set()
        self.scopes: dict[str, int] = {}
        self.ancestors: set[int] = set()  # the transform only walks down to the calls it swaps

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Skip files whose facts show no wall-clock read."""
        facts = file_facts(self.context, tree)
        clocks = any(i.attrs.get("clock") in _WALL_CLOCKS for i in facts.idioms)
        if not clocks and b"clock(" not in tree.bytes:
            return tree
        return super().transform_module(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Collect clock reads first, then replace the ones that only feed deltas."""
        imports = _Imports()
        for statement in _import_statements(tree.body):
            statement.visit(imports)
        if not imports.modules and not imports.functions:
            return tree
        collector = _ClockCollector(imports, tree)
        tree.visit(collector)
        self.convert = _convertible(collector.facts)
        for call in collector.facts.clock_calls:
            if id(call) in self.convert:
                scope = collector.facts.scope_of_call[id(call)]
                self.scopes[scope] = self.scopes.get(scope, 0) + 1
        if not self.convert:
            return tree
        for converted in self.convert:
            self.ancestors.update(collector.paths[converted])
        updated = super().transform_module_impl(tree)
        self._report(tree)
        return updated

    def _report(self, tree: cst.Module) -> None:
        facts = file_facts(self.context, tree)
        lines = [i.line for i in facts.idioms if i.attrs.get("clock") in _WALL_CLOCKS]
        scopes = ", ".join(f"{s} ({n})" for s, n in sorted(self.scopes.items()))
        record_unit(
            self.context,
            UnitOutcome(
                unit="<timers>",
                kind="timer",
                line=min(lines, default=0),
                tier="native",
                codemod=self.NAME,
                warnings=(
                    f"{len(self.convert)} wall-clock read(s) now use time.perf_counter() "
                    f"(monotonic, high resolution), in {scopes}",
                ),
            ),
        )

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Skip every subtree that holds no clock read to swap (most of the file)."""
        if id(node) not in self.ancestors and id(node) not in self.convert:
            return False
        return super().on_visit(node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        """Swap the clock of a convertible read, keeping how ``time`` was imported."""
        if id(original_node) not in self.convert:
            return updated_node
        func = updated_node.func
        if isinstance(func, cst.Attribute):
            return updated_node.with_changes(func=func.with_changes(attr=cst.Name("perf_counter")))
        self.add_needed_import("time", "perf_counter")
        if isinstance(func, cst.Name):
            alias = func.value if func.value not in _CLOCK_NAMES else None
            self.remove_unused_import("time", "clock" if func.value == "clock" else "time", alias)
        return updated_node.with_changes(func=cst.Name("perf_counter"))
