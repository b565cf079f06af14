"""Adapter tier: call the legacy function whole and keep the numbers it returns.

Used when extracting the operation is not safe (the timing sits in a condition, a coroutine, a
thread pool...). ``setup()`` is what the callers did before the call; ``execute()`` calls the
legacy function once with the case's params (a list it sweeps gets a one-element list, so each
case runs one configuration); ``process_results`` turns what it returns into ``legacy_*`` metrics.
The runner calls it once (``warmup=0, repeats=1, processes=1``): the legacy code loops itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from benchmig.codemods._harness import time_unit_of
from benchmig.codemods._native import option_map, walk_callers, wrap
from benchmig.codemods._unit_bind import (
    NAMESPACE_PARAMS,
    _params,
    _receiver,
    call_arguments,
    construct,
    count_names,
)
from benchmig.codemods._unit_context import CallSite, FileContext, Scope, is_parse_args_call
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, Namespace
from benchmig.codemods._unit_finish import finish
from benchmig.codemods._unit_plan import (
    Builder,
    Plan,
    config_ref,
    hardware_ref,
    jsonable,
    literal,
)
from benchmig.codemods._unit_regions import Region
from benchmig.codemods._unit_syntax import block_module, find_all, self_attribute
from benchmig.codemods._unit_translate import keyword_arg, translate_expr
from benchmig.codemods._unit_vocab import (
    DEVICE_NAMES,
    code,
    is_writer_call,
    natural_param_name,
    qualnames_of,
)

__all__ = ["ADAPTER_SETTINGS", "plan_adapter"]

ADAPTER_SETTINGS = {"warmup": 0, "repeats": 1, "processes": 1, "min_sample_time": 0.0}


def _swept(unit: Scope) -> dict[str, str]:
    """Params the unit loops over itself: param name -> loop variable."""
    names = {p.name.value for p in _params(unit)}
    swept: dict[str, str] = {}
    for node in find_all(block_module(unit.body), lambda n: isinstance(n, cst.For)):
        assert isinstance(node, cst.For)
        iterable, target = node.iter, node.target
        if (
            isinstance(iterable, cst.Name)
            and iterable.value in names
            and isinstance(target, cst.Name)
        ):
            swept.setdefault(iterable.value, target.value)
    return swept


def _argument(
    b: Builder,
    name: str,
    node: cst.BaseExpression,
    value: Any,
    swept: dict[str, str],
    counts: set[str],
) -> cst.BaseExpression:
    if name in DEVICE_NAMES:
        return hardware_ref()
    if isinstance(value, Namespace):
        return translate_expr(b, node)
    data = jsonable(value)
    if data is UNKNOWN:
        return translate_expr(b, node)
    dest = b.dest_of(node)
    if name in swept and isinstance(data, list) and data:
        key = b.add_param(natural_param_name(swept[name], name), data, dest)
        return cst.List([cst.Element(config_ref(key))])
    role = b.ctx.options[dest].role if dest is not None else None
    if name in counts or role in {"count", "storage"}:
        return literal(data)
    return config_ref(b.add_param(name, [data], dest))


def _site_call(b: Builder, site: CallSite, unit: Scope) -> cst.Call:
    arguments = call_arguments(site.call, unit)
    if arguments is None:
        raise b.unsafe(site.call, "the call passes *args/**kwargs or unknown keywords")
    swept = _swept(unit)
    counts = count_names(unit)
    by_node = {id(v): k for k, v in arguments.items()}
    args: list[cst.Arg] = []
    for arg in site.call.args:
        name = by_node[id(arg.value)]
        value = b.value(arg.value)
        args.append(arg.with_changes(value=_argument(b, name, arg.value, value, swept, counts)))
    if unit.cls is None:
        return cst.Call(func=cst.Name(unit.name), args=args)
    alias = _receiver(b, site, unit)
    if alias is None:
        raise b.unsafe(site.call, "the legacy object of the method call is unknown")
    func = cst.Attribute(cst.Name(alias), cst.Name(unit.name.split(".", 1)[1]))
    return cst.Call(func=func, args=args)


def _entry_call(b: Builder, unit: Scope) -> cst.Call:
    swept = _swept(unit)
    counts = count_names(unit)
    args: list[cst.Arg] = []
    for param in _params(unit):
        name = param.name.value
        option = b.ctx.options.get(name)
        if name in DEVICE_NAMES:
            value: cst.BaseExpression | None = hardware_ref()
        elif param.default is not None:
            default = Evaluator(b.ctx.constants).value(param.default)
            value = (
                _argument(b, name, param.default, default, swept, counts) if name in swept else None
            )
        elif option is not None:
            value = _argument(b, name, cst.Name(name), option.default, swept, counts)
        elif name in NAMESPACE_PARAMS and b.ctx.options:
            b.bind_namespace(name)
            value = cst.Name(name)
        else:
            raise b.unsafe(
                param,
                f"parameter {name!r} has no value: the function is never "
                "called here with arguments that can be known",
                missing_value=True,
            )
        if value is not None:
            args.append(keyword_arg(name, value))
    if unit.cls is None:
        return cst.Call(func=cst.Name(unit.name), args=args)
    alias = construct(b, unit.cls)
    func = cst.Attribute(cst.Name(alias), cst.Name(unit.name.split(".", 1)[1]))
    return cst.Call(func=func, args=args)


def _time_unit(unit: Scope) -> str:
    returns = find_all(block_module(unit.body), lambda n: isinstance(n, cst.Return))
    return time_unit_of(" ".join(code(r) for r in returns))


def _collected(unit: Scope) -> str | None:
    """``self.results.append(...)`` in a method that returns nothing: the attribute's name."""
    if unit.cls is None:
        return None
    module = block_module(unit.body)
    if any(r.value is not None for r in find_all(module, lambda n: isinstance(n, cst.Return))):  # type: ignore[attr-defined]
        return None
    for node in find_all(module, lambda n: isinstance(n, cst.Call)):
        func = node.func  # type: ignore[attr-defined]
        if isinstance(func, cst.Attribute) and func.attr.value in {"append", "update"}:
            attr = self_attribute(func.value)
            if attr is not None:
                return attr
    return None


def _parses_argv(ctx: FileContext, unit: Scope) -> cst.CSTNode | None:
    for node in find_all(block_module(unit.body), lambda n: isinstance(n, cst.Call)):
        func = node.func  # type: ignore[attr-defined]
        if isinstance(func, cst.Name) and func.value in ctx.parse_helpers:
            return node
        if is_parse_args_call(node):
            return node
    return None


def _writes(ctx: FileContext, unit: Scope) -> cst.CSTNode | None:
    for node in find_all(block_module(unit.body), lambda n: isinstance(n, cst.Call)):
        if is_writer_call(node, ctx.resolve):
            return node
    return None


def plan_adapter(ctx: FileContext, unit: Scope, region: Region, chain: Sequence[CallSite]) -> Plan:
    """The adapter plan of ``unit`` reached through ``chain`` (raises ``Unsafe``)."""
    b = Builder(ctx, unit)
    walk_callers(b, chain, set())
    b.frame = max(len(chain) - 1, 0)
    parser = _parses_argv(ctx, unit)
    if parser is not None:
        b.frame = len(chain)
        raise b.unsafe(
            parser,
            f"{unit.name} parses the command line itself (`{code(parser)}`), which "
            "`migrate run` owns: move the parsing out of it",
        )
    writer = _writes(ctx, unit)
    if writer is not None:
        b.frame = len(chain)
        raise b.unsafe(
            writer,
            f"{unit.name} writes files or a database (`{code(writer)}`) while "
            "it measures; separate the writing from the measurement by hand",
        )
    call = _site_call(b, chain[-1], unit) if chain else _entry_call(b, unit)
    b.frame = len(chain)
    result: cst.BaseExpression = call
    if unit.is_async:
        b.imports.add("asyncio")
        result = cst.parse_expression("asyncio.run(x)").with_changes(args=[cst.Arg(call)])
    body: list[cst.BaseStatement] = [cst.SimpleStatementLine([cst.Return(result)])]
    collected = _collected(unit)
    if collected is not None and isinstance(call.func, cst.Attribute):
        owner = call.func.value
        body = [
            cst.SimpleStatementLine([cst.Expr(result)]),
            cst.SimpleStatementLine([cst.Return(cst.Attribute(owner, cst.Name(collected)))]),
        ]
    plan = Plan(unit=unit.name, kind="", line=region.line, tier="adapter")
    finish(b, plan, wrap(b, body))
    plan.settings = dict(ADAPTER_SETTINGS)
    plan.time_unit = _time_unit(unit)
    plan.options = option_map(b, plan)
    return plan


def uses_foreign_framework(ctx: FileContext, unit: Scope) -> str | None:
    """``tensorflow``/``jax`` code a torch-oriented rewrite must leave alone."""
    for node in find_all(
        block_module(unit.body), lambda n: isinstance(n, cst.Name | cst.Attribute)
    ):
        for name in qualnames_of(node, ctx.resolve):
            root = name.split(".", 1)[0]
            if root in {"tensorflow", "jax", "flax", "keras", "jaxlib", "optax"}:
                return root
    return None
