"""Adapter tier for delegating scripts: the timing harness of another file is called whole.

A benchmark file that times nothing itself but hands its operation to a harness of the tree
(``runner.benchmark(hidden, batch_sizes)``, ``benchmark_model(model, inputs, n=100)``, see
:mod:`benchmig.codemods._harness`) becomes one benchmark per harness call: ``setup()`` is what
the script did before the call (options parsed, the harness object built), ``execute()`` calls
the harness with this case's params and returns what it returns (``process_results`` keeps its
numbers as ``legacy_*`` metrics). A list the harness sweeps (``for bs in batch_sizes``) becomes a
params axis and each case hands it a one-element list. The harness keeps its own warm-up and
repeats; the runner calls it once.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from benchmig.codemods._adapter import ADAPTER_SETTINGS
from benchmig.codemods._harness import Harness, HarnessIndex, harness_of_call, receivers
from benchmig.codemods._native import option_map, walk_callers, wrap
from benchmig.codemods._unit_bind import bind_call, bind_entry
from benchmig.codemods._unit_checks import op_codes
from benchmig.codemods._unit_context import (
    MODULE,
    CallSite,
    FileContext,
    PathStep,
    Scope,
    header_nodes,
)
from benchmig.codemods._unit_find import attempt_chains, chains
from benchmig.codemods._unit_finish import finish
from benchmig.codemods._unit_frames import walk_frame
from benchmig.codemods._unit_plan import Builder, Plan, Unsafe, config_ref, hardware_ref, jsonable
from benchmig.codemods._unit_regions import Region
from benchmig.codemods._unit_sweep import sweep_source
from benchmig.codemods._unit_syntax import find_all, inner_blocks
from benchmig.codemods._unit_translate import translate_expr
from benchmig.codemods._unit_vocab import DEVICE_NAMES, code, natural_param_name

__all__ = ["HarnessSite", "harness_sites", "plan_harness_sites"]

MAX_SITES = 4


@dataclass(frozen=True)
class HarnessSite:
    """One call of a harness, the statement holding it, and the scope it runs in."""

    scope: Scope
    region: Region  # kind "harness_call": the statement with the call
    call: cst.Call
    harness: Harness


def harness_sites(ctx: FileContext, index: HarnessIndex) -> list[HarnessSite]:
    """The harness calls of the file's functions and ``__main__`` block, in file order."""
    sites: list[HarnessSite] = []
    for scope in ctx.scopes.values():
        if scope.name == MODULE:
            continue
        held = receivers(index, scope, ctx)
        sites.extend(_block_sites(ctx, index, scope, held, scope.body, ()))
    return sorted(sites, key=lambda s: s.region.line)[:MAX_SITES]


def _block_sites(
    ctx: FileContext,
    index: HarnessIndex,
    scope: Scope,
    held: dict[str, str],
    block: Sequence[cst.BaseStatement],
    prefix: tuple[PathStep, ...],
) -> list[HarnessSite]:
    found: list[HarnessSite] = []
    for k, statement in enumerate(block):
        if isinstance(statement, cst.FunctionDef | cst.ClassDef) or statement is ctx.main_guard:
            continue
        path = (*prefix, PathStep(block, k))
        site = _statement_site(ctx, index, scope, held, statement, path)
        if site is not None:
            found.append(site)
        for branch, inner in inner_blocks(statement):
            step = (*prefix, PathStep(block, k, branch))
            found.extend(_block_sites(ctx, index, scope, held, inner, step))
    return found


def _statement_site(
    ctx: FileContext,
    index: HarnessIndex,
    scope: Scope,
    held: dict[str, str],
    statement: cst.BaseStatement,
    path: tuple[PathStep, ...],
) -> HarnessSite | None:
    for header in header_nodes(statement):
        for node in find_all(header, lambda n: isinstance(n, cst.Call), into_defs=False):
            assert isinstance(node, cst.Call)
            harness = harness_of_call(index, node, held, ctx)
            if harness is not None:
                line = ctx.line_of(statement)
                region = Region("harness_call", path, path[-1].index + 1, (statement,), line)
                return HarnessSite(scope, region, node, harness)
    return None


def _param_names(call: cst.Call, harness: Harness) -> list[str | None] | None:
    """The harness parameter each argument binds (None for ``*args``/``**kwargs`` calls)."""
    if any(a.star for a in call.args):
        return None
    names: list[str | None] = []
    positional = 0
    for arg in call.args:
        if arg.keyword is not None:
            names.append(arg.keyword.value)
            continue
        known = positional < len(harness.params)
        names.append(harness.params[positional] if known else None)
        positional += 1
    return names


def _argument(
    b: Builder, name: str | None, node: cst.BaseExpression, harness: Harness
) -> cst.BaseExpression:
    if name in DEVICE_NAMES:
        b.hardware.extend(h for h in harness.backends if h not in b.hardware)
        return hardware_ref()
    swept = dict(harness.swept)
    if name is not None and name in swept:
        data = jsonable(b.value(node))
        if isinstance(data, list) and data:
            key = b.add_param(
                natural_param_name(swept[name], name), data, b.dest_of(sweep_source(node))
            )
            return cst.List([cst.Element(config_ref(key))])
    return translate_expr(b, node)


def _execute(b: Builder, site: HarnessSite) -> list[cst.BaseStatement]:
    names = _param_names(site.call, site.harness)
    if names is None:
        raise b.unsafe(site.call, "the harness call passes *args/**kwargs")
    args = [
        arg.with_changes(value=_argument(b, name, arg.value, site.harness))
        for arg, name in zip(site.call.args, names, strict=True)
    ]
    call = site.call.with_changes(func=translate_expr(b, site.call.func), args=args)
    return wrap(b, [cst.SimpleStatementLine([cst.Return(call)])])


def _check_harness(b: Builder, site: HarnessSite) -> None:
    harness = site.harness
    if not harness.returns_value:
        raise b.unsafe(
            site.call,
            f"{harness.name} returns no numbers (it prints or writes them): make it return "
            "them and apply again, or register the operation it times by hand",
        )
    if harness.parses_argv:
        raise b.unsafe(
            site.call,
            f"{harness.name} parses the command line itself, so it cannot run inside "
            "`migrate run`: register the operation it times by hand",
        )


def _plan(ctx: FileContext, site: HarnessSite, chain: Sequence[CallSite]) -> Plan:
    """The adapter plan of one harness call reached through ``chain`` (raises ``Unsafe``)."""
    scope = site.scope
    b = Builder(ctx, scope)
    ops = op_codes(site.region.ops)
    walk_callers(b, chain, ops)
    b.frame = max(len(chain) - 1, 0)
    if chain:
        bind_call(b, chain[-1], scope)
    else:
        bind_entry(b, scope)
    b.frame = len(chain)
    if scope.is_async:
        raise b.unsafe(scope.node, "the harness is awaited in a coroutine (async def)")
    _check_harness(b, site)
    walk_frame(b, site.region.path, ops)
    execute = _execute(b, site)
    plan = Plan(unit=scope.name, kind="helper_call", line=site.region.line, tier="adapter")
    finish(b, plan, execute)
    plan.settings = dict(ADAPTER_SETTINGS)
    plan.time_unit = site.harness.time_unit
    plan.options = option_map(b, plan)
    plan.warnings.insert(
        0,
        f"{ctx.path}:{site.region.line}: the timing is done by {site.harness.name} "
        f"({site.harness.where}): it is called whole with each case's params (adapter), keeps "
        "its own warm-up and repeats, and the numbers it returns are kept",
    )
    return plan


def plan_harness_sites(ctx: FileContext, index: HarnessIndex) -> list[Plan]:
    """One plan per harness call (manual plans carry the reasons)."""
    plans: list[Plan] = []
    for site in harness_sites(ctx, index):
        chain = chains(ctx, site.scope.name)[0]
        try:
            plans.append(attempt_chains(functools.partial(_plan, ctx, site), chain))
        except Unsafe as exc:
            reason = (
                f"{ctx.path}:{exc.line}: the timing is done by {site.harness.name} "
                f"({site.harness.where}), called here as `{code(site.call)}`; the adapter is not "
                f"safe: {exc.message}"
            )
            plans.append(
                Plan(site.scope.name, "helper_call", site.region.line, "manual", reasons=[reason])
            )
    return plans
