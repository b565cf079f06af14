"""What a loop is for: warming up, repeating a timed operation, or sweeping parameter values.

A loop is classified when the walk leaves it, from what its header names and what its body did
(see :class:`._state.LoopFrame`). Parameter sweeps may time through local helper functions
(``for bs in batch_sizes: results.append(run_one(bs))``), so they are settled at the end of the
file, when every function's timing and the argparse defaults are known.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from benchmig.analyzer._literals import literal, source, words
from benchmig.analyzer._state import FileState, LoopFrame, PendingSweep
from benchmig.analyzer._values import (
    Resolved,
    argparse_values,
    as_list,
    parameter_name,
    resolve_values,
    without_progress_bar,
)

__all__ = ["finish_loop", "settle_sweeps", "timed_around"]

_PARAM_TOKENS = words(
    "batch batches bs seq seqs sequence sequences seqlen seqlens len length lengths size "
    "sizes model models hardware hw device devices dim dims resolution resolutions shape "
    "shapes precision precisions dtype dtypes backend backends platform platforms thread "
    "threads worker workers config configs param params scenario scenarios concurrency "
    "tokens framework frameworks kernel kernels mode modes variant variants image images"
)
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


_TOKENS: dict[str, frozenset[str]] = {}  # identifiers repeat across files: split each once
_TOKENS_MAX = 100_000


def _tokens(identifier: str) -> frozenset[str]:
    found = _TOKENS.get(identifier)
    if found is None:
        found = frozenset(t for t in _CAMEL_RE.sub("_", identifier).lower().split("_") if t)
        if len(identifier) <= 64:  # long string literals are not worth keeping
            if len(_TOKENS) >= _TOKENS_MAX:
                _TOKENS.clear()
            _TOKENS[identifier] = found
    return found


def _identifiers(node: ast.AST) -> list[str]:
    """Names, attributes and string keys an expression mentions (not names it calls)."""
    found: list[str] = []
    stack: list[ast.AST] = [node]
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Name):
            found.append(child.id)
        elif isinstance(child, ast.Attribute):
            found.append(child.attr)
            stack.append(child.value)
        elif isinstance(child, ast.Constant):
            if isinstance(child.value, str):
                found.append(child.value)
        elif isinstance(child, ast.Call):
            if not isinstance(child.func, ast.Name):  # range(...), len(...): not parameters
                stack.append(child.func)
            stack.extend(child.args)
            stack.extend(k.value for k in child.keywords)
        else:
            stack.extend(ast.iter_child_nodes(child))
    return found


def _header(node: ast.For | ast.AsyncFor | ast.While) -> list[ast.expr]:
    return [node.test] if isinstance(node, ast.While) else [node.target, node.iter]


def _count(state: FileState, node: ast.For | ast.AsyncFor | ast.While) -> tuple[str, int | None]:
    """The repetition count as written, and its value when it is a literal ``range``
    (``trange(n)`` and ``tqdm(range(n))`` count as ``range(n)``)."""
    if isinstance(node, ast.While):
        return source(node.test), None
    iterator = without_progress_bar(state, node.iter)
    if (
        isinstance(iterator, ast.Call)
        and isinstance(iterator.func, ast.Name)
        and iterator.func.id == "range"
        and 1 <= len(iterator.args) <= 3
    ):
        values = [literal(a) for a in iterator.args]
        number: int | None = None
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            try:
                number = len(range(*values))
            except (ValueError, OverflowError):  # range(0, 9, 0), range(10**30)
                number = None
        text = source(iterator.args[0]) if len(iterator.args) == 1 else source(iterator)
        return text, number
    return source(node.iter), None


def _is_warmup(state: FileState, node: ast.For | ast.AsyncFor | ast.While) -> bool:
    if not state.may_warm:
        return False
    for part in _header(node):
        if any("warm" in text.lower() for text in _identifiers(part)):
            return True
    # A loop under a "# warm-up" comment (or with one on its own line).
    own = state.line_text(node.lineno)
    if "#" in own and "warm" in own.split("#", 1)[1].lower():
        return True
    previous = node.lineno - 1
    while previous > 0 and not state.line_text(previous).strip():
        previous -= 1
    above = state.line_text(previous).strip() if previous > 0 else ""
    return above.startswith("#") and "warm" in above.lower()


def finish_loop(state: FileState, frame: LoopFrame) -> None:
    """Classify a loop the walk has just left, and pass what it did to the enclosing loop."""
    node = frame.node
    loops = state.scope.loops
    if loops:
        parent = loops[-1]
        parent.nested_timing = parent.nested_timing or frame.timers > 0 or frame.nested_timing
        parent.called |= frame.called
        parent.bench_calls = parent.bench_calls or frame.bench_calls
    if _is_warmup(state, node):
        count, number = _count(state, node)
        state.emit(
            "warmup_loop", node, f"warm-up x {count}", {"count": count, "literal_count": number}
        )
        return
    if not isinstance(node, ast.While):
        sweep = _sweep(state, node)
        if sweep is not None:
            state.pending_sweeps.append(PendingSweep(frame, *sweep))
            return
    if frame.timers or frame.samples:
        _emit_repeat(state, frame, timed_around=False)
    else:
        state.scope.untimed_loops.append(frame)


def _emit_repeat(state: FileState, frame: LoopFrame, *, timed_around: bool) -> None:
    count, number = _count(state, frame.node)
    state.emit(
        "repeat_loop",
        frame.node,
        f"timed loop x {count}",
        {
            "count": count,
            "literal_count": number,
            "samples": frame.samples[0] if frame.samples else None,
            "all_samples": list(frame.samples),
            "timed_around": timed_around,
        },
        scope=frame.scope,
    )


def timed_around(state: FileState, start_line: int, end_line: int) -> int:
    """A timed region from ``start_line`` to ``end_line``: loops wholly inside it, at the same
    loop depth, are the timed repetitions (``start = clock(); for _ in range(n): f(); ...``).
    Returns how many loops it found."""
    scope = state.scope
    if not scope.untimed_loops:
        return 0
    depth = len(scope.loops)
    keep: list[LoopFrame] = []
    found = 0
    for frame in scope.untimed_loops:
        node = frame.node
        last = node.end_lineno or node.lineno
        if start_line <= node.lineno and last <= end_line and frame.depth == depth:
            _emit_repeat(state, frame, timed_around=True)
            found += 1
        elif last >= start_line:
            keep.append(frame)  # may still sit inside a later, larger region
    scope.untimed_loops = keep
    return found


def _sweep(state: FileState, node: ast.For | ast.AsyncFor) -> tuple[bool, Resolved] | None:
    """Whether the loop's variable or iterable is parameter-like, and the values it iterates;
    None if it iterates something else."""
    iterator = without_progress_bar(state, node.iter)
    is_range = (
        isinstance(iterator, ast.Call)
        and isinstance(iterator.func, ast.Name)
        and iterator.func.id == "range"
    )
    names = {t for text in _identifiers(node.target) for t in _tokens(text)}
    param_like = bool(_PARAM_TOKENS.intersection(names))
    if not param_like and not is_range:
        mentions = {t for text in _identifiers(iterator) for t in _tokens(text)}
        param_like = bool(_PARAM_TOKENS.intersection(mentions))
    if not param_like and not isinstance(
        iterator, ast.Name | ast.List | ast.Tuple | ast.Set | ast.Dict | ast.Call
    ):
        return None
    resolved = resolve_values(state, iterator)
    if not param_like and resolved.origin not in ("literal", "module_constant", "argparse"):
        return None
    return param_like, resolved


def _sweep_attrs(
    node: ast.For | ast.AsyncFor, param_like: bool, resolved: Resolved
) -> dict[str, Any]:
    iterator = node.iter
    return {
        "param_like": param_like,
        "variable": source(node.target),
        "parameter": parameter_name(node.target, iterator),
        "iterable": source(iterator),
        "values": as_list(resolved.values),
        "values_source": resolved.origin,
        "constant": resolved.constant,
        "constructor_default": resolved.constructor_default,
    }


def settle_sweeps(state: FileState) -> None:
    """Emit the parameter sweeps whose bodies time something, directly or through local calls."""
    timed = _timed_closure(state)
    for pending in state.pending_sweeps:
        frame = pending.frame
        times_locally = frame.timers > 0 or frame.nested_timing
        delegates = frame.user_calls and pending.param_like
        if not (times_locally or frame.bench_calls or frame.called & timed or delegates):
            continue
        node = frame.node
        if isinstance(node, ast.While):  # never: only for-loops are sweeps
            continue
        attrs = _sweep_attrs(node, pending.param_like, pending.resolved)
        dest = pending.resolved.dest
        if dest is not None and dest in state.argparse_defaults:
            resolved = argparse_values(state, dest)
            attrs["values"] = as_list(resolved.values)
            attrs["constant"] = resolved.constant
        state.emit(
            "param_sweep",
            node,
            f"for {attrs['variable']} in {attrs['iterable']}",
            attrs,
            scope=frame.scope,
        )


def _timed_closure(state: FileState) -> set[str]:
    """Functions that time something, or call (transitively) a local function that does."""
    timed = set(state.timed_scopes)
    changed = True
    while changed:
        changed = False
        for caller, callees in state.call_graph.items():
            if caller not in timed and callees & timed:
                timed.add(caller)
                changed = True
    return timed
