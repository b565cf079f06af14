"""Walk a path through legacy code towards the timed region, filling the plan's ``setup()``.

At each level the statements before the path are pre-statements (see ``_unit_pre``). The
statement on the path is a sweep (``for bs in batch_sizes`` -> a params axis), a repeat loop
(-> ``repeats``), a compute context (``with torch.no_grad()``, kept around setup and execute), or
a condition that must be known to hold.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from benchmig.codemods._unit_checks import compute_context, timer_context
from benchmig.codemods._unit_context import PathStep
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, ParamRef
from benchmig.codemods._unit_plan import Builder
from benchmig.codemods._unit_pre import pre_statements
from benchmig.codemods._unit_regions import repeat_count
from benchmig.codemods._unit_sweep import sweep
from benchmig.codemods._unit_syntax import used_names
from benchmig.codemods._unit_translate import translate
from benchmig.codemods._unit_vocab import code

__all__ = ["enter_step", "walk_frame"]


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
