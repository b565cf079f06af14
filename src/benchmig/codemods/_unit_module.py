"""Module-level timed blocks: scripts that time things at top level, with no function at all.

The script statements (loops, calls, assignments that no function reads; not imports, defs,
constants or the ``__main__`` block) are split at each timed region; each part becomes a native
benchmark and the script statements leave the module, so importing it no longer runs the legacy
timing. There is no adapter (calling the module would run it): when the setup is not simple, or
remaining code reads a name the script statements bind, the block is manual.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from benchmig.codemods._native import option_map, region_ops
from benchmig.codemods._unit_checks import op_codes
from benchmig.codemods._unit_context import MODULE, FileContext, is_main_guard
from benchmig.codemods._unit_finish import finish
from benchmig.codemods._unit_frames import enter_step
from benchmig.codemods._unit_metrics import items_per_call, metric_warnings, work_metrics
from benchmig.codemods._unit_plan import Builder, Plan, Unsafe
from benchmig.codemods._unit_pre import pre_statements
from benchmig.codemods._unit_regions import (
    Region,
    elsewhere_in_scope,
    find_regions,
    left_out_warning,
    primary_region,
    same_region,
    sequential,
    timed_statements,
)
from benchmig.codemods._unit_syntax import (
    bound_names,
    free_names,
    is_docstring,
    single_small,
    used_names,
)

__all__ = ["plan_module_units"]

ModulePlan = tuple[Plan, tuple[cst.BaseStatement, ...]]
_SETUP_CALLS = (
    "basicConfig",
    "filterwarnings",
    "simplefilter",
    "seed",
    "manual_seed",
    "insert",
    "append",
    "set_num_threads",
)


def _is_script(ctx: FileContext, statement: cst.BaseStatement) -> bool:
    if is_docstring(statement) or is_main_guard(statement):
        return False
    if isinstance(statement, cst.FunctionDef | cst.ClassDef | cst.Try | cst.If):
        return False
    small = single_small(statement)
    if isinstance(small, cst.Import | cst.ImportFrom):
        return False
    if isinstance(small, cst.Assign | cst.AnnAssign):
        names = bound_names([statement])
        return not all(n in ctx.constants for n in names)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        attr = func.attr.value if isinstance(func, cst.Attribute) else ""
        return attr not in _SETUP_CALLS
    return isinstance(statement, cst.For | cst.While | cst.With) or small is not None


def _leaks(ctx: FileContext, script: Sequence[cst.BaseStatement]) -> str | None:
    """A name bound only by script statements that the remaining code reads."""
    removed = {id(s) for s in script}
    bound = set(bound_names(script))
    kept = [s for s in ctx.module.body if id(s) not in removed]
    bound_elsewhere = set(bound_names(kept))
    used = set(used_names(kept))
    for node in kept:
        if isinstance(node, cst.FunctionDef | cst.ClassDef):
            used.update(used_names(node.body.children))
    leaked = sorted((bound - bound_elsewhere) & used)
    return leaked[0] if leaked else None


def _untimed(
    before: Sequence[cst.BaseStatement],
    timed: set[int],
    later: Sequence[cst.BaseStatement],
) -> list[cst.BaseStatement]:
    """The script statements before a block, as its setup: all of them (they all leave the
    module), except what earlier blocks time unless it binds a name needed later."""
    needed = set(free_names(later))
    kept: list[cst.BaseStatement] = []
    for statement in reversed(before):
        if id(statement) in timed and not set(bound_names([statement])) & needed:
            continue
        kept.append(statement)
        needed.update(free_names([statement]))
    return kept[::-1]


def _plan_block(
    ctx: FileContext,
    region: Region,
    pre: Sequence[cst.BaseStatement],
    group: Sequence[Region],
) -> Plan:
    """The plan of one region of a module-level block (``group``: the block's regions)."""
    scope = ctx.scopes[MODULE]
    b = Builder(ctx, scope)
    b.elsewhere = {i for r in group if not same_region(r, region) for i in timed_statements(r)}
    b.timed_ops = region.ops
    ops = op_codes(region.ops)
    parsers: set[str] = set()
    pre_statements(b, pre, ops, parsers)
    for depth, step in enumerate(region.path):
        if depth:
            pre_statements(b, step.block[: step.index], ops, parsers)
        if depth < len(region.path) - 1:
            b.post.extend(step.block[step.index + 1 :])
            enter_step(b, step)
    b.post.extend(region.block[region.end :])
    execute = region_ops(b, region, ops)
    plan = Plan(unit=MODULE, kind="module", line=region.line, tier="native")
    plan.items_per_call = items_per_call(b)
    plan.work = work_metrics(b)
    metric_warnings(b)
    finish(b, plan, execute)
    plan.options = option_map(b, plan)
    return plan


def _manual(ctx: FileContext, region: Region, reason: str) -> Plan:
    text = f"{ctx.path}:{region.line}: {reason}"
    return Plan(unit=MODULE, kind="module", line=region.line, tier="manual", reasons=[text])


def plan_module_units(ctx: FileContext) -> list[ModulePlan]:
    """Plans of the module-level timed blocks, each with the statements it takes out."""
    body = list(ctx.module.body)
    regions = [
        r for r in find_regions(ctx.scopes[MODULE], ctx) if r.path[0].block is ctx.module.body
    ]
    regions = [r for r in regions if _is_script(ctx, body[r.path[0].index])]
    if not regions:
        return []
    by_top: dict[int, list[Region]] = {}
    for region in regions:
        by_top.setdefault(region.path[0].index, []).append(region)
    script = tuple(s for s in body if _is_script(ctx, s))
    leak = _leaks(ctx, script)
    plans: list[ModulePlan] = []
    timed: set[int] = set()  # ids of the statements earlier blocks time
    for top in sorted(by_top):
        primary = primary_region(by_top[top], ctx)
        assert primary is not None
        region = primary
        before = [s for s in body[:top] if _is_script(ctx, s)]
        pre = _untimed(before, timed, [body[top], *region.ops])
        group = [region, *sequential(by_top[top], region, ctx)]  # timings one after the other
        for member in group:
            timed.update(timed_statements(member) if len(member.path) == 1 else {id(body[top])})
        if leak is not None:
            plans.append(
                (
                    _manual(
                        ctx,
                        region,
                        f"the module-level code binds `{leak}`, which "
                        "functions or other module code read; move the timed code into a "
                        "function first",
                    ),
                    (),
                )
            )
            continue
        try:
            plan = _plan_block(ctx, region, pre, group)
            # Further regions of the block (three timed loops in one sweep): a benchmark each
            # where that is safe; the others are named in a warning.
            extras, failed = [], []
            for other in group[1:]:
                try:
                    extras.append(_plan_block(ctx, other, pre, group))
                except Unsafe:
                    failed.append(other)
            failed += elsewhere_in_scope(by_top[top], region, ctx)
            if failed:
                plan.warnings.append(left_out_warning(ctx, failed))
            plans.extend((p, script) for p in sorted([plan, *extras], key=lambda p: p.line))
        except Unsafe as exc:
            plans.append(
                (
                    _manual(
                        ctx,
                        region,
                        f"native extraction is not safe: {exc.message} "
                        f"(line {exc.line}); move the timed code into a function",
                    ),
                    (),
                )
            )
    if any(plan.tier == "manual" for plan, _ in plans):
        # Removing the script is all or nothing: a manual block keeps every statement in place.
        reason = "another module-level block of this file could not be migrated"
        plans = [
            (p if p.tier == "manual" else _manual(ctx, _region_of(p, regions), reason), ())
            for p, _ in plans
        ]
    return plans


def _region_of(plan: Plan, regions: Sequence[Region]) -> Region:
    return next(r for r in regions if r.line == plan.line)
