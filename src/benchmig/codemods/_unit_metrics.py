"""Metrics the legacy code computed besides time, and simulation branches that fake them.

Throughput per item (``batch_size / elapsed``) becomes ``items_per_call`` (the runner reports
``throughput_per_s``); legacy memory readings give way to the runner's ``peak_memory_mb``;
figures that need the latency (GFLOP/s) are reported as warnings. ``if simulated:`` branches that
fill numbers with ``random``/``sleep`` mark the benchmark simulated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from benchmig.codemods._unit_context import FileContext, Scope
from benchmig.codemods._unit_plan import Builder, config_ref
from benchmig.codemods._unit_syntax import BUILTINS, block_module, bound_names, find_all, used_names
from benchmig.codemods._unit_vocab import code, is_clock_call, qualnames_of

__all__ = ["items_per_call", "metric_warnings", "simulation_lines", "work_metrics"]

_THROUGHPUT = re.compile(
    r"(throughput|per_sec|per_second|_per_s$|samples_s|items_s|tokens_s|qps|fps)"
)
_MEMORY = ("memory_info", "max_memory_allocated", "memory_allocated", "getrusage", "tracemalloc")
_SIMULATION = re.compile(r"simul|fake|mock|dummy|emulat", re.IGNORECASE)


def _metric_expressions(statements: Iterable[cst.CSTNode]) -> list[tuple[str, cst.BaseExpression]]:
    found: list[tuple[str, cst.BaseExpression]] = []
    for statement in statements:
        for node in find_all(statement, lambda n: isinstance(n, cst.DictElement | cst.Assign)):
            if isinstance(node, cst.DictElement) and isinstance(node.key, cst.SimpleString):
                found.append((str(node.key.evaluated_value), node.value))
            elif isinstance(node, cst.Assign):
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        found.append((target.target.value, node.value))
    return found


def _numerator(node: cst.BaseExpression) -> cst.BaseExpression | None:
    divisions = find_all(
        node,
        lambda n: isinstance(n, cst.BinaryOperation) and isinstance(n.operator, cst.Divide),
    )
    if not divisions:
        return None
    left = divisions[0].left  # type: ignore[attr-defined]
    while isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Multiply):
        if isinstance(left.right, cst.Integer | cst.Float):
            left = left.left
        elif isinstance(left.left, cst.Integer | cst.Float):
            left = left.right
        else:
            break
    return left  # type: ignore[no-any-return]


def items_per_call(b: Builder) -> str | int | None:
    """The param key (or count) a legacy throughput divided by the elapsed time."""
    for key, value in _metric_expressions(b.post):
        if not _THROUGHPUT.search(key.lower()):
            continue
        numerator = _numerator(value)
        if isinstance(numerator, cst.Name):
            if numerator.value in b.var_keys and b.var_keys[numerator.value] in b.params:
                return b.var_keys[numerator.value]
            count = b.count(numerator)
            if count is not None and count > 0:
                return count
    return None


def metric_warnings(b: Builder) -> None:
    """Warn about legacy memory figures and rates the migration does not carry over."""
    for statement in b.post:
        for node in find_all(statement, lambda n: isinstance(n, cst.Call)):
            names = qualnames_of(node, b.ctx.resolve)
            if any(n.endswith(_MEMORY) for n in names):
                b.warn(
                    node,
                    "the legacy memory reading is replaced by the runner's peak_memory_mb "
                    "(and device memory metrics)",
                )
                break


_TIME_NAME = re.compile(r"(elapsed|time|latency|duration|secs|delta|^dt$|_s$|_ms$)", re.IGNORECASE)


def _time_names(b: Builder) -> set[str]:
    """Names the code after the region derives from the clock (``elapsed = time() - start``)."""
    names: set[str] = set()
    for statement in b.post:
        for node in find_all(statement, lambda n: isinstance(n, cst.Assign)):
            assert isinstance(node, cst.Assign)
            used = set(used_names([node.value]))
            clocked = find_all(node.value, lambda n: is_clock_call(n, b.ctx.resolve))
            if clocked or used & names:
                names.update(bound_names([node]))
    return names


class _Untimed(cst.CSTTransformer):
    """``2 * d**3 / (elapsed / n) / 1e9`` -> ``2 * d**3 / 1e9`` (drop divisions by a time)."""

    def __init__(self, time_names: set[str]) -> None:
        self.time_names = time_names

    def _timed(self, node: cst.CSTNode) -> bool:
        names = set(used_names([node]))
        return bool(names & self.time_names or any(_TIME_NAME.search(n) for n in names))

    def leave_BinaryOperation(
        self, original_node: cst.BinaryOperation, updated_node: cst.BinaryOperation
    ) -> cst.BaseExpression:
        if isinstance(original_node.operator, cst.Divide) and self._timed(original_node.right):
            return updated_node.left
        return updated_node


class _Configured(cst.CSTTransformer):
    """Swept variables read ``self.config``; any other local makes the expression unusable."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.failed = False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        key = self.b.var_keys.get(original_node.value)
        if key is not None and key in self.b.params:
            return config_ref(key)
        if original_node.value not in self.b.ctx.module_names | BUILTINS:
            self.failed = True
        return updated_node


def work_metrics(b: Builder) -> dict[str, cst.BaseExpression]:
    """Rates the legacy code computed (GFLOP/s...) as work per call, for ``process_results``."""
    found: dict[str, cst.BaseExpression] = {}
    time_names = _time_names(b)
    for key, value in _metric_expressions(b.post):
        match = re.search(r"([gtm]?flop)", key.lower())
        if match is None:
            continue
        untimed = value.visit(_Untimed(time_names))
        configured = _Configured(b)
        per_call = untimed.visit(configured) if isinstance(untimed, cst.BaseExpression) else None
        unchanged = isinstance(untimed, cst.BaseExpression) and untimed.deep_equals(value)
        if configured.failed or not isinstance(per_call, cst.BaseExpression) or unchanged:
            b.warn(value, f"{key} = {code(value)} is not migrated: derive it from latency_ms")
            continue
        found.setdefault(f"{match.group(1)}_per_call", per_call)
        b.warn(
            value,
            f"{key} depends on the latency: reported as {match.group(1)}_per_call "
            "(divide it by the latency in seconds)",
        )
    return found


def simulation_lines(ctx: FileContext, scopes: Iterable[Scope]) -> list[int]:
    """Lines of ``if``s whose branches fabricate numbers (``random``/``sleep``) in a simulation."""
    lines: list[int] = []
    for scope in scopes:
        module = block_module(scope.body)
        for node in find_all(module, lambda n: isinstance(n, cst.If | cst.IfExp)):
            test = node.test  # type: ignore[attr-defined]
            fakes = {_fake(n, ctx) for n in find_all(node, lambda n: isinstance(n, cst.Call))}
            fakes.discard("")
            if fakes and (_SIMULATION.search(code(test)) or fakes == {"random", "sleep"}):
                lines.append(ctx.line_of(node))
    return lines


def _fake(node: cst.CSTNode, ctx: FileContext) -> str:
    names = qualnames_of(node, ctx.resolve)
    if "time.sleep" in names:
        return "sleep"
    return "random" if any(n.startswith(("random.", "numpy.random.")) for n in names) else ""
