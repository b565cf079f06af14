"""What kind of statement a legacy line is, and whether it may move into a migrated method.

Compute contexts (``torch.no_grad()``) wrap the timed call; timer contexts are unwrapped; noise
(device syncs, logging) is dropped; :func:`check_movable` refuses statements that cannot run in
``setup()`` or ``execute()`` (early returns, ``await``, file writes, ``exec``).
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from benchmig.codemods._unit_plan import Builder
from benchmig.codemods._unit_regions import is_timer_with
from benchmig.codemods._unit_syntax import find_all, single_small
from benchmig.codemods._unit_vocab import (
    code,
    is_logging_call,
    is_sync_call,
    is_writer_call,
    qualnames_of,
)

__all__ = ["check_movable", "compute_context", "is_noise_line", "op_codes", "timer_context"]

_COMPUTE = (
    "torch.no_grad",
    "torch.inference_mode",
    "torch.enable_grad",
    "torch.set_grad_enabled",
    "torch.autocast",
    "torch.cuda.amp.autocast",
    "torch.cpu.amp.autocast",
    "torch.amp.autocast",
    "torch.backends.cuda.sdp_kernel",
    "torch.nn.attention.sdpa_kernel",
    "torch.autograd.no_grad",
    "torch.autograd.inference_mode",
    "contextlib.nullcontext",
)
_DROPPED_CALLS = ("reset_peak_memory_stats", "reset_max_memory_allocated", "empty_cache")


def compute_context(b: Builder, statement: cst.With) -> bool:
    """``with torch.no_grad():`` and friends: contexts the timed call needs around it."""
    for item in statement.items:
        node = item.item
        target = node.func if isinstance(node, cst.Call) else node
        if not any(n.startswith(_COMPUTE) for n in qualnames_of(target, b.ctx.resolve)):
            return False
    return True


def timer_context(b: Builder, statement: cst.With) -> bool:
    """``with Timer("load"):``: a secondary timer, unwrapped in setup."""
    return is_timer_with(statement, b.ctx)


def op_codes(ops: Iterable[cst.CSTNode]) -> set[str]:
    """Source text of every simple statement in the timed ops (to recognise warm-up calls)."""
    codes: set[str] = set()
    for op in ops:
        for node in find_all(op, lambda n: isinstance(n, cst.SimpleStatementLine | cst.Expr)):
            codes.add(code(node))
    return codes


def is_noise_line(b: Builder, statement: cst.CSTNode) -> bool:
    """A statement that only syncs devices or logs (dropped from setup and execute)."""
    if isinstance(statement, cst.If) and statement.orelse is None:
        body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
        return bool(body) and all(is_noise_line(b, s) for s in body)
    small = single_small(statement)
    if isinstance(statement, cst.SimpleStatementSuite | cst.SimpleStatementLine) and small is None:
        return False
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.IfExp):
        value = small.value  # `torch.cuda.synchronize() if cuda else None`
        branches = [value.body, value.orelse]
        calls = [c for c in branches if isinstance(c, cst.Call)]
        others = [c for c in branches if not isinstance(c, cst.Call)]
        noise = [cst.SimpleStatementLine([cst.Expr(c)]) for c in calls]
        return (
            bool(calls)
            and all(is_noise_line(b, n) for n in noise)
            and all(isinstance(o, cst.Name) and o.value == "None" for o in others)
        )
    if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
        return False
    call = small.value
    resolve = b.ctx.resolve
    if is_sync_call(call, resolve, b.ctx.local_syncs) or is_logging_call(call, resolve):
        return True
    return any(n.endswith(_DROPPED_CALLS) for n in qualnames_of(call, resolve))


class _Control(cst.CSTVisitor):
    def __init__(self) -> None:
        self.loops = 0
        self.found: list[tuple[cst.CSTNode, str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_For(self, node: cst.For) -> None:
        self.loops += 1

    def leave_For(self, original_node: cst.For) -> None:
        self.loops -= 1

    def visit_While(self, node: cst.While) -> None:
        self.loops += 1

    def leave_While(self, original_node: cst.While) -> None:
        self.loops -= 1

    def visit_Return(self, node: cst.Return) -> None:
        self.found.append((node, "returns early"))

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found.append((node, "yields (a generator)"))

    def visit_Await(self, node: cst.Await) -> None:
        self.found.append((node, "awaits (async code cannot run in setup()/execute())"))

    def visit_Global(self, node: cst.Global) -> None:
        self.found.append((node, "declares a global"))

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.found.append((node, "declares a nonlocal"))

    def visit_Break(self, node: cst.Break) -> None:
        if not self.loops:
            self.found.append((node, "breaks out of the legacy loop"))

    def visit_Continue(self, node: cst.Continue) -> None:
        if not self.loops:
            self.found.append((node, "skips to the next legacy loop iteration"))


def _is_target(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign)


def _is_name_in(node: cst.CSTNode, names: set[str]) -> bool:
    return isinstance(node, cst.Name) and node.value in names


def check_movable(b: Builder, statement: cst.CSTNode, where: str) -> None:
    """Raise :class:`Unsafe` when ``statement`` cannot run inside a migrated method."""
    visitor = _Control()
    statement.visit(visitor)
    if visitor.found:
        node, what = visitor.found[0]
        raise b.unsafe(node, f"the code {where} {what}")
    for target in find_all(statement, _is_target, into_defs=False):
        assert isinstance(target, cst.AssignTarget | cst.AugAssign | cst.AnnAssign)
        owner = target.target
        if isinstance(owner, cst.Attribute) and _is_name_in(owner.value, b.namespaces):
            raise b.unsafe(
                owner,
                f"the code {where} sets the option `{code(owner)}` at run time (the migrated "
                "code reads options as params); set it where the option is defined instead",
            )
    for node in find_all(statement, lambda n: isinstance(n, cst.Call), into_defs=False):
        if is_writer_call(node, b.ctx.resolve):
            raise b.unsafe(node, f"the code {where} writes files or a database: `{code(node)}`")
        names = qualnames_of(node, b.ctx.resolve)
        if names & {"exec", "eval", "builtins.exec", "builtins.eval"}:
            raise b.unsafe(node, f"the code {where} runs dynamic code (exec/eval)")


# -- pre-statements ------------------------------------------------------------------------------
