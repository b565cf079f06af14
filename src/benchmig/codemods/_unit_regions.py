"""Find the timed regions of a scope: what the legacy code measures, and where it sits.

A region is one of: a clock delta (``start = clock(); <ops>; clock() - start``), a CUDA event
pair (``s.record(); <ops>; e.record()``), a context-manager timer (``with Timer(): <ops>``), or a
timing call whose callable is the operation (``timeit.timeit(lambda: op())``,
``torch.utils.benchmark.Timer(stmt=...)``, a helper ``measure(lambda: op(), n)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from benchmig.codemods._unit_calls import timing_call
from benchmig.codemods._unit_context import FileContext, PathStep, Scope
from benchmig.codemods._unit_syntax import (
    block_module,
    contains,
    find_all,
    inner_blocks,
    method_call,
    single_small,
)
from benchmig.codemods._unit_vocab import (
    QualNames,
    is_clock_call,
    is_cuda_event,
    is_logging_call,
    qualnames_of,
    without_progress_bar,
)

__all__ = [
    "Region",
    "elsewhere_in_scope",
    "find_regions",
    "is_repeat_loop",
    "is_timer_with",
    "left_out",
    "left_out_warning",
    "primary_region",
    "region_rank",
    "repeat_count",
    "same_region",
    "sequential",
    "timed_statements",
    "timing_helpers",
]

_TIMER_CM = re.compile(
    r"^(timer|timed|timing|time_block|time_it|timeit_block|stopwatch|measure|measure_time"
    r"|catchtime|cuda_timer|\w*timer)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Region:
    """One timed region of a scope."""

    kind: str  # delta | cuda_event | context_timer | timeit | torch_timer | helper_call
    path: tuple[PathStep, ...]  # last step: the region's first statement
    end: int  # index (in the last block) of the first statement after the region
    ops: tuple[cst.BaseStatement, ...]  # the timed statements as written (syncs included)
    line: int
    count: cst.BaseExpression | None = None  # repetitions given to timeit / a helper
    setup: tuple[cst.BaseStatement, ...] = ()  # timeit setup= code, Timer globals bindings
    problem: str | None = None  # why its operation cannot be extracted (a string stmt...)

    @property
    def block(self) -> Sequence[cst.BaseStatement]:
        """The statement list holding the region."""
        return self.path[-1].block

    @property
    def start(self) -> int:
        """Index of the region's first statement in :attr:`block`."""
        return self.path[-1].index


def repeat_count(statement: cst.CSTNode, resolve: QualNames) -> cst.BaseExpression | None:
    """The ``n`` of ``for _ in range(n):`` whose variable is unused (repetitions, not a sweep;
    ``trange(n)`` and ``tqdm(range(n))`` too), else None."""
    if not isinstance(statement, cst.For):
        return None
    iterable = without_progress_bar(statement.iter, resolve)
    if not isinstance(iterable, cst.Call):
        return None
    func = iterable.func
    if not isinstance(func, cst.Name) or func.value != "range" or len(iterable.args) != 1:
        return None
    count = iterable.args[0]
    if count.keyword is not None or count.star:
        return None
    target = statement.target
    if not isinstance(target, cst.Name):
        return None
    if target.value != "_" and _reads(statement.body, target.value, resolve):
        return None
    return count.value


def _reads(body: cst.BaseSuite, name: str, resolve: QualNames) -> bool:
    """Whether code in ``body`` reads ``name``, log lines aside (``print(f"trial {i}")`` does
    not make a repeat loop a sweep)."""
    for line in find_all(body, lambda n: isinstance(n, cst.SimpleStatementLine)):
        assert isinstance(line, cst.SimpleStatementLine)
        small = single_small(line)
        if isinstance(small, cst.Expr) and is_logging_call(small.value, resolve):
            continue
        if contains(line, lambda n: isinstance(n, cst.Name) and n.value == name):
            return True
    compounds = find_all(body, lambda n: isinstance(n, cst.BaseCompoundStatement))
    return any(
        contains(header, lambda n: isinstance(n, cst.Name) and n.value == name)
        for statement in compounds
        for header in _headers(statement)
    )


def _headers(statement: cst.CSTNode) -> list[cst.CSTNode]:
    """The expressions a compound statement evaluates itself (tests, iterables, items)."""
    if isinstance(statement, cst.If | cst.While):
        return [statement.test]
    if isinstance(statement, cst.For):
        return [statement.iter, statement.target]
    if isinstance(statement, cst.With):
        return list(statement.items)
    return []


def is_repeat_loop(statement: cst.CSTNode, resolve: QualNames) -> bool:
    """See :func:`repeat_count`."""
    return repeat_count(statement, resolve) is not None


def _subtracts(node: cst.CSTNode, var: str) -> bool:
    return contains(
        node,
        lambda n: (
            isinstance(n, cst.BinaryOperation)
            and isinstance(n.operator, cst.Subtract)
            and isinstance(n.right, cst.Name)
            and n.right.value == var
        ),
    )


def _clock_start(statement: cst.CSTNode, ctx: FileContext) -> str | None:
    small = single_small(statement)
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Name) and is_clock_call(small.value, ctx.resolve):
            return target.value
    return None


def _delta_end(block: Sequence[cst.BaseStatement], k: int, var: str, marks: _Marks) -> int | None:
    ctx = marks.ctx
    for j in range(k + 1, len(block)):
        statement = block[j]
        if not contains(statement, lambda n: is_clock_call(n, ctx.resolve)):
            if _subtracts(statement, var):
                return None
            continue
        end = _clock_start(statement, ctx)
        if end is not None:
            # `end = clock()`: the subtraction may come later, in an outer block; without one
            # anywhere, `var` is another region's end (`t1 = clock()` before `t0 = clock()`)
            return j if (end, var) in marks.deltas else None
        return j if _subtracts(statement, var) else None
    return None


@dataclass(frozen=True)
class _Marks:
    """What a scope's region search looks up: its CUDA events and ``end - start`` pairs."""

    ctx: FileContext
    events: frozenset[str]
    deltas: frozenset[tuple[str, str]]


def _deltas(scope: Scope) -> frozenset[tuple[str, str]]:
    """``(end, start)`` for each ``end - start`` of two names in the scope."""
    pairs = set()
    for node in find_all(block_module(scope.body), _is_subtraction):
        assert isinstance(node, cst.BinaryOperation)
        if isinstance(node.left, cst.Name) and isinstance(node.right, cst.Name):
            pairs.add((node.left.value, node.right.value))
    return frozenset(pairs)


def _is_subtraction(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Subtract)


def _record_of(statement: cst.CSTNode) -> str | None:
    small = single_small(statement)
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        owner = func.value if isinstance(func, cst.Attribute) else None
        if isinstance(owner, cst.Name) and isinstance(func, cst.Attribute):
            return owner.value if func.attr.value == "record" else None
    return None


def _events(scope: Scope, ctx: FileContext) -> set[str]:
    """Names of the scope's CUDA events: made here (``torch.cuda.Event(...)``), or given (a
    parameter) and read with ``start.elapsed_time(end)``."""
    names: set[str] = set()
    module = block_module(scope.body)
    for node in find_all(module, lambda n: isinstance(n, cst.Assign)):
        assert isinstance(node, cst.Assign)
        if is_cuda_event(node.value, ctx.resolve) and len(node.targets) == 1:
            target = node.targets[0].target
            if isinstance(target, cst.Name):
                names.add(target.value)
    for node in find_all(module, lambda n: method_call(n, "elapsed_time")):
        assert isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
        pair = [node.func.value, *(a.value for a in node.args[:1])]
        names.update(n.value for n in pair if isinstance(n, cst.Name))
    return names


def is_timer_with(statement: cst.CSTNode, ctx: FileContext) -> bool:
    """``with Timer(...):`` / ``with timed(...):`` (a context-manager timer)."""
    if not isinstance(statement, cst.With) or len(statement.items) != 1:
        return False
    item = statement.items[0].item
    if not isinstance(item, cst.Call):
        return False
    names = qualnames_of(item, ctx.resolve)
    if any(n.startswith("torch.") for n in names):
        return False
    return any(_TIMER_CM.match(n.rsplit(".", 1)[-1]) for n in names)


def _block_regions(
    block: Sequence[cst.BaseStatement], prefix: tuple[PathStep, ...], marks: _Marks
) -> list[Region]:
    ctx, events = marks.ctx, marks.events
    regions: list[Region] = []
    for k, statement in enumerate(block):
        if isinstance(statement, cst.FunctionDef | cst.ClassDef) or statement is ctx.main_guard:
            continue
        path = (*prefix, PathStep(block, k))
        line = ctx.line_of(statement)
        found: Region | None = None
        var = _clock_start(statement, ctx)
        record = _record_of(statement)
        if var is not None:
            end = _delta_end(block, k, var, marks)
            if end is not None:
                found = Region("delta", path, end, tuple(block[k + 1 : end]), line)
        elif record in events:
            end = next((j for j in range(k + 1, len(block)) if _record_of(block[j])), None)
            if end is not None:
                found = Region("cuda_event", path, end, tuple(block[k + 1 : end]), line)
        elif is_timer_with(statement, ctx):
            assert isinstance(statement, cst.With)
            body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else ()
            found = Region("context_timer", path, k + 1, tuple(body), line)
        else:
            call = timing_call(block, k, ctx)
            if call is not None:
                found = Region(call.kind, path, k + 1, call.ops, line, *call[2:])
        if found is not None:
            regions.append(found)
        for branch, inner in inner_blocks(statement):
            regions.extend(_block_regions(inner, (*prefix, PathStep(block, k, branch)), marks))
    return regions


def find_regions(scope: Scope, ctx: FileContext) -> list[Region]:
    """Every timed region of a scope, in file order (nested definitions are not searched)."""
    marks = _Marks(ctx, frozenset(_events(scope, ctx)), _deltas(scope))
    return _block_regions(scope.body, (), marks)


def region_rank(region: Region, ctx: FileContext) -> int:
    """3: timeit-like or CUDA events; 2: repeated or swept; 1: single shot; 0: one construction."""
    if region.kind in {"timeit", "torch_timer", "helper_call", "cuda_event"}:
        return 3
    in_loop = any(isinstance(step.statement, cst.For) for step in region.path[:-1])
    ops = [s for s in region.ops if not _is_sync_line(s, ctx)]
    if in_loop or (len(ops) == 1 and is_repeat_loop(ops[0], ctx.resolve)):
        return 2
    if ops and all(isinstance(single_small(s), cst.Assign) for s in ops):
        return 0  # a single construction (model load time), not the operation
    return 1


def _is_sync_line(statement: cst.CSTNode, ctx: FileContext) -> bool:
    from benchmig.codemods._unit_vocab import is_sync_call

    calls = find_all(statement, lambda n: isinstance(n, cst.Call))
    return bool(calls) and all(
        is_sync_call(c, ctx.resolve, ctx.local_syncs) or _is_available(c) for c in calls
    )


def _is_available(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "is_available"
    )


def primary_region(regions: Sequence[Region], ctx: FileContext) -> Region | None:
    """The region that is the benchmark: repeated or looped over, else the last one."""
    if not regions:
        return None
    best = max(region_rank(r, ctx) for r in regions)
    return [r for r in regions if region_rank(r, ctx) == best][-1]


def left_out(regions: Sequence[Region], taken: Region, ctx: FileContext) -> list[Region]:
    """Regions ranked like ``taken`` (the one a benchmark is made of) that neither contain it
    nor lie inside it: measurements of the same scope its benchmark leaves out."""
    rank = region_rank(taken, ctx)
    return [
        r
        for r in regions
        if not same_region(r, taken)
        and region_rank(r, ctx) == rank
        and not _inside(r, taken)
        and not _inside(taken, r)
    ]


def sequential(regions: Sequence[Region], taken: Region, ctx: FileContext) -> list[Region]:
    """The :func:`left_out` regions in the same statement list as ``taken``: timings one after
    the other (not alternatives in branches), each a benchmark of its own."""
    return [r for r in left_out(regions, taken, ctx) if r.block is taken.block]


def elsewhere_in_scope(regions: Sequence[Region], taken: Region, ctx: FileContext) -> list[Region]:
    """The :func:`left_out` regions in other statement lists than ``taken`` (alternatives in
    branches, a timing in another loop): no benchmark of their own, named in a warning."""
    return [r for r in left_out(regions, taken, ctx) if r.block is not taken.block]


def same_region(a: Region, b: Region) -> bool:
    """Whether two regions (found by separate searches) start at the same statement."""
    return a.block is b.block and a.start == b.start


def timed_statements(region: Region) -> set[int]:
    """Ids of the statements a region takes: its start, its operations and its end (the end
    clock read or event record)."""
    stop = region.end + 1 if region.kind in {"delta", "cuda_event"} else region.end
    return {id(s) for s in region.block[region.start : stop]}


def _inside(inner: Region, outer: Region) -> bool:
    ops = {id(op) for op in outer.ops}
    return any(id(step.statement) in ops for step in inner.path)


def left_out_warning(ctx: FileContext, regions: Sequence[Region]) -> str:
    """The warning for :func:`left_out` regions: they run untimed in setup, or not at all."""
    lines = ", ".join(str(r.line) for r in regions)
    return (
        f"{ctx.path}:{regions[0].line}: the scope also times other code (line(s) {lines}); "
        "only one timed region per scope becomes a benchmark: the others run untimed, in "
        "setup(); move each into a function of its own to migrate it"
    )


def timing_helpers(ctx: FileContext) -> set[str]:
    """Local functions that time what they are given (``def measure(fn, n)``, ``@contextmanager
    def timed()``): benchmarks only through a caller that gives them an operation."""
    helpers: set[str] = set()
    for scope in ctx.scopes.values():
        if scope.params is None or scope.cls is not None:
            continue
        params = {p.name.value for p in scope.params.params}
        if find_all(scope.node, lambda n: isinstance(n, cst.Yield), into_defs=False):
            helpers.add(scope.name)  # a generator (``@contextmanager`` timer)
            continue
        for region in find_regions(scope, ctx):
            nodes = [n for s in region.ops for n in find_all(s, _helper_node)]
            if any(isinstance(n, cst.Yield) or _calls_param(n, params) for n in nodes):
                helpers.add(scope.name)
    return helpers


def _helper_node(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call | cst.Yield)


def _calls_param(node: cst.CSTNode, params: set[str]) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and (node.func.value in params)
    )
