"""Move what legacy code does before timing into ``setup()``.

Pre-statements are the statements before the path to the timed region, at every level: warm-up
loops, device syncs, logging and argument parsing are dropped (warm-up counts kept as the
``warmup`` setting), branches known at the option defaults are resolved, guards that never fire
are dropped, and everything else is translated and emitted; a statement that cannot move (an
early return, a file write, ``await``...) raises :class:`Unsafe`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import libcst as cst

from benchmig.codemods._unit_bind import object_value
from benchmig.codemods._unit_checks import (
    check_movable,
    compute_context,
    is_noise_line,
    timer_context,
)
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, ParamRef
from benchmig.codemods._unit_plan import Builder
from benchmig.codemods._unit_regions import is_repeat_loop, repeat_count
from benchmig.codemods._unit_syntax import (
    bound_names,
    find_all,
    free_names,
    is_docstring,
    single_small,
    used_names,
)
from benchmig.codemods._unit_translate import translate
from benchmig.codemods._unit_vocab import (
    code,
    is_clock_call,
    is_cuda_event,
    qualnames_of,
)

__all__ = ["pre_statements"]

_MEMORY = (
    "memory_info",
    "max_memory_allocated",
    "memory_allocated",
    "getrusage",
    "get_traced_memory",
)


def _reads_memory(b: Builder, node: cst.CSTNode) -> bool:
    calls = find_all(node, lambda n: isinstance(n, cst.Call))
    return any(n.endswith(_MEMORY) for c in calls for n in qualnames_of(c, b.ctx.resolve))


def _parser_statement(b: Builder, statement: cst.CSTNode, parsers: set[str]) -> bool:
    small = single_small(statement)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        return isinstance(func, cst.Attribute) and _name_in(func.value, parsers)
    if not isinstance(small, cst.Assign) or not isinstance(small.value, cst.Call):
        return False
    value, targets = small.value, bound_names([statement])
    names = qualnames_of(value, b.ctx.resolve)
    func = value.func
    if "argparse.ArgumentParser" in names:
        parsers.update(targets)
        return True
    if isinstance(func, cst.Attribute) and _name_in(func.value, parsers):
        if func.attr.value in {"parse_args", "parse_known_args"}:
            b.bind_namespace(targets[0])
        else:
            parsers.update(targets)
        return True
    if isinstance(func, cst.Name) and func.value in b.ctx.parse_helpers and targets:
        b.bind_namespace(targets[0])
        return True
    return False


def _name_in(node: cst.CSTNode, names: set[str]) -> bool:
    return isinstance(node, cst.Name) and node.value in names


def _is_warmup(b: Builder, statement: cst.CSTNode, ops: set[str]) -> bool:
    if not is_repeat_loop(statement, b.ctx.resolve):
        return False
    assert isinstance(statement, cst.For)
    if find_all(statement, lambda n: is_clock_call(n, b.ctx.resolve)):
        return False
    count = code(statement.iter)
    body = [s for s in _suite(statement.body) if not is_noise_line(b, s)]
    same = bool(body) and all(code(s) in ops for s in body)
    return "warm" in count.lower() or same


def _suite(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    if isinstance(suite, cst.IndentedBlock):
        return suite.body
    assert isinstance(suite, cst.SimpleStatementSuite)
    return suite.body


def _guard(b: Builder, statement: cst.If) -> bool:
    """A skip guard (``if x not in MODELS: continue``) that never fires; raises if it may."""
    body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
    if not body or statement.orelse is not None:
        return False
    last = single_small(body[-1])
    if not isinstance(last, cst.Continue | cst.Return | cst.Break):
        return False
    names = set(used_names([statement.test]))
    if names and names <= b.ctx.optional_flags():
        b.warn(
            statement,
            f"guard `if {code(statement.test)}:` on an optional import dropped: "
            "the benchmark needs what it imports",
        )
        return True
    if names & b.hardware_vars:
        b.warn(statement, "hardware guard dropped: the runner skips hardware that is not present")
        return True
    refs = {n: b.env[n] for n in names if isinstance(b.env.get(n), ParamRef)}
    envs: list[dict[str, Any]] = [b.env]
    if len(refs) == 1:
        ((name, ref),) = refs.items()
        envs = [{**b.env, name: value} for value in b.params.get(ref.key, [])]
    if envs and all(Evaluator(env).value(statement.test) is False for env in envs):
        return True
    raise b.unsafe(statement, f"a guard `if {code(statement.test)}:` may skip the measurement")


def _known_branch(b: Builder, statement: cst.If, ops: set[str], parsers: set[str]) -> bool:
    """``if args.verbose:`` at a known default: keep only the branch that runs."""
    test = b.value(statement.test)
    if test is UNKNOWN:
        return False
    branch: cst.CSTNode | None = statement.body if test else statement.orelse
    if isinstance(branch, cst.Else):
        branch = branch.body
    if isinstance(branch, cst.If):
        _pre(b, branch, ops, parsers)
    elif isinstance(branch, cst.BaseSuite):
        for inner in _suite(branch):
            _pre(b, inner, ops, parsers)
    return True


def _record(b: Builder, statement: cst.CSTNode) -> None:
    small = single_small(statement)
    for name in bound_names([statement]):
        b.env[name] = UNKNOWN
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if not isinstance(target, cst.Name):
            return
        value = small.value
        func = value.func if isinstance(value, cst.Call) else None
        if isinstance(func, cst.Name) and func.value in b.ctx.classes:
            assert isinstance(value, cst.Call)
            b.env[target.value] = object_value(b.ctx, b.env, func.value, value)
            return
        b.env[target.value] = b.value(value)


def _pre_with(b: Builder, statement: cst.With, ops: set[str], parsers: set[str]) -> bool:
    if timer_context(b, statement):
        for inner in _suite(statement.body):
            _pre(b, inner, ops, parsers)
        return True
    if compute_context(b, statement):
        header = translate(b, statement)
        assert isinstance(header, cst.With)
        b.push_wrapper(header)
        for inner in _suite(statement.body):
            _pre(b, inner, ops, parsers)
        b.pop_wrapper()
        return True
    return False


def _makes_folder(b: Builder, small: cst.CSTNode | None) -> bool:
    """``os.makedirs(out_dir, exist_ok=True)``, ``Path(out).mkdir(...)``: a statement of its own."""
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    if isinstance(call.func, cst.Attribute) and call.func.attr.value == "mkdir":
        return True
    return bool(qualnames_of(call, b.ctx.resolve) & {"os.makedirs", "os.mkdir"})


def _dropped(b: Builder, statement: cst.CSTNode, parsers: set[str]) -> bool:
    """Statements that are not setup: parsing, logging, syncs, other measurements, timers,
    creating the legacy output folder."""
    small = single_small(statement)
    if is_docstring(statement) or isinstance(small, cst.Del | cst.Pass):
        return True
    if _makes_folder(b, small):
        b.warn(
            statement,
            f"`{code(statement).strip()}` dropped: the legacy output folder is not needed "
            "(the runner writes the results)",
        )
        return True
    if _parser_statement(b, statement, parsers) or is_noise_line(b, statement):
        return True
    if find_all(statement, lambda n: id(n) in b.ctx.unit_calls):
        return True  # another measurement (a sibling call of a measured unit), not setup
    if not isinstance(small, cst.Assign):
        return False
    if is_cuda_event(small.value, b.ctx.resolve):
        return True
    if _reads_memory(b, small.value):
        b.warn(
            statement,
            "the legacy memory reading is replaced by the runner's peak_memory_mb "
            "(and device memory metrics)",
        )
        return True
    return code(small.value) in bound_names([statement])  # `x = x` (a Timer globals entry)


def _warm_up(b: Builder, statement: cst.CSTNode, ops: set[str]) -> bool:
    """Warm-up calls and loops: dropped, their counts added to the ``warmup`` setting."""
    if isinstance(single_small(statement), cst.Expr) and code(statement) in ops:
        b.settings["warmup"] = b.settings.get("warmup", 0) + 1
        return True
    if _is_warmup(b, statement, ops):
        count = repeat_count(statement, b.ctx.resolve)
        assert count is not None
        b.add_warmup(count)
        return True
    return False


def _pre(b: Builder, statement: cst.CSTNode, ops: set[str], parsers: set[str]) -> None:
    if _dropped(b, statement, parsers) or _warm_up(b, statement, ops):
        return
    if isinstance(statement, cst.With) and _pre_with(b, statement, ops, parsers):
        return
    if isinstance(statement, cst.If) and (
        _guard(b, statement) or _known_branch(b, statement, ops, parsers)
    ):
        return
    assert isinstance(statement, cst.BaseStatement)
    if not isinstance(statement, cst.FunctionDef | cst.ClassDef):
        check_movable(b, statement, "before the timed region")
    small = single_small(statement)
    if isinstance(small, cst.Assert) and b.value(small.test) is False:
        raise b.unsafe(
            statement,
            f"`assert {code(small.test)}` fails with the options at their defaults (the legacy "
            "run was given a value on the command line): give the option a default first",
        )
    _record(b, statement)
    b.emit(translate(b, statement))


def pre_statements(
    b: Builder, statements: Iterable[cst.CSTNode], ops: set[str], parsers: set[str]
) -> None:
    """Move what the legacy code does before timing into setup (see the module docstring);
    what another benchmark of the scope times stays out unless this one needs a name it binds."""
    listed = list(statements)
    for index, statement in enumerate(listed):
        if id(statement) in b.elsewhere and not _needed(b, statement, listed[index + 1 :]):
            continue
        _pre(b, statement, ops, parsers)


def _needed(b: Builder, statement: cst.CSTNode, after: Sequence[cst.CSTNode]) -> bool:
    """Whether code after ``statement`` (outside other benchmarks) or the timed operation
    reads a name it binds."""
    rest = [s for s in after if id(s) not in b.elsewhere]
    return bool(set(bound_names([statement])) & set(free_names([*rest, *b.timed_ops])))
