"""What the main rewrite knows about one file: scopes, call sites, options, constants, hardware.

Built once per file from the LibCST tree (with qualified-name and position metadata); the unit
planners only read it. A *scope* is a top-level function, a method (``Class.method``), the
``if __name__ == "__main__":`` block (``<main>``) or the module's own statements (``<module>``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from benchmig.codemods._params import ArgOption, collect_options, module_constants
from benchmig.codemods._unit_facts import FileFacts
from benchmig.codemods._unit_syntax import (
    block_module,
    bound_names,
    find_all,
    inner_blocks,
    is_docstring,
)
from benchmig.codemods._unit_vocab import QualNames, is_sync_call

__all__ = [
    "CallSite",
    "FileContext",
    "PathStep",
    "Scope",
    "header_nodes",
    "is_main_guard",
    "is_parse_args_call",
]

MAIN = "<main>"
MODULE = "<module>"


@dataclass(frozen=True)
class PathStep:
    """One level of a path: ``block[index]`` is on the path; ``branch`` is entered next."""

    block: Sequence[cst.BaseStatement]
    index: int
    branch: str = ""

    @property
    def statement(self) -> cst.BaseStatement:
        """The statement on the path at this level."""
        return self.block[self.index]


@dataclass
class Scope:
    """A function, method, main block or module: somewhere code runs from."""

    name: str
    body: Sequence[cst.BaseStatement]
    node: cst.CSTNode
    line: int
    cls: str | None = None
    params: cst.Parameters | None = None
    is_async: bool = False


@dataclass(frozen=True)
class CallSite:
    """A call of a local function or method, and where it sits in its caller."""

    caller: str
    callee: str
    call: cst.Call
    path: tuple[PathStep, ...]
    receiver: cst.BaseExpression | None = None


def is_main_guard(statement: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":`` (either operand order)."""
    if not isinstance(statement, cst.If) or not isinstance(statement.test, cst.Comparison):
        return False
    test = statement.test
    if len(test.comparisons) != 1 or not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s.value for s in sides if isinstance(s, cst.Name)]
    strings = [s.evaluated_value for s in sides if isinstance(s, cst.SimpleString)]
    return names == ["__name__"] and strings == ["__main__"]


def header_nodes(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The parts of a statement that run at its own level (not its indented bodies)."""
    if isinstance(statement, cst.SimpleStatementLine):
        return [statement]
    if isinstance(statement, cst.For):
        return [statement.target, statement.iter]
    if isinstance(statement, cst.While | cst.If):
        return [statement.test]
    if isinstance(statement, cst.With):
        return list(statement.items)
    return []


def _walk_calls(
    block: Sequence[cst.BaseStatement], prefix: tuple[PathStep, ...], skip_guard: bool
) -> list[tuple[cst.Call, tuple[PathStep, ...]]]:
    found: list[tuple[cst.Call, tuple[PathStep, ...]]] = []
    for index, statement in enumerate(block):
        if isinstance(statement, cst.FunctionDef | cst.ClassDef):
            continue
        if skip_guard and is_main_guard(statement):
            continue
        for header in header_nodes(statement):
            for call in find_all(header, lambda n: isinstance(n, cst.Call)):
                assert isinstance(call, cst.Call)
                found.append((call, (*prefix, PathStep(block, index))))
        for branch, inner in inner_blocks(statement):
            found.extend(_walk_calls(inner, (*prefix, PathStep(block, index, branch)), False))
    return found


def is_parse_args_call(node: cst.CSTNode) -> bool:
    """``<parser>.parse_args(...)`` or ``<parser>.parse_known_args(...)``."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value in {"parse_args", "parse_known_args"}
    )


def _has_parse_args(node: cst.CSTNode) -> bool:
    return bool(find_all(node, is_parse_args_call))


@dataclass
class FileContext(FileFacts):
    """Indexes over one parsed file (see the module docstring)."""

    module: cst.Module
    resolve: QualNames
    line_of: Callable[[cst.CSTNode], int]
    path: str
    module_name: str
    scopes: dict[str, Scope] = field(default_factory=dict)
    classes: dict[str, cst.ClassDef] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    constants: dict[str, Any] = field(default_factory=dict)
    options: dict[str, ArgOption] = field(default_factory=dict)
    module_names: set[str] = field(default_factory=set)
    local_syncs: set[str] = field(default_factory=set)
    parse_helpers: set[str] = field(default_factory=set)
    main_guard: cst.If | None = None
    unit_calls: set[int] = field(default_factory=set)  # ids of calls of measured units
    memo: dict[str, Any] = field(default_factory=dict)
    imported_hardware: list[str] = field(default_factory=list)  # from tree helpers

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per file (facts several planners ask for)."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @classmethod
    def build(
        cls,
        module: cst.Module,
        resolve: QualNames,
        line_of: Callable[[cst.CSTNode], int],
        path: str,
        module_name: str,
    ) -> FileContext:
        """Index ``module`` (parsed with metadata; ``resolve``/``line_of`` read it)."""
        ctx = cls(module, resolve, line_of, path, module_name)
        ctx.constants = module_constants(module)
        ctx.options = collect_options(module, ctx.constants, line_of)
        ctx.module_names = set(bound_names(module.body))
        ctx._index_scopes()
        ctx._index_calls()
        return ctx

    # -- scopes --------------------------------------------------------------------------------
    def _add_function(self, node: cst.FunctionDef, owner: str | None) -> None:
        name = f"{owner}.{node.name.value}" if owner else node.name.value
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        self.scopes[name] = Scope(
            name,
            body,
            node,
            self.line_of(node),
            cls=owner,
            params=node.params,
            is_async=node.asynchronous is not None,
        )
        if _only_syncs(body, self.resolve):
            self.local_syncs.add(node.name.value)
        if owner is None and _has_parse_args(node) and "return" in cst.Module([node]).code:
            self.parse_helpers.add(node.name.value)

    def _index_scopes(self) -> None:
        script: list[cst.BaseStatement] = []
        for statement in self.module.body:
            if isinstance(statement, cst.FunctionDef):
                self._add_function(statement, None)
            elif isinstance(statement, cst.ClassDef):
                self.classes[statement.name.value] = statement
                for item in statement.body.body:
                    if isinstance(item, cst.FunctionDef):
                        self._add_function(item, statement.name.value)
            elif is_main_guard(statement):
                assert isinstance(statement, cst.If)
                self.main_guard = statement
                body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else []
                self.scopes[MAIN] = Scope(MAIN, body, statement, self.line_of(statement))
            else:
                script.append(statement)
        self.scopes[MODULE] = Scope(MODULE, self.module.body, self.module, 1)

    # -- calls ---------------------------------------------------------------------------------
    def _constructed(self, scope: Scope) -> dict[str, str]:
        """Local names bound to an instance of a class of this file: ``bench = Bench(...)``."""
        built: dict[str, str] = {}
        for node in find_all(block_module(scope.body), lambda n: isinstance(n, cst.Assign)):
            assert isinstance(node, cst.Assign)
            value, target = node.value, node.targets[0].target
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Name)
                and value.func.value in self.classes
                and len(node.targets) == 1
                and isinstance(target, cst.Name)
            ):
                built[target.value] = value.func.value
        return built

    def _callee(
        self, call: cst.Call, scope: Scope, built: dict[str, str]
    ) -> tuple[str, cst.BaseExpression | None] | None:
        func = call.func
        if isinstance(func, cst.Name):
            if func.value in self.scopes and "." not in func.value and func.value[0] != "<":
                return func.value, None
            return None
        if not isinstance(func, cst.Attribute):
            return None
        owner, method = func.value, func.attr.value
        cls_name: str | None = None
        if isinstance(owner, cst.Name) and owner.value == "self":
            cls_name = scope.cls
        elif isinstance(owner, cst.Name):
            cls_name = built.get(owner.value)
        elif isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name):
            cls_name = owner.func.value if owner.func.value in self.classes else None
        if cls_name is not None and f"{cls_name}.{method}" in self.scopes:
            return f"{cls_name}.{method}", owner
        return None

    def _index_calls(self) -> None:
        for scope in self.scopes.values():
            built = self._constructed(scope)
            is_module = scope.name == MODULE
            for call, path in _walk_calls(scope.body, (), is_module):
                found = self._callee(call, scope, built)
                if found is not None and found[0] != scope.name:
                    self.calls.append(CallSite(scope.name, found[0], call, path, found[1]))

    def callers_of(self, name: str) -> list[CallSite]:
        """Call sites of a scope, in file order."""
        return [c for c in self.calls if c.callee == name]


def _only_syncs(body: Sequence[cst.BaseStatement], resolve: QualNames) -> bool:
    statements = [s for s in body if not is_docstring(s)]
    if not statements:
        return False
    for statement in statements:
        calls = find_all(statement, lambda n: isinstance(n, cst.Call))
        if not calls or not all(is_sync_call(c, resolve, ()) or _is_check(c) for c in calls):
            return False
        if any(isinstance(n, cst.Return | cst.Assign) for n in find_all(statement, _any)):
            return False
    return True


def _is_check(call: cst.CSTNode) -> bool:
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and (call.func.attr.value == "is_available")
    )


def _any(node: cst.CSTNode) -> bool:
    return True
