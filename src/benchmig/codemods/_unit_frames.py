"""Walk a path through legacy code towards the timed region, filling the plan's ``setup()``.

At each level the statements before the path are pre-statements (see ``_unit_pre``). The
statement on the path is a sweep (``for bs in batch_sizes`` -> a params axis), a repeat loop
(-> ``repeats``), a compute context (``with torch.no_grad()``, kept around setup and execute), or
a condition that must be known to hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from benchmig.codemods._unit_checks import compute_context, timer_context
from benchmig.codemods._unit_context import PathStep
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, ParamRef
from benchmig.codemods._unit_plan import Builder, Unsafe, config_ref, hardware_ref, jsonable
from benchmig.codemods._unit_pre import pre_statements
from benchmig.codemods._unit_regions import repeat_count
from benchmig.codemods._unit_syntax import used_names
from benchmig.codemods._unit_translate import translate
from benchmig.codemods._unit_vocab import (
    DEVICE_NAMES,
    code,
    hardware_in_text,
    natural_param_name,
    without_progress_bar,
)

__all__ = ["enter_step", "sweep", "sweep_source", "walk_frame"]


def sweep_source(node: cst.BaseExpression) -> cst.BaseExpression:
    """``[int(b) for b in args.batch_sizes.split(",")]`` -> ``args.batch_sizes``."""
    for _ in range(6):
        if isinstance(node, cst.ListComp | cst.GeneratorExp):
            node = node.for_in.iter
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and (node.func.attr.value in {"split", "items", "keys", "values", "strip"})
        ):
            node = node.func.value
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name)
            and node.args
            and (node.func.value in {"list", "sorted", "tuple", "reversed", "set"})
        ):
            node = node.args[0].value
        else:
            break
    return node


def _sweep_values(b: Builder, statement: cst.For) -> tuple[str, str | None, list[Any]]:
    target, iterable = statement.target, without_progress_bar(statement.iter, b.ctx.resolve)
    value_var: str | None = None
    if isinstance(target, cst.Tuple) and len(target.elements) == 2:
        names = [e.value for e in target.elements]
        is_items = isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        if is_items and all(isinstance(n, cst.Name) for n in names):
            assert isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
            if iterable.func.attr.value == "items":
                table = b.value(iterable.func.value)
                key, value = names
                assert isinstance(key, cst.Name) and isinstance(value, cst.Name)
                if isinstance(table, dict):
                    return key.value, value.value, list(table)
    if not isinstance(target, cst.Name):
        raise b.unsafe(statement, f"the loop `for {code(target)} in ...` unpacks several values")
    values = b.value(iterable)
    if isinstance(values, dict):
        values = list(values)
    data = jsonable(values)
    if not isinstance(data, list) or not data:
        raise b.unsafe(
            statement,
            f"the values of `for {target.value} in {code(statement.iter)}` cannot be known "
            "without running the code",
        )
    return target.value, value_var, data


def _hardware_loop(b: Builder, statement: cst.For) -> bool:
    target = statement.target
    if not isinstance(target, cst.Name):
        return False
    source = sweep_source(without_progress_bar(statement.iter, b.ctx.resolve))
    source_name = code(source) if isinstance(source, cst.Name | cst.Attribute) else None
    natural = natural_param_name(target.value, source_name)
    return target.value in DEVICE_NAMES or natural in {"hardware", "device"}


def sweep(b: Builder, statement: cst.For) -> None:
    """A loop over parameter values: one params axis (or the hardware list)."""
    try:
        var, value_var, values = _sweep_values(b, statement)
    except Unsafe:
        if not _hardware_loop(b, statement):
            raise
        # `for hw in [h for h in HARDWARE if available(h)]`: the runner skips absent hardware
        # itself, so the hardware the file knows of stands for the list built at run time.
        assert isinstance(statement.target, cst.Name)
        var, value_var, values = statement.target.value, None, []
        b.warn(
            statement,
            f"the hardware of `for {var} in {code(statement.iter)}` is chosen at run time: "
            "the registration lists the hardware the file names, and the runner skips "
            "what is not present",
        )
    iterable = without_progress_bar(statement.iter, b.ctx.resolve)
    source = sweep_source(iterable)
    source_name = code(source) if isinstance(source, cst.Name | cst.Attribute) else None
    natural = natural_param_name(var, source_name)
    dest = b.dest_of(source)
    if var in DEVICE_NAMES or natural in {"hardware", "device"}:
        known = [h for v in values for h in hardware_in_text(str(v))[:1]]
        b.hardware.extend(h for h in dict.fromkeys(known) if h not in b.hardware)
        b.hardware_vars.add(var)
        b.env[var] = UNKNOWN
        if dest is not None:
            b.setting_dest["hardware"] = dest
        b.bind(var, hardware_ref())
    else:
        key = b.add_param(natural, values, dest)
        b.bind(var, config_ref(key))
        b.env[var] = ParamRef(key)
        b.var_keys[var] = key
    if value_var is not None:
        assert isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute)
        table = iterable.func.value
        subscript = cst.Subscript(table, [cst.SubscriptElement(cst.Index(cst.Name(var)))])
        b.bind(value_var, subscript)
        b.env[value_var] = UNKNOWN


def _narrow(b: Builder, statement: cst.If, wanted: bool) -> bool:
    """``for model in MODELS: if "bert" in model: bench_bert(model)``: a dispatch on one swept
    param keeps the values for which the path's branch runs (False if it cannot be decided)."""
    names = set(used_names([statement.test]))
    refs = {n: b.env[n] for n in names if isinstance(b.env.get(n), ParamRef)}
    if len(refs) != 1:
        return False
    ((name, ref),) = refs.items()
    values = b.params.get(ref.key, [])
    kept = []
    for value in values:
        result = Evaluator({**b.env, name: value}).value(statement.test)
        if result is UNKNOWN:
            return False
        if bool(result) == wanted:
            kept.append(value)
    if not kept:
        raise b.unsafe(statement, f"the timed code runs for none of the values of {ref.key!r}")
    if len(kept) < len(values):
        b.params[ref.key] = kept
        b.warn(
            statement,
            f"`if {code(statement.test)}:` dispatches on {ref.key!r}: this benchmark keeps the "
            f"values its branch runs for ({', '.join(map(str, kept))})",
        )
    return True


def enter_step(b: Builder, step: PathStep) -> None:
    """Go through the compound statement on the path (see the module docstring)."""
    statement = step.statement
    if isinstance(statement, cst.For):
        count = repeat_count(statement, b.ctx.resolve)
        if count is not None:
            b.set_setting("repeats", count, replace=True)
        else:
            sweep(b, statement)
        return
    if isinstance(statement, cst.With):
        if timer_context(b, statement):
            return
        if compute_context(b, statement):
            header = translate(b, statement)
            assert isinstance(header, cst.With)
            b.push_wrapper(header)
            return
        raise b.unsafe(statement, f"the timed code runs inside `{code(statement.items[0])}`")
    if isinstance(statement, cst.If):
        test = b.value(statement.test)
        wanted = step.branch == "body"
        if test is not UNKNOWN and bool(test) == wanted:
            return
        if test is UNKNOWN and _narrow(b, statement, wanted):
            return
        raise b.unsafe(
            statement,
            f"the timed code runs only when `{code(statement.test)}` is "
            f"{'true' if wanted else 'false'}, which cannot be known before running it",
        )
    if isinstance(statement, cst.Try) and step.branch == "body":
        return
    raise b.unsafe(statement, "the timed code sits inside a loop or block that cannot be unrolled")


def walk_frame(
    b: Builder, path: Sequence[PathStep], ops: set[str], *, skip_top: bool = False
) -> None:
    """Pre-statements and path statements of one scope, down to the last step (exclusive).

    ``skip_top``: the scope is the module itself, whose top-level statements (imports,
    definitions) are not setup.
    """
    parsers: set[str] = set()
    for depth, step in enumerate(path):
        if depth or not skip_top:
            pre_statements(b, step.block[: step.index], ops, parsers)
        if depth < len(path) - 1:
            b.post.extend(step.block[step.index + 1 :])
            enter_step(b, step)
