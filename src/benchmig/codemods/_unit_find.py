"""Find a file's measured units and decide each one's tier: native, adapter or manual.

A unit is a scope (function, method, ``__main__`` block) with a timed region; a unit whose region
only runs inside another unit's timed region (``one_request`` awaited by ``run_level``) belongs to
that outer unit. Each call site of a unit (up to four) gives one benchmark; the chain of callers
from the entry point (``main()``) down to the call supplies setup and parameter values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import libcst as cst

from benchmig.codemods._adapter import plan_adapter, uses_foreign_framework
from benchmig.codemods._native import plan_native
from benchmig.codemods._unit_context import MAIN, MODULE, CallSite, FileContext, Scope
from benchmig.codemods._unit_metrics import simulation_lines
from benchmig.codemods._unit_plan import Plan, Unsafe
from benchmig.codemods._unit_regions import (
    Region,
    elsewhere_in_scope,
    find_regions,
    left_out_warning,
    primary_region,
    region_rank,
    same_region,
    sequential,
    timing_helpers,
)
from benchmig.codemods._unit_syntax import block_module, find_all
from benchmig.codemods._unit_vocab import qualnames_of

__all__ = ["Unit", "attempt_chains", "chains", "find_units", "hidden_helper", "plan_unit"]

MAX_CALL_SITES = 4
_KINDS = {
    "timeit": "timeit",
    "torch_timer": "timeit",
    "cuda_event": "cuda_event",
    "helper_call": "helper_call",
}


@dataclass(frozen=True)
class Unit:
    """A scope with the timed region one benchmark is made of: its primary region, or
    (``secondary``) another one ranked like it, as when a function times three kernels."""

    scope: Scope
    region: Region
    regions: tuple[Region, ...]
    secondary: bool = False

    @property
    def kind(self) -> str:
        """``function``, ``class``, ``module``, ``timeit``, ``cuda_event`` or ``helper_call``."""
        if self.region.kind in _KINDS:
            return _KINDS[self.region.kind]
        if self.scope.cls is not None:
            return "class"
        return "module" if self.scope.name in {MAIN, MODULE} else "function"


def _calls_in(ops: Sequence[cst.CSTNode]) -> set[int]:
    return {id(n) for op in ops for n in find_all(op, lambda n: isinstance(n, cst.Call))}


def find_units(ctx: FileContext) -> list[Unit]:
    """The measured units of the file (module-level code excluded), in file order."""
    all_helpers: set[str] = ctx.cached("helpers", lambda: timing_helpers(ctx))
    helpers = {h for h in all_helpers if not ctx.callers_of(h)}
    units: dict[str, Unit] = {}
    for scope in ctx.scopes.values():
        if scope.name == MODULE or scope.name in helpers or _is_test(scope):
            continue
        regions = find_regions(scope, ctx)
        region = primary_region(regions, ctx)
        if region is not None and not _times_a_with_block(region):
            units[scope.name] = Unit(scope, region, tuple(regions))
    for name in [n for n, u in units.items() if _incidental(ctx, u, units)]:
        del units[name]
    inner = set()
    for name in units:
        sites = ctx.callers_of(name)
        if sites and all(_inside_region(site, units) for site in sites):
            inner.add(name)
    found = [u for n, u in units.items() if n not in inner]
    ctx.unit_calls = {id(c.call) for c in ctx.calls if c.callee in units}
    expanded = [
        replace(u, region=r, secondary=not same_region(r, u.region))
        for u in found
        for r in sorted([u.region, *sequential(u.regions, u.region, ctx)], key=lambda r: r.line)
    ]
    return sorted(expanded, key=lambda u: (u.scope.line, u.region.line))


def _times_a_with_block(region: Region) -> bool:
    """A region around a ``yield``: a timing context manager (``@contextmanager def
    cuda_timer()``), whose users' with-blocks are the measured code."""
    return any(find_all(op, lambda n: isinstance(n, cst.Yield)) for op in region.ops)


def _is_test(scope: Scope) -> bool:
    short = scope.name.rsplit(".", 1)[-1]
    return short.startswith("test") or (scope.cls or "").startswith("Test")


_SETUP_METHODS = ("setup", "set_up", "__init__", "load", "build", "prepare", "init", "_")


def _incidental(ctx: FileContext, unit: Unit, units: dict[str, Unit]) -> bool:
    """Only a load/build timing (one construction) in a setup-like method or a driver."""
    if region_rank(unit.region, ctx) > 0:
        return False
    short = unit.scope.name.rsplit(".", 1)[-1].lower()
    if short.startswith(_SETUP_METHODS):
        return True
    return any(c.callee in units for c in ctx.calls if c.caller == unit.scope.name)


def _inside_region(site: CallSite, units: dict[str, Unit]) -> bool:
    caller = units.get(site.caller)
    if caller is None:
        return False
    return any(id(site.call) in _calls_in(r.ops) for r in caller.regions)


def _first_chain(ctx: FileContext, name: str, seen: frozenset[str]) -> list[CallSite]:
    for site in ctx.callers_of(name):
        if site.caller in seen or site.caller == name:
            continue
        return [*_first_chain(ctx, site.caller, seen | {name}), site]
    return []


def chains(ctx: FileContext, name: str) -> list[list[CallSite]]:
    """Caller chains (entry first) for each call site of ``name``; ``[[]]`` if never called."""
    sites = ctx.callers_of(name)[:MAX_CALL_SITES]
    if not sites:
        return [[]]
    return [[*_first_chain(ctx, site.caller, frozenset({name})), site] for site in sites]


Planner = Callable[[FileContext, Scope, Region, Sequence[CallSite]], Plan]


def attempt_chains(plan: Callable[[Sequence[CallSite]], Plan], chain: list[CallSite]) -> Plan:
    """``plan`` with the full caller chain, then shorter ones when a caller frame is what is
    unsafe (raises the ``Unsafe`` that says most)."""
    error: Unsafe | None = None
    first: Unsafe | None = None
    for cut in range(len(chain) + 1):
        sub = chain[cut:]
        try:
            return plan(sub)
        except Unsafe as exc:
            first = first or exc
            if error is None or exc.frame >= len(sub):
                error = exc
            if exc.frame >= len(sub):
                break
    assert error is not None and first is not None
    # A value missing only because the chain was cut says less than the legacy path's reason.
    raise first if error.missing_value and chain else error


def _attempt(planner: Planner, ctx: FileContext, unit: Unit, chain: list[CallSite]) -> Plan:
    return attempt_chains(lambda sub: planner(ctx, unit.scope, unit.region, sub), chain)


def _reason(ctx: FileContext, exc: Unsafe, what: str) -> str:
    return f"{ctx.path}:{exc.line}: {what}: {exc.message}"


def _tiered(ctx: FileContext, unit: Unit, chain: list[CallSite]) -> Plan:
    try:
        return _attempt(plan_native, ctx, unit, chain)
    except Unsafe as exc:
        native = _reason(ctx, exc, "native extraction is not safe")
    if unit.scope.name in {MAIN, MODULE}:
        why = "an adapter would have to run the whole script; move the timed code into a function"
        return Plan(unit.scope.name, unit.kind, unit.region.line, "manual", reasons=[native, why])
    try:
        plan = _attempt(plan_adapter, ctx, unit, chain)
    except Unsafe as exc:
        adapter = _reason(ctx, exc, "the adapter is not safe either")
        return Plan(
            unit.scope.name, unit.kind, unit.region.line, "manual", reasons=[native, adapter]
        )
    plan.warnings.insert(0, f"{native}; the legacy function is called whole (adapter)")
    return plan


def _secondary(ctx: FileContext, unit: Unit, chain: list[CallSite]) -> Plan:
    """A further timed region of a scope: native, or manual (an adapter would run the whole
    scope, which the scope's primary benchmark does already)."""
    try:
        return _attempt(plan_native, ctx, unit, chain)
    except Unsafe as exc:
        native = _reason(ctx, exc, "native extraction of this timed region is not safe")
        return Plan(unit.scope.name, unit.kind, unit.region.line, "manual", reasons=[native])


_SUBPROCESS = ("subprocess.", "os.system", "os.popen", "os.spawn")
_DYNAMIC = frozenset({"exec", "eval", "builtins.exec", "builtins.eval", "compile"})


def _blocker(ctx: FileContext, unit: Unit) -> tuple[int, str] | None:
    """Why a unit must stay manual whatever the tier: foreign frameworks, scripts, exec."""
    foreign = uses_foreign_framework(ctx, unit.scope)
    if foreign is not None:
        return unit.scope.line, (
            f"{unit.scope.name} uses {foreign}; the rewrite only migrates PyTorch/NumPy code, "
            "migrate it by hand"
        )
    for node in find_all(block_module(unit.scope.body), lambda n: isinstance(n, cst.Call)):
        names = qualnames_of(node, ctx.resolve)
        if any(n.startswith(_SUBPROCESS) for n in names):
            return ctx.line_of(node), (
                "it times another script run with subprocess: an orchestrator, not a benchmark; "
                "migrate it to a suite file (the orchestrator-to-suite codemod)"
            )
        if names & _DYNAMIC:
            return ctx.line_of(node), (
                "it runs dynamic code (exec/eval): what it measures cannot be read statically; "
                "migrate it by hand"
            )
    return None


def _manual_first(ctx: FileContext, unit: Unit) -> Plan | None:
    blocker = _blocker(ctx, unit)
    if blocker is None:
        return None
    line, message = blocker
    reason = f"{ctx.path}:{line}: {message}"
    return Plan(unit.scope.name, unit.kind, unit.region.line, "manual", reasons=[reason])


def plan_unit(ctx: FileContext, unit: Unit) -> list[Plan]:
    """One plan per call site of the unit (manual plans carry the reasons)."""
    manual = _manual_first(ctx, unit)
    if manual is not None:
        return [] if unit.secondary else [manual]  # one reason per scope is enough
    plans: list[Plan] = []
    skipped = [] if unit.secondary else elsewhere_in_scope(unit.regions, unit.region, ctx)
    for chain in chains(ctx, unit.scope.name):
        plan = _secondary(ctx, unit, chain) if unit.secondary else _tiered(ctx, unit, chain)
        if skipped and plan.tier == "native":
            plan.warnings.append(left_out_warning(ctx, skipped))
        plan.kind = unit.kind
        if unit.scope.name not in {MAIN, MODULE}:
            plan.line = unit.scope.line
        scopes = [unit.scope] + [ctx.scopes[s.caller] for s in chain]
        simulated = simulation_lines(ctx, scopes + _callees(ctx, unit.scope))
        if simulated and plan.tier != "manual":
            plan.simulated = True
            plan.warnings.append(
                f"{ctx.path}:{simulated[0]}: a simulation branch fabricates numbers; the results "
                "are marked simulated and are not measurements"
            )
        plans.append(plan)
    return plans


def hidden_helper(ctx: FileContext, unit: Unit, plans: Sequence[Plan]) -> bool:
    """A timing helper whose every plan is manual (no caller here gives it an operation it can
    take): not a benchmark of its own, so its plans are shown only when the file has no other
    (they then say why nothing was migrated)."""
    helpers = ctx.cached("helpers", lambda: timing_helpers(ctx))
    return unit.scope.name in helpers and all(p.tier == "manual" for p in plans)


def _callees(ctx: FileContext, scope: Scope) -> list[Scope]:
    return [ctx.scopes[c.callee] for c in ctx.calls if c.caller == scope.name]
