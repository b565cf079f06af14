"""Calls that hand the operation to a timing harness defined elsewhere in the tree.

A delegating script times nothing itself::

    from backends.inference_runner import InferenceRunner

    runner = InferenceRunner(args.backend, iterations=args.iterations)
    results = runner.benchmark(args.hidden_size, [int(b) for b in args.batch_sizes.split(",")])

The analysis knows that ``InferenceRunner.benchmark`` in ``backends/inference_runner.py`` times
something (``timed_functions``) and which of its parameters it sweeps (``param_sweep`` idioms).
:class:`HarnessIndex` maps such a call, through the file's imports and the local it was built
in, to a :class:`Harness`: the function's parameters read from the harness file with ``ast``
(read, never imported), its sweeps, and the unit of the numbers it returns.
"""

from __future__ import annotations

import ast
import functools
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from benchmig.analyzer import Analysis, FileFacts, FileReport
from benchmig.codemods._support import import_resolutions
from benchmig.codemods._unit_context import FileContext, Scope
from benchmig.codemods._unit_syntax import block_module, find_all
from benchmig.codemods._unit_vocab import qualnames_of

__all__ = ["Harness", "HarnessIndex", "time_unit_of", "timing_names"]

# A harness is named for what it does; a timed `run_server` or `main` is not one.
_HARNESS_NAME = re.compile(
    r"(bench|measur|profil|tim(e|ing)|latenc|throughput|perf(?!orm(?!ance))|speed)", re.I
)


@dataclass(frozen=True)
class Harness:
    """A timing function or method of the tree that a file calls with its operation."""

    path: str  # root-relative path of the file that defines it
    name: str  # "benchmark_model" or "InferenceRunner.benchmark"
    line: int
    params: tuple[str, ...]  # positional-or-keyword parameters, ``self``/``cls`` dropped
    keyword_only: tuple[str, ...]
    open_ended: bool  # takes *args or **kwargs
    swept: tuple[tuple[str, str], ...]  # (parameter, loop variable) of `for v in param:`
    time_unit: str  # of the bare numbers it returns: s, ms, us or ns
    backends: tuple[str, ...]  # hardware its file checks for (it may run on)
    returns_value: bool  # it returns something (else its numbers are printed or written)
    parses_argv: bool  # it (or a function of its file it calls) defines command-line options

    @property
    def where(self) -> str:
        """``path:line``."""
        return f"{self.path}:{self.line}"


def time_unit_of(returns: str) -> str:
    """The unit of the numbers ``return`` statements give, from their text (``* 1000``: ms)."""
    if "elapsed_time(" in returns or re.search(r"\b(1000(\.0)?|1e3|1_000)\b", returns):
        return "ms"
    if re.search(r"\b(1e6|1_000_000|1000000)\b", returns):
        return "us"
    if re.search(r"\b(1e9|1_000_000_000)\b", returns):
        return "ns"
    return "s"


@dataclass(frozen=True)
class _Signature:
    line: int
    params: tuple[str, ...]
    keyword_only: tuple[str, ...]
    open_ended: bool
    returns: str


def _signature(node: ast.FunctionDef | ast.AsyncFunctionDef, text: str, method: bool) -> _Signature:
    arguments = node.args
    params = [a.arg for a in (*arguments.posonlyargs, *arguments.args)]
    if method and params and not _is_static(node):
        params = params[1:]
    returns = [ast.get_source_segment(text, r) or "" for r in _own_returns(node)]
    return _Signature(
        node.lineno,
        tuple(params),
        tuple(a.arg for a in arguments.kwonlyargs),
        arguments.vararg is not None or arguments.kwarg is not None,
        "\n".join(returns),
    )


def _own_returns(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return]:
    """``return <value>`` statements of the function itself (not of functions it defines)."""
    found: list[ast.Return] = []
    todo: list[ast.AST] = list(node.body)
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Return) and current.value is not None:
            found.append(current)
        elif not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            todo.extend(ast.iter_child_nodes(current))
    return sorted(found, key=lambda r: (r.lineno, r.col_offset))


def _is_static(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)


@functools.lru_cache(maxsize=64)
def _signatures(file: str) -> dict[str, _Signature]:
    """Top-level functions and methods of a tree file, by name (empty if it cannot be read)."""
    try:
        data = Path(file).read_bytes()
        text = data.decode("utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the legacy code are not ours
            tree = ast.parse(text)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found: dict[str, _Signature] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            found[node.name] = _signature(node, text, method=False)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    found[f"{node.name}.{item.name}"] = _signature(item, text, method=True)
    return found


def _reached(report: FileReport, name: str) -> set[str]:
    """``name`` and the functions of its file it calls, directly or not."""
    graph = report.facts.extra.get("local_call_graph") or {}
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph.get(current, ()))
    return seen


def _timed(report: FileReport, name: str) -> bool:
    """``name`` times something, itself or through functions of its own file."""
    return bool(_reached(report, name) & set(report.facts.extra.get("timed_functions") or ()))


def timing_names(report: FileReport) -> set[str]:
    """Top-level functions and classes of a tree file that time something (a class: through
    one of its methods), directly or through functions of the same file."""
    extra = report.facts.extra
    names = set(report.facts.functions)
    names |= {
        f"{cls}.{m}" for cls, methods in (extra.get("methods") or {}).items() for m in methods
    }
    return {n.split(".", 1)[0] for n in names if _timed(report, n)}


def _parses_argv(report: FileReport, name: str) -> bool:
    reached = _reached(report, name)
    return any(i.kind == "argparse_option" and i.scope in reached for i in report.facts.idioms)


class HarnessIndex:
    """The tree harnesses one file can reach through its imports."""

    def __init__(self, analysis: Analysis, facts: FileFacts) -> None:
        self.analysis = analysis
        self.prefixes: list[tuple[str, FileReport]] = []
        for record, resolution in zip(
            facts.imports, import_resolutions(analysis, facts), strict=True
        ):
            if resolution.resolution != "exact":
                continue
            prefix = record.module  # relative imports keep their dots: ".", ".timing"
            for target in resolution.targets:
                report = analysis.by_path.get(target)
                if report is not None and report.facts.status == "ok":
                    self.prefixes.append((prefix, report))
        self.prefixes.sort(key=lambda item: -len(item[0]))

    def _locate(self, qualname: str) -> Iterable[tuple[FileReport, str]]:
        """(file, name inside it) candidates for a qualified name of this file."""
        for prefix, report in self.prefixes:
            head = prefix if prefix.endswith(".") else prefix + "."
            if not prefix or not qualname.startswith(head):
                continue
            rest = qualname[len(head) :]
            yield report, rest
            first, _, inner = rest.partition(".")
            if inner and report.facts.module.rsplit(".", 1)[-1] == first:
                yield report, inner  # `from pkg import harness; harness.run(...)`

    def harness(self, qualname: str) -> Harness | None:
        """The harness ``qualname`` names, if it is one."""
        for report, name in self._locate(qualname):
            found = self._harness(report, name)
            if found is not None:
                return found
        return None

    def tree_class(self, qualname: str) -> str | None:
        """``qualname`` as ``<file>::<class>`` when it names a class of the tree, else None."""
        for report, name in self._locate(qualname):
            if name in report.facts.classes:
                return f"{report.path}::{name}"
        return None

    def method(self, cls: str, attr: str) -> Harness | None:
        """The harness ``attr`` of a class given as ``<file>::<class>``."""
        path, _, name = cls.partition("::")
        report = self.analysis.by_path.get(path)
        return None if report is None else self._harness(report, f"{name}.{attr}")

    def _harness(self, report: FileReport, name: str) -> Harness | None:
        if not _HARNESS_NAME.search(name) or not _timed(report, name):
            return None
        signature = _signatures(str(Path(self.analysis.root, report.path))).get(name)
        if signature is None:
            return None
        swept = tuple(
            (str(i.attrs["iterable"]), str(i.attrs["variable"]))
            for i in report.facts.idioms
            if i.kind == "param_sweep"
            and i.scope == name
            and i.attrs.get("iterable") in signature.params + signature.keyword_only
            and isinstance(i.attrs.get("variable"), str)
        )
        return Harness(
            report.path,
            name,
            signature.line,
            signature.params,
            signature.keyword_only,
            signature.open_ended,
            tuple(dict.fromkeys(swept)),
            time_unit_of(signature.returns),
            tuple(
                dict.fromkeys(
                    str(b)
                    for i in report.facts.idioms
                    if i.kind == "hardware_check"
                    for b in i.attrs.get("backends") or ()
                )
            ),
            bool(signature.returns),
            _parses_argv(report, name),
        )


def receivers(index: HarnessIndex, scope: Scope, ctx: FileContext) -> dict[str, str]:
    """Locals of ``scope`` that hold an object of a tree class: name -> ``<file>::<class>``.

    A name assigned twice from different classes is left out (which one runs is not static).
    """
    found: dict[str, str | None] = {}
    for node in find_all(block_module(scope.body), _is_assign, into_defs=False):
        assert isinstance(node, cst.Assign)
        target = node.targets[0].target
        if not isinstance(target, cst.Name) or not isinstance(node.value, cst.Call):
            continue
        classes = {index.tree_class(q) for q in qualnames_of(node.value, ctx.resolve)} - {None}
        cls = next(iter(classes)) if len(classes) == 1 else None
        if target.value in found and found[target.value] != cls:
            cls = None
        found[target.value] = cls
    return {name: cls for name, cls in found.items() if cls is not None}


def _is_assign(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Assign) and len(node.targets) == 1


def harness_of_call(
    index: HarnessIndex, call: cst.Call, held: dict[str, str], ctx: FileContext
) -> Harness | None:
    """The harness ``call`` runs: a tree function, or a method of a tree object."""
    func = call.func
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
        cls = held.get(func.value.value)
        if cls is not None:
            return index.method(cls, func.attr.value)
    for qualname in sorted(qualnames_of(call, ctx.resolve)):
        found = index.harness(qualname)
        if found is not None:
            return found
    return None
