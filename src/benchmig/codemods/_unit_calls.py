"""Timing calls whose callable is the operation: ``timeit``, ``torch.utils.benchmark.Timer``,
imported helpers such as ``measure(lambda: model(x), n)``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

import libcst as cst

from benchmig.codemods._unit_context import FileContext, header_nodes
from benchmig.codemods._unit_syntax import find_all
from benchmig.codemods._unit_vocab import qualnames_of

__all__ = ["CallTiming", "timing_call"]

_HELPER = re.compile(
    r"^(measure|bench|benchmark|time_?it|timed|time_fn|time_function|time_call|run_timed"
    r"|measure_latency|profile_fn)\w*$"
    r"|^(avg|mean|median|min|get|cuda|gpu|cpu|wall)_(time|latency)s?(_(ms|us|ns|s|sec))?$",
    re.IGNORECASE,
)
_COUNT_KEYWORDS = ("n", "number", "iterations", "iters", "repeats", "runs", "times", "n_iter")


class CallTiming(NamedTuple):
    """What a timing call times: its kind, operation, repetitions, setup, or why not."""

    kind: str  # timeit | torch_timer | helper_call
    ops: tuple[cst.BaseStatement, ...]
    repeats: cst.BaseExpression | None
    setup: tuple[cst.BaseStatement, ...]
    problem: str | None


def _keyword(call: cst.Call, *names: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names:
            return arg.value
    return None


def _positional(call: cst.Call, index: int) -> cst.BaseExpression | None:
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    return positional[index] if index < len(positional) else None


def _ops_of_callable(
    target: cst.BaseExpression | None,
) -> tuple[tuple[cst.BaseStatement, ...], str | None]:
    if isinstance(target, cst.Lambda) and not target.params.params:
        return (cst.SimpleStatementLine([cst.Expr(target.body)]),), None
    if isinstance(target, cst.Name | cst.Attribute):
        return (cst.SimpleStatementLine([cst.Expr(cst.Call(func=target))]),), None
    if isinstance(target, cst.SimpleString | cst.ConcatenatedString):
        text = target.evaluated_value
        if isinstance(text, str):
            try:
                return tuple(cst.parse_module(text).body), None
            except cst.ParserSyntaxError:
                return (), "its statement string does not parse"
    return (), "its timed callable is not a lambda, a name or a statement string"


def _string_setup(node: cst.BaseExpression | None) -> tuple[cst.BaseStatement, ...]:
    if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
        text = node.evaluated_value
        if isinstance(text, str) and text.strip() and text.strip() != "pass":
            try:
                return tuple(cst.parse_module(text).body)
            except cst.ParserSyntaxError:
                return ()
    return ()


def _globals_setup(node: cst.BaseExpression | None) -> tuple[cst.BaseStatement, ...]:
    if not isinstance(node, cst.Dict):
        return ()
    lines: list[cst.BaseStatement] = []
    for element in node.elements:
        if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            key = element.key.evaluated_value
            if isinstance(key, str) and key.isidentifier():
                assign = cst.Assign([cst.AssignTarget(cst.Name(key))], element.value)
                lines.append(cst.SimpleStatementLine([assign]))
    return tuple(lines)


def _call_region(call: cst.Call, ctx: FileContext) -> CallTiming | None:
    names = qualnames_of(call, ctx.resolve)
    if names & {"timeit.timeit", "timeit.repeat", "timeit.Timer"}:
        stmt = _keyword(call, "stmt") or _positional(call, 0)
        ops, problem = _ops_of_callable(stmt)
        setup = _string_setup(_keyword(call, "setup") or _positional(call, 1))
        count = _keyword(call, "repeat") if "timeit.repeat" in names else None
        count = count or _keyword(call, "number")
        return CallTiming("timeit", ops, count, setup, problem)
    if any(n.endswith("utils.benchmark.Timer") for n in names):
        ops, problem = _ops_of_callable(_keyword(call, "stmt") or _positional(call, 0))
        setup = _globals_setup(_keyword(call, "globals"))
        setup += _string_setup(_keyword(call, "setup") or _positional(call, 1))
        return CallTiming("torch_timer", ops, None, setup, problem)
    if isinstance(call.func, cst.Name) and call.func.value in ctx.scopes:
        return None  # a local helper: its own region is reached through the call chain
    short = {n.rsplit(".", 1)[-1] for n in names}
    if not any(_HELPER.match(s) for s in short):
        return None
    target = next((a.value for a in call.args if isinstance(a.value, cst.Lambda)), None)
    if target is None:
        return None
    ops, problem = _ops_of_callable(target)
    count = _keyword(call, *_COUNT_KEYWORDS) or _positional(call, 1)
    return CallTiming("helper_call", ops, count, (), problem)


def _timer_count(block: Sequence[cst.BaseStatement], k: int) -> cst.BaseExpression | None:
    """``t.timeit(50)`` / ``.timeit(number=50)`` after a Timer was built."""
    for statement in block[k : k + 3]:
        for node in find_all(statement, lambda n: isinstance(n, cst.Call)):
            assert isinstance(node, cst.Call)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "timeit":
                return _keyword(node, "number") or _positional(node, 0)
    return None


def timing_call(block: Sequence[cst.BaseStatement], k: int, ctx: FileContext) -> CallTiming | None:
    """The timing call in statement ``block[k]``, if any."""
    for header in header_nodes(block[k]):
        for node in find_all(header, lambda n: isinstance(n, cst.Call), into_defs=False):
            assert isinstance(node, cst.Call)
            found = _call_region(node, ctx)
            if found is not None:
                if found.kind in {"torch_timer", "timeit"} and found.repeats is None:
                    return found._replace(repeats=_timer_count(block, k))
                return found
    return None
