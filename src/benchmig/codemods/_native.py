"""Native tier: extract the timed operation itself.

The callers' frames (``main()`` down to the call), then the unit's own statements down to the
region, become ``setup()``; the region's operation, without clock reads, syncs and repeat loops,
becomes ``execute()``. Any statement that cannot move raises :class:`Unsafe` and the unit falls
back to the adapter tier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from benchmig.codemods._params import module_constants
from benchmig.codemods._unit_bind import bind_call, bind_entry
from benchmig.codemods._unit_checks import check_movable, is_noise_line, op_codes
from benchmig.codemods._unit_context import MODULE, CallSite, FileContext, Scope
from benchmig.codemods._unit_devices import cuda_only
from benchmig.codemods._unit_finish import finish
from benchmig.codemods._unit_frames import walk_frame
from benchmig.codemods._unit_metrics import items_per_call, metric_warnings, work_metrics
from benchmig.codemods._unit_plan import Builder, Plan
from benchmig.codemods._unit_pre import pre_statements
from benchmig.codemods._unit_regions import (
    Region,
    find_regions,
    left_out,
    repeat_count,
    timed_statements,
)
from benchmig.codemods._unit_syntax import (
    bound_names,
    clean_leading_lines,
    find_all,
    single_small,
)
from benchmig.codemods._unit_translate import translate
from benchmig.codemods._unit_vocab import code, is_clock_call

__all__ = ["option_map", "plan_native", "walk_callers", "wrap"]

_CONCURRENT = re.compile(
    r"(Pool\b|Executor\b|executor|\bpool\b|\.submit\(|as_completed|asyncio\.|\bgather\(|Thread\()"
)


def walk_callers(b: Builder, chain: Sequence[CallSite], ops: set[str]) -> None:
    """Setup from every caller frame, down to (not into) the last call of the chain."""
    for index, site in enumerate(chain):
        b.frame = index
        caller = b.ctx.scopes[site.caller]
        if index == 0 and caller.params is not None:
            bind_entry(b, caller)
        if site.caller == MODULE:
            _constants_at(b, site.path[0].index)
        walk_frame(b, site.path, ops, skip_top=site.caller == MODULE)
        last = site.path[-1]
        b.post.extend(last.block[last.index + 1 :])
        if index < len(chain) - 1:
            bind_call(b, site, b.ctx.scopes[site.callee])


def _constants_at(b: Builder, top: int) -> None:
    """Module constants as a call from the ``top``-th module statement sees them: a script
    that sets ``prompt = 4``, calls, then sets ``prompt = 64`` and calls again."""
    module = b.ctx.module
    before = module_constants(module, upto=top)
    assigned = set(bound_names(module.body[:top]))
    for name in b.ctx.constants:
        if name not in assigned:
            continue
        if name in before:
            b.env[name] = before[name]
        else:
            b.env.pop(name, None)


def _as_return(statement: cst.BaseStatement) -> cst.BaseStatement:
    """The last timed statement returns its value (the runner hands it to process_results)."""
    small = single_small(statement)
    if not isinstance(statement, cst.SimpleStatementLine):
        return statement
    if isinstance(small, cst.Expr):
        return statement.with_changes(body=[cst.Return(small.value)])
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        return (
            statement.with_changes(body=[cst.Return(small.value)])
            if isinstance(target, cst.Name)
            else statement
        )
    return statement


def wrap(b: Builder, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """``body`` inside the compute contexts on the path (innermost last)."""
    for wrapper in reversed(b.wrappers):
        body = [wrapper.with_changes(body=cst.IndentedBlock(body=body))]
    return body


def region_ops(b: Builder, region: Region, ops: set[str]) -> list[cst.BaseStatement]:
    """The translated ``execute()`` body of a region."""
    pre_statements(b, region.setup, ops, set())
    if region.problem is not None:
        raise b.unsafe(region.block[region.start], f"the timed operation: {region.problem}")
    body = [s for s in region.ops if not is_noise_line(b, s)]
    count = repeat_count(body[0], b.ctx.resolve) if len(body) == 1 else None
    if count is not None:
        loop = body[0]
        assert isinstance(loop, cst.For)
        b.set_setting("repeats", count, replace=True)
        inner = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else []
        body = [s for s in inner if not is_noise_line(b, s)]
        if isinstance(loop.body, cst.SimpleStatementSuite):
            body = [cst.SimpleStatementLine(list(loop.body.body))]
    if region.count is not None:
        b.set_setting("repeats", region.count, replace=True)
    if not body:
        raise b.unsafe(region.block[region.start], "nothing is left to time without the clocks")
    for statement in body:
        if _CONCURRENT.search(code(statement)):
            raise b.unsafe(
                statement,
                "the timed code runs a thread/process pool or an event "
                "loop: its throughput over concurrent requests is the legacy's own "
                "figure, not a per-call latency",
            )
        if find_all(statement, lambda n: is_clock_call(n, b.ctx.resolve)):
            raise b.unsafe(statement, "the timed code reads the clock again (nested timing)")
        check_movable(b, statement, "inside the timed region")
    translated = [clean_leading_lines(translate(b, s)) for s in body]
    translated[-1] = _as_return(translated[-1])
    return wrap(b, translated)


def option_map(b: Builder, plan: Plan) -> dict[str, str]:
    """Legacy flag -> param key / runner setting, for the rewritten ``__main__`` block."""
    mapping: dict[str, str] = {}
    for key, dest in b.param_dest.items():
        if key in plan.params and dest in b.ctx.options:
            mapping[b.ctx.options[dest].flag] = key
    for setting, dest in b.setting_dest.items():
        counted = plan.tier == "native" and setting in plan.settings
        if dest in b.ctx.options and (setting == "hardware" or counted):
            mapping.setdefault(b.ctx.options[dest].flag, setting)
    for dest, option in b.ctx.options.items():
        if option.role == "hardware":
            mapping.setdefault(option.flag, "hardware")
        elif dest in {"output_dir", "out_dir", "outdir", "results_dir"}:
            mapping.setdefault(option.flag, "output_dir")
    return mapping


def plan_native(ctx: FileContext, unit: Scope, region: Region, chain: Sequence[CallSite]) -> Plan:
    """The native plan of ``unit`` reached through ``chain`` (raises ``Unsafe``)."""
    b = Builder(ctx, unit)
    regions = ctx.cached(f"regions:{unit.name}", lambda: find_regions(unit, ctx))
    others = left_out(regions, region, ctx)
    b.elsewhere = {i for other in others for i in timed_statements(other)}
    b.timed_ops = region.ops
    ops = op_codes(region.ops)
    walk_callers(b, chain, ops)
    b.frame = max(len(chain) - 1, 0)
    if chain:
        bind_call(b, chain[-1], unit)
    else:
        bind_entry(b, unit)
    b.frame = len(chain)
    if unit.is_async:
        raise b.unsafe(
            unit.node, "the unit is a coroutine (async def): its awaits cannot be timed per call"
        )
    walk_frame(b, region.path, ops)
    b.post.extend(region.block[region.end :])
    execute = region_ops(b, region, ops)
    plan = Plan(unit=unit.name, kind="", line=region.line, tier="native")
    plan.items_per_call = items_per_call(b)
    plan.work = work_metrics(b)
    metric_warnings(b)
    finish(b, plan, execute)
    if region.kind == "cuda_event":  # CUDA events only time CUDA (or ROCm) devices
        plan.hardware = cuda_only(plan.hardware)
    plan.options = option_map(b, plan)
    return plan
