"""Put the planned benchmarks into the module and point its entry point at them.

Classes go just before the ``if __name__ == "__main__":`` block (or at the end); the block's body
becomes a ``run_legacy_main([...])`` call. The top-level code that drives the file's functions
(a bare ``main()`` call, a ``for size in SIZES: print(bench(size))`` loop), which would
otherwise run the legacy measurement whenever the migrated module is imported, leaves the
module: a script without a guard gets one in its place. Module-level timed blocks leave the
module too. Calls of units that stayed manual move into the new block (``_manual_calls``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst

from benchmig.codemods._generate import class_name, render_class, render_main
from benchmig.codemods._unit_context import FileContext, is_parse_args_call
from benchmig.codemods._unit_plan import Plan
from benchmig.codemods._unit_syntax import (
    BUILTINS,
    bound_names,
    find_all,
    free_names,
    single_small,
    used_names,
)

__all__ = ["apply_plans", "name_plans"]

ModulePlan = tuple[Plan, tuple[cst.BaseStatement, ...]]


def _label(unit: str) -> str:
    return {"<main>": "main_block", "<module>": "module_block"}.get(unit, unit)


def name_plans(plans: Sequence[Plan], module_name: str) -> None:
    """Give every plan a registry name unique in the file: ``<module>.<unit>[_<n>]``."""
    seen: set[str] = set()
    for plan in plans:
        base = f"{module_name}.{_label(plan.unit)}"
        name, index = base, 2
        while name in seen:
            name = f"{base}_{index}"
            index += 1
        seen.add(name)
        plan.name = name


def _entry_call(ctx: FileContext, statement: cst.BaseStatement) -> bool:
    """A bare top-level call of a local function (``main()``, ``sys.exit(main())``)."""
    return isinstance(single_small(statement), cst.Expr) and _calls_local(ctx, statement)


def _called_names(node: cst.CSTNode) -> list[str]:
    """The names ``node`` calls directly (``f(...)``), in order, once each."""
    calls = find_all(node, lambda n: isinstance(n, cst.Call))
    funcs = (c.func for c in calls if isinstance(c, cst.Call))
    return list(dict.fromkeys(f.value for f in funcs if isinstance(f, cst.Name)))


def _calls_local(ctx: FileContext, statement: cst.BaseStatement) -> bool:
    return any(name in ctx.scopes for name in _called_names(statement))


_DRIVERS = (cst.For, cst.While, cst.If, cst.With, cst.Try)


def _drives(ctx: FileContext, statement: cst.BaseStatement) -> bool:
    """A top-level loop or block that calls a local function and defines nothing."""
    if not isinstance(statement, _DRIVERS) or not _calls_local(ctx, statement):
        return False
    return not find_all(statement, lambda n: isinstance(n, cst.FunctionDef | cst.ClassDef))


def _legacy_drivers(
    ctx: FileContext, body: Sequence[cst.BaseStatement], classes: Sequence[cst.ClassDef]
) -> set[int]:
    """Top-level statements (beside the ``__main__`` guard, if any) that drive the file's local
    functions (``for size in SIZES: print(bench(size))``): run at import, they would run the legacy
    measurement whenever the migrated module is loaded, so the guard replaces them. After the
    first one, so do statements that call a local function (``result = bench(64)``) or read
    what a driver bound (``print(result)``). Empty when code that stays (or the new classes)
    reads a name one of them binds."""
    first = next((i for i, s in enumerate(body) if _entry_call(ctx, s) or _drives(ctx, s)), None)
    if first is None:
        return set()
    drivers: list[cst.BaseStatement] = []
    bound: set[str] = set()
    for statement in body[first:]:
        simple = isinstance(statement, cst.SimpleStatementLine) and not isinstance(
            single_small(statement), cst.Import | cst.ImportFrom
        )
        if (
            _entry_call(ctx, statement)
            or _drives(ctx, statement)
            or (simple and (_calls_local(ctx, statement) or bound & set(free_names([statement]))))
        ):
            drivers.append(statement)
            bound.update(bound_names([statement]))
    ids = {id(s) for s in drivers}
    kept = [s for s in body[first:] if id(s) not in ids]
    if bound & set(used_names([*kept, *classes])):
        return set()
    return ids


def _anchor(
    ctx: FileContext, kept: Sequence[cst.BaseStatement], drivers: set[int]
) -> cst.BaseStatement | None:
    """The statement the classes and the guard take the place of: the ``__main__`` block, the
    last driver, or a bare entry call (``main()``); ``None``: they go at the end."""
    if ctx.main_guard is not None:
        return ctx.main_guard
    last = [s for s in kept if id(s) in drivers][-1:]
    return next(iter(last or [s for s in kept if _entry_call(ctx, s)]), None)


def _options(plans: Sequence[Plan]) -> dict[str, str]:
    options: dict[str, str] = {}
    for plan in plans:
        for flag, key in plan.options.items():
            options.setdefault(flag, key)
    return options


def _reached(ctx: FileContext, names: Sequence[str]) -> set[str]:
    """``names`` and every module-level function they call, directly or through others."""
    reached: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached.add(name)
        scope = ctx.scopes.get(name)
        if scope is not None and scope.cls is None and name.isidentifier():
            pending += _called_names(scope.node)
    return reached


def _manual_calls(
    ctx: FileContext, plans: Sequence[Plan], entry: Sequence[cst.BaseStatement]
) -> list[cst.BaseStatement]:
    """The statements of the legacy entry point (the ``__main__`` block, or the top-level
    drivers of a script without one) that run units which stayed manual: they stay in the new
    ``__main__`` block, after the migrated benchmarks, so the script still runs them.

    A statement stays only if it calls no migrated unit (that would run the legacy measurement
    too) and reads nothing the old entry point bound (``bench_save(args.n)`` after
    ``args = parser.parse_args()``); otherwise the manual plan gets a warning saying that the
    script no longer runs it.
    """
    functions = {p.unit: p for p in plans if p.unit.isidentifier() and p.unit in ctx.scopes}
    manual = {name: p for name, p in functions.items() if p.tier == "manual"}
    if not manual or not entry:
        return []
    # What a kept call must not run again: migrated functions, and the classes of migrated
    # methods (``SumBenchmark().run()``, or ``main()`` instantiating one).
    migrated = {p.unit.split(".")[0] for p in plans if p.tier != "manual" and p.unit in ctx.scopes}
    available = (ctx.lasting_names() - set(bound_names(entry))) | BUILTINS
    kept: list[cst.BaseStatement] = []
    for statement in entry:
        # Directly or through the local functions it calls (``main()`` calling them).
        reached = _reached(ctx, _called_names(statement))
        runs = [plan for name, plan in manual.items() if name in reached]
        if not runs:
            continue
        code = cst.Module([]).code_for_node(statement).strip().splitlines()[0][:60]
        where = f"{ctx.path}:{ctx.line_of(statement)}"
        names = ", ".join(f"`{p.unit}`" for p in runs)
        why = _why_not_kept(ctx, statement, reached, migrated, available)
        if why is not None:
            message = (
                f"{where}: `{code}` (which runs {names}, left manual) is no longer run by the "
                f"script: {why}; run it by hand or migrate it"
            )
        else:
            kept.append(statement)
            message = (
                f"{where}: `{code}` stays in the new `__main__` block ({names} left manual): "
                "the script runs it after the migrated benchmarks"
            )
        for plan in runs:
            plan.warnings.append(message)
    return kept


def _why_not_kept(
    ctx: FileContext,
    statement: cst.BaseStatement,
    reached: set[str],
    migrated: set[str],
    available: set[str],
) -> str | None:
    """Why ``statement`` (which runs a manual unit) cannot stay in the new ``__main__`` block,
    or ``None`` if it can."""
    bodies = [ctx.scopes[n].node for n in sorted(reached) if n in ctx.scopes]
    if (reached | set(used_names(bodies))) & migrated:
        return "it also runs a migrated unit"  # its legacy measurement would run again
    if any(find_all(node, is_parse_args_call) for node in [statement, *bodies]):
        return "it is the script's own entry point (it parses the command line)"
    missing = sorted(set(free_names([statement])) - available)
    if missing:
        return f"it reads {', '.join(missing)} of the old entry point"
    return None


def _status_name(ctx: FileContext, kept: Sequence[cst.BaseStatement]) -> str:
    taken = ctx.module_names | set(used_names(kept)) | set(bound_names(kept))
    name, index = "exit_status", 2
    while name in taken:
        name, index = f"exit_status_{index}", index + 1
    return name


def _guard(
    ctx: FileContext,
    plans: Sequence[Plan],
    module: cst.Module,
    names: Mapping[str, str],
    manual: Sequence[cst.BaseStatement] = (),
) -> cst.If:
    """The new ``__main__`` block: the migrated benchmarks, then what runs manual units."""
    benchmarks, options = [p.name for p in plans], _options(plans)
    if manual:
        status = _status_name(ctx, manual)
        run = render_main(benchmarks, options, module, names, into=status)
        leave = cst.parse_statement(
            f"raise SystemExit({status}){module.default_newline}", config=module.config_for_parsing
        )
        body: list[cst.BaseStatement] = [run, *manual, leave]
    else:
        body = [render_main(benchmarks, options, module, names)]
    guard = ctx.main_guard
    if guard is not None and isinstance(guard.body, cst.IndentedBlock):
        lines = _spaced(guard.leading_lines)
        return guard.with_changes(body=guard.body.with_changes(body=body), leading_lines=lines)
    nl = module.default_newline
    parsed = cst.parse_statement(
        f'if __name__ == "__main__":{nl}{module.default_indent}pass{nl}',
        config=module.config_for_parsing,
    )
    assert isinstance(parsed, cst.If) and isinstance(parsed.body, cst.IndentedBlock)
    return parsed.with_changes(body=parsed.body.with_changes(body=body), leading_lines=_spaced(()))


def _spaced(lines: Sequence[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """``lines`` (a statement's leading comments and blank lines) with two blank lines first,
    as PEP 8 wants between a class and the top-level code after it."""
    result = list(lines)
    while len(result) < 2 or any(line.comment for line in result[:2]):
        result.insert(0, cst.EmptyLine(newline=cst.Newline()))
    return result


def apply_plans(
    ctx: FileContext,
    module: cst.Module,
    plans: Sequence[Plan],
    module_plans: Sequence[ModulePlan],
    names: Mapping[str, str],
) -> tuple[cst.Module, list[str]]:
    """The rewritten module and the framework names it now uses."""
    active = [p for p in plans if p.tier != "manual"]
    removed = {id(s) for plan, script in module_plans if plan.tier != "manual" for s in script}
    taken = set(ctx.module_names)
    classes = [
        render_class(p, class_name(p.unit, ctx.module_name, taken), ctx.path, module, names)
        for p in active
    ]
    kept = [s for s in module.body if id(s) not in removed]
    script = [s for s in kept if s is not ctx.main_guard]  # top-level code beside the guard
    drivers = _legacy_drivers(ctx, script, classes) if active else set()
    guard_body = ctx.main_guard.body if ctx.main_guard is not None else None
    entry: list[cst.BaseStatement] = [s for s in kept if id(s) in drivers]
    if isinstance(guard_body, cst.IndentedBlock):
        entry += guard_body.body
    guard = _guard(ctx, active, module, names, _manual_calls(ctx, plans, entry))
    anchor = _anchor(ctx, kept, drivers)
    body: list[cst.BaseStatement] = []
    for statement in kept:
        if statement is anchor:
            body.extend(classes)
            body.append(
                guard
                if anchor is ctx.main_guard
                else guard.with_changes(leading_lines=_spaced(statement.leading_lines))
            )
        elif id(statement) not in drivers:
            body.append(statement)
    if anchor is None:
        body.extend(classes)
        body.append(guard)
    used = ["BenchmarkBase", "BenchmarkRegistry", "run_legacy_main"]
    if any(p.time_unit is not None for p in active):
        used.append("legacy_metrics")
    return module.with_changes(body=body), used
