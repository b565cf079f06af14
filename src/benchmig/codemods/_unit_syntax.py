"""Small syntax helpers over LibCST statements: which names they bind and use, renaming, blocks."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from typing import cast

import libcst as cst

from benchmig.codemods._unit_index import children as _children

__all__ = [
    "BUILTINS",
    "block_module",
    "bound_names",
    "clean_leading_lines",
    "contains",
    "find_all",
    "free_names",
    "inner_blocks",
    "is_docstring",
    "method_call",
    "self_attribute",
    "single_small",
    "target_names",
    "updated_names",
    "used_names",
]

BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__"}


def method_call(node: cst.CSTNode, name: str) -> bool:
    """``<anything>.name(...)``: a call of a method (or module function) called ``name``."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == name
    )


def self_attribute(node: cst.CSTNode) -> str | None:
    """``attr`` when ``node`` is ``self.attr``."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
        return node.attr.value if node.value.value == "self" else None
    return None


def block_module(statements: Sequence[cst.BaseStatement]) -> cst.Module:
    """A throwaway module holding ``statements`` (to search them as one tree)."""
    return cst.Module(
        body=cast(Sequence[cst.SimpleStatementLine | cst.BaseCompoundStatement], statements)
    )


def single_small(statement: cst.CSTNode) -> cst.BaseSmallStatement | None:
    """The only small statement of a simple statement line, else None."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def is_docstring(statement: cst.CSTNode) -> bool:
    """A bare string expression statement."""
    small = single_small(statement)
    return isinstance(small, cst.Expr) and isinstance(
        small.value, cst.SimpleString | cst.ConcatenatedString
    )


_DEFS = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def find_all(
    node: cst.CSTNode, predicate: Callable[[cst.CSTNode], bool], *, into_defs: bool = True
) -> list[cst.CSTNode]:
    """Every node below (and including) ``node`` for which ``predicate`` holds, in order."""
    found: list[cst.CSTNode] = []
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if predicate(current):
            found.append(current)
        if into_defs or current is node or not isinstance(current, _DEFS):
            stack.extend(reversed(_children(current)))
    return found


def contains(node: cst.CSTNode, predicate: Callable[[cst.CSTNode], bool]) -> bool:
    """Whether any node below ``node`` satisfies ``predicate``."""
    return bool(find_all(node, predicate))


def target_names(target: cst.BaseExpression) -> list[str]:
    """Names bound by an assignment or loop target (``a``, ``a, b``, ``*rest``)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        names: list[str] = []
        for element in target.elements:
            names.extend(target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return []


class _Binder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.names.extend(target_names(target.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.names.extend(target_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.names.extend(target_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.names.extend(target_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, cst.Name | cst.Tuple | cst.List):
            self.names.extend(target_names(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            name = node.name
            while isinstance(name, cst.Attribute):
                name = name.value  # type: ignore[assignment]
            if isinstance(name, cst.Name):
                self.names.append(name.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.names.extend(target_names(node.target))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.append(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.append(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        return False


class _PlainBinder(_Binder):
    """Names bound other than from their own value (``n += 1``, ``total = total + t``)."""

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        pass

    def visit_Assign(self, node: cst.Assign) -> None:
        reads = set(used_names([node.value]))
        for target in node.targets:
            self.names.extend(n for n in target_names(target.target) if n not in reads)


def updated_names(statements: Sequence[cst.CSTNode]) -> list[str]:
    """Names the code only ever updates from their own value (``num += n``, ``total = total +
    t``): moved into a method, each is a local read before it is bound (``UnboundLocalError``)
    unless the method gets it from elsewhere."""
    plain = _PlainBinder()
    for statement in statements:
        statement.visit(plain)
    return [n for n in bound_names(statements) if n not in plain.names]


def bound_names(statements: Iterable[cst.CSTNode]) -> list[str]:
    """Names the statements bind (assignments, loops, imports, defs, with-as), in order."""
    binder = _Binder()
    for statement in statements:
        statement.visit(binder)
    return list(dict.fromkeys(binder.names))


class _User(cst.CSTVisitor):
    """Names read by the code, minus those bound by its own lambdas/comprehensions/defs."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.local: list[set[str]] = []

    def _shadowed(self, name: str) -> bool:
        return any(name in scope for scope in self.local)

    def visit_Name(self, node: cst.Name) -> None:
        if not self._shadowed(node.value):
            self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Param(self, node: cst.Param) -> bool:
        if node.default is not None:
            node.default.visit(self)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.local.append({p.name.value for p in node.params.params})

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.local.pop()

    def _enter_comp(self, node: cst.BaseComp) -> None:
        names: set[str] = set()
        loop: cst.CompFor | None = node.for_in
        while loop is not None:
            names.update(target_names(loop.target))
            loop = loop.inner_for_in
        self.local.append(names)

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._enter_comp(node)

    def leave_ListComp(self, original_node: cst.ListComp) -> None:
        self.local.pop()

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._enter_comp(node)

    def leave_SetComp(self, original_node: cst.SetComp) -> None:
        self.local.pop()

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._enter_comp(node)

    def leave_DictComp(self, original_node: cst.DictComp) -> None:
        self.local.pop()

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._enter_comp(node)

    def leave_GeneratorExp(self, original_node: cst.GeneratorExp) -> None:
        self.local.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        names = {
            p.name.value for p in (*params.params, *params.kwonly_params, *params.posonly_params)
        }
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                names.add(star.name.value)
        self.local.append(names | set(bound_names(node.body.children)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.local.pop()


def used_names(statements: Iterable[cst.CSTNode]) -> list[str]:
    """Names the code reads (and writes: targets are names too), in order of appearance."""
    user = _User()
    for statement in statements:
        statement.visit(user)
    return list(dict.fromkeys(user.names))


def free_names(statements: Sequence[cst.CSTNode]) -> list[str]:
    """Names read but not bound by the statements themselves (``self`` excluded)."""
    bound = set(bound_names(statements))
    return [n for n in used_names(statements) if n not in bound and n != "self"]


def inner_blocks(statement: cst.CSTNode) -> list[tuple[str, Sequence[cst.BaseStatement]]]:
    """The indented statement lists of a compound statement, by branch name."""
    blocks: list[tuple[str, Sequence[cst.BaseStatement]]] = []

    def add(branch: str, suite: cst.BaseSuite | None) -> None:
        if isinstance(suite, cst.IndentedBlock):
            blocks.append((branch, suite.body))

    if isinstance(statement, cst.For | cst.While | cst.With):
        add("body", statement.body)
    elif isinstance(statement, cst.If):
        add("body", statement.body)
        orelse = statement.orelse
        if isinstance(orelse, cst.Else):
            add("orelse", orelse.body)
        elif isinstance(orelse, cst.If):
            blocks.append(("orelse", [orelse]))
    elif isinstance(statement, cst.Try):
        add("body", statement.body)
    return blocks


def clean_leading_lines(statement: cst.BaseStatement) -> cst.BaseStatement:
    """Drop blank lines above a moved statement (comment lines stay)."""
    assert isinstance(statement, cst.SimpleStatementLine | cst.BaseCompoundStatement)
    lines = [line for line in statement.leading_lines if line.comment is not None]
    if len(lines) == len(statement.leading_lines):
        return statement
    return statement.with_changes(leading_lines=lines)
