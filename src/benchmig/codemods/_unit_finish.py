"""Finish a plan: drop dead setup code, keep what ``execute()`` needs on ``self``, check names.

``setup()`` locals read by ``execute()`` are stored on the benchmark (``self.model = model``)
and read back as ``self.model``; assignments nothing reads any more (sample lists, load timers)
are dropped; every name either statement list reads must be defined before use, otherwise the
tier is not safe.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from benchmig.codemods._unit_context import header_nodes
from benchmig.codemods._unit_devices import (
    cuda_only,
    hardcodes_cuda,
    non_torch_backends,
    runner_devices,
)
from benchmig.codemods._unit_plan import Builder, Plan
from benchmig.codemods._unit_syntax import (
    BUILTINS,
    block_module,
    bound_names,
    clean_leading_lines,
    find_all,
    free_names,
    is_docstring,
    single_small,
    updated_names,
    used_names,
)
from benchmig.codemods._unit_translate import NameRewriter

__all__ = ["RESERVED", "dead_code", "finish", "referenced_keys"]

RESERVED = frozenset(
    {
        "config",
        "hardware",
        "setup",
        "execute",
        "process_results",
        "cleanup",
        "items",
        "items_per_call",
        "simulated",
    }
)
_PURE_CALLS = frozenset(
    {
        "int",
        "float",
        "str",
        "bool",
        "len",
        "list",
        "tuple",
        "dict",
        "set",
        "range",
        "min",
        "max",
        "sum",
        "sorted",
        "abs",
        "round",
        "time",
        "perf_counter",
        "monotonic",
        "process_time",
        "default_timer",
        "time_ns",
        "perf_counter_ns",
        "monotonic_ns",
        "strftime",
        "Path",
        "PurePath",
    }
)


_PURE_METHODS = frozenset(
    {"split", "strip", "lower", "upper", "join", "items", "keys", "values", "get", "replace"}
)


def _call_name(node: cst.Call) -> str | None:
    func = node.func
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute) and func.attr.value in _PURE_METHODS:
        return "int"
    owner = func.value if isinstance(func, cst.Attribute) else None
    if isinstance(owner, cst.Name) and owner.value in {"time", "timeit", "t"}:
        assert isinstance(func, cst.Attribute)
        return func.attr.value
    return None


def _pure(node: cst.CSTNode) -> bool:
    for inner in find_all(node, lambda n: isinstance(n, cst.Call | cst.Await | cst.Yield)):
        if not isinstance(inner, cst.Call) or _call_name(inner) not in _PURE_CALLS:
            return False
    return not find_all(node, lambda n: isinstance(n, cst.NamedExpr))


def _plain_targets(small: cst.Assign | cst.AnnAssign) -> bool:
    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
    return all(isinstance(t, cst.Name | cst.Tuple) for t in targets)


def _dead(statement: cst.BaseStatement, live: set[str]) -> bool:
    if is_docstring(statement):
        return True
    small = single_small(statement)
    if isinstance(small, cst.Assign | cst.AnnAssign):
        names = set(bound_names([statement]))
        value = small.value
        pure = value is None or _pure(value)
        return _plain_targets(small) and bool(names) and not names & live and pure
    if isinstance(small, cst.Expr):
        return _pure(small.value) and not isinstance(small.value, cst.Call)
    return False


def dead_code(statements: Sequence[cst.BaseStatement], live: set[str]) -> list[cst.BaseStatement]:
    """``statements`` without assignments whose names are never read afterwards."""
    kept: list[cst.BaseStatement] = []
    for statement in reversed(statements):
        if isinstance(statement, cst.With) and isinstance(statement.body, cst.IndentedBlock):
            body = dead_code(list(statement.body.body), live)
            if not body:
                continue
            statement = statement.with_changes(body=statement.body.with_changes(body=body))
            live.update(used_names(header_nodes(statement)))
            kept.append(statement)
            continue
        if _dead(statement, live):
            continue
        small = single_small(statement)
        if isinstance(small, cst.Assign) and _plain_targets(small):
            live.difference_update(bound_names([statement]))  # rebound here: dead before
            live.update(used_names([small.value]))
        else:
            live.update(used_names([statement]))
        kept.append(statement)
    return list(reversed(kept))


def _undefined(b: Builder, statements: Sequence[cst.BaseStatement], known: set[str]) -> str | None:
    defined = set(known)
    for statement in statements:
        if isinstance(statement, cst.With) and isinstance(statement.body, cst.IndentedBlock):
            missing = _undefined(
                b, [cst.SimpleStatementLine([cst.Expr(i.item) for i in statement.items])], defined
            )
            if missing:
                return missing
            defined.update(bound_names(statement.items))
            missing = _undefined(b, statement.body.body, defined)
            if missing:
                return missing
            defined.update(bound_names(statement.body.body))
            continue
        bound = set(bound_names([statement]))
        for name in used_names([statement]):
            if name not in defined and name not in bound and name != "self":
                return name
        defined.update(bound)
    return None


def referenced_keys(statements: Sequence[cst.CSTNode]) -> set[str]:
    """Keys of ``self.config["key"]`` subscripts in the code."""
    keys: set[str] = set()
    for node in find_all(cst.Module([]).with_changes(body=list(statements)), _is_config):
        assert isinstance(node, cst.Subscript)
        index = node.slice[0].slice
        assert isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString)
        keys.add(str(index.value.evaluated_value))
    return keys


def _is_config(node: cst.CSTNode) -> bool:
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return False
    owner, index = node.value, node.slice[0].slice
    return (
        isinstance(owner, cst.Attribute)
        and isinstance(owner.value, cst.Name)
        and owner.value.value == "self"
        and owner.attr.value == "config"
        and isinstance(index, cst.Index)
        and isinstance(index.value, cst.SimpleString)
    )


def _backward_of(execute: Sequence[cst.BaseStatement], stored: set[str]) -> str | None:
    """A name set up once whose ``.backward()`` the timed code calls (without
    ``retain_graph``): the runner calls ``execute()`` many times."""
    for node in find_all(block_module(execute), lambda n: isinstance(n, cst.Call)):
        assert isinstance(node, cst.Call)
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "backward"):
            continue
        owner = func.value
        kept = any(a.keyword is not None and a.keyword.value == "retain_graph" for a in node.args)
        if isinstance(owner, cst.Name) and owner.value in stored and not kept:
            return owner.value
    return None


def _store(names: list[str]) -> tuple[list[cst.BaseStatement], dict[str, cst.BaseExpression]]:
    lines: list[cst.BaseStatement] = []
    replacements: dict[str, cst.BaseExpression] = {}
    for name in names:
        attr = f"{name}_" if name in RESERVED or name.startswith("__") else name
        lines.append(cst.parse_statement(f"self.{attr} = {name}"))
        replacements[name] = cst.parse_expression(f"self.{attr}")
    return lines, replacements


def _strip_first(statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """No blank line first; no indentation on the others (a statement moved from module level
    into a method would carry it: lines of spaces)."""
    statements = [_unindented_blanks(s) for s in statements]
    if statements:
        statements[0] = clean_leading_lines(statements[0])
    return statements


def _unindented_blanks(statement: cst.BaseStatement) -> cst.BaseStatement:
    assert isinstance(statement, cst.SimpleStatementLine | cst.BaseCompoundStatement)
    lines = statement.leading_lines
    if not any(line.indent and line.comment is None for line in lines):
        return statement
    return statement.with_changes(
        leading_lines=[
            line.with_changes(indent=False) if line.comment is None else line for line in lines
        ]
    )


def _rewrite(statement: cst.BaseStatement, rewriter: NameRewriter) -> cst.BaseStatement:
    result = statement.visit(rewriter)
    assert isinstance(result, cst.BaseStatement)
    return result


def finish(b: Builder, plan: Plan, execute: list[cst.BaseStatement]) -> Plan:
    """Complete ``plan`` from the builder's setup and the translated ``execute`` statements."""
    setup = list(b.close())
    exec_free = free_names(execute)
    setup = runner_devices(b, setup, exec_free) + setup
    # A module-level counter the timed code updates (``num += len(ids)``) is kept on self.
    updated = [n for n in updated_names(execute) if n not in exec_free]
    exec_free += updated
    namespaces = [n for n in b.namespaces if n in exec_free or n in free_names(setup)]
    bound = set(bound_names(setup)) | set(namespaces) | (set(updated) & b.ctx.lasting_names())
    order = {name: index for index, name in enumerate(bound_names(setup))}
    stored = sorted((n for n in exec_free if n in bound), key=lambda n: order.get(n, -1))
    setup = dead_code(setup, set(stored))
    prefix = [b.namespace_statement(n) for n in namespaces if n in free_names(setup) or n in stored]
    setup = prefix + setup
    # Modules the plan imports itself (``asyncio`` for ``asyncio.run``) are defined too.
    known = b.ctx.lasting_names() | BUILTINS | {m.split(".", 1)[0] for m in b.imports}
    missing = _undefined(b, setup, set(known))
    if missing is not None:
        raise b.unsafe(None, f"setup needs `{missing}`, which only the legacy run defines")
    outside = [n for n in exec_free if n not in stored and n not in known]
    if outside:
        raise b.unsafe(None, f"the timed code needs `{outside[0]}`, which is not defined in setup")
    once = _backward_of(execute, set(stored))
    if once is not None:
        raise b.unsafe(
            None,
            f"the timed code runs `{once}.backward()` on a graph built in setup: the second "
            "sample would fail (the graph is freed); time the forward and backward together",
        )
    lines, replacements = _store(stored)
    rewriter = NameRewriter(replacements)
    plan.setup = _strip_first(setup + lines)
    plan.execute = _strip_first([_rewrite(s, rewriter) for s in execute])
    keys = referenced_keys(plan.setup) | referenced_keys(plan.execute)
    plan.params = {k: v for k, v in b.params.items() if k in keys}
    plan.settings = dict(b.settings)
    plan.hardware = list(dict.fromkeys(b.hardware))
    code = "".join(cst.Module([]).code_for_node(s) for s in (*plan.setup, *plan.execute))
    dropped = non_torch_backends(b, plan.hardware, code)
    if dropped and len(dropped) < len(plan.hardware):
        plan.hardware = [h for h in plan.hardware if h not in dropped]
        b.warn(
            None,
            f"{', '.join(dropped)}: named in the file, but the benchmark gives the runner's "
            "hardware to torch, which has no such device, and no branch of it handles "
            f"{'it' if len(dropped) == 1 else 'them'}: not registered there",
        )
    if hardcodes_cuda([*plan.setup, *plan.execute]) and plan.hardware != cuda_only(plan.hardware):
        plan.hardware = cuda_only(plan.hardware)
        b.warn(
            None,
            "the code runs on CUDA whatever the hardware (`.cuda()`, a `cuda:0` string): "
            "registered for CUDA only",
        )
    plan.warnings.extend(b.warnings)
    plan.imports |= b.imports
    return plan
