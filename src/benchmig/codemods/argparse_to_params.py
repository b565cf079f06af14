"""``argparse-to-params``: command-line options with defaults -> a benchmark parameter grid.

A legacy script's parameters live in ``parser.add_argument("--batch-sizes", default="1,2,4")``
(or absl ``flags.DEFINE_*``). Their defaults are the values the script measures by default, so
they become the grid, with canonical names (``--batch-sizes 1,2,4`` -> ``"batch_size": [1, 2,
4]``). Warm-up and repetition counts (``--warmup``, ``--runs``, ``--iterations``...) are runner
settings, not grid axes; storage and output flags (``--db-path``, ``--output-dir``,
``--format``, ``--verbose``) are left alone, and so are options without a literal default.

Where the grid goes:

* the file registers exactly one benchmark whose class reads ``self.config`` and whose
  registration has no ``params=``: there, as ``params={...}`` plus ``warmup=``/``repeats=``;
* otherwise a module-level ``PARAMS = {...}`` after the imports, for the registration (or the
  person) that migrates the script.

The options themselves stay: the legacy command line keeps working.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext

from benchmig.analyzer import FileFacts, Idiom
from benchmig.codemods._outcome import UnitOutcome
from benchmig.codemods._support import (
    FastCommand,
    call_name,
    file_facts,
    keyword_arg,
    record_unit,
    rel_path,
)

__all__ = ["ArgparseToParamsCommand", "OptionGrid", "grid_from_options", "python_literal"]

_REGISTER = "BenchmarkRegistry.register"
_SINGULAR = {
    "batch_sizes": "batch_size",
    "batches": "batch_size",
    "bs": "batch_size",
    "seq_lens": "seq_len",
    "seq_lengths": "seq_len",
    "sequence_lengths": "seq_len",
    "sequence_length": "seq_len",
    "seq_length": "seq_len",
    "models": "model",
    "model_name": "model",
    "model_names": "model",
    "precisions": "precision",
    "dtypes": "dtype",
    "frameworks": "framework",
    "kernels": "kernel",
    "resolutions": "resolution",
    "image_sizes": "image_size",
    "devices": "hardware",
    "device": "hardware",
    "backends": "backend",
    "dims": "dim",
    "sizes": "size",
}
_WARMUP = re.compile(r"^(num_)?warm_?up(_(runs|iters?|iterations|steps|rounds))?$")
_REPEATS = re.compile(
    r"^(n|num_(runs|iters?|iterations|repeats|trials)|runs|iters?|iterations|repeats?|trials|"
    r"n_(runs|iters|repeats)|benchmark_(runs|iterations))$"
)
_NOT_GRID = frozenset({"verbose", "debug", "quiet", "seed", "log_level", "help", "timeout"})
_SCRIPT_SETTINGS = frozenset({"number", "requests", "num_requests"})  # workload sizes, not axes
_OPTION_CALLS = frozenset({"add_argument", "add_option"})
_LINE_LIMIT = 88


@dataclass(frozen=True)
class OptionGrid:
    """What a script's options give: grid params, runner settings, and what was left out."""

    params: Mapping[str, list[Any]]
    settings: Mapping[str, Any]
    options: tuple[str, ...]  # the options the grid came from, as written
    skipped: tuple[str, ...]  # "--checkpoint (no literal default)", ...


def _number(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def _values(attrs: Mapping[str, Any]) -> list[Any] | None:
    default = attrs.get("default")
    if attrs.get("default_is_expression"):
        return None
    if attrs.get("is_list"):
        listed = attrs.get("list_values")
        if isinstance(listed, list) and listed:
            return list(listed)
        if isinstance(default, list) and default:
            return [_number(v) if isinstance(v, str) else v for v in default]
        if isinstance(default, str) and default:
            return [_number(v.strip()) for v in default.split(",") if v.strip()]
        return None
    if default is None or isinstance(default, list | dict):
        return None
    return [default]


def _canonical(dest: str) -> str:
    name = dest.strip("-").replace("-", "_").lower()
    return _SINGULAR.get(name, name)


def _option_idioms(facts: FileFacts) -> list[Idiom]:
    return [i for i in facts.idioms if i.kind in ("argparse_option", "absl_flag")]


def grid_from_options(facts: FileFacts, computed: frozenset[str] = frozenset()) -> OptionGrid:
    """The grid and settings of a file's options (pure: facts in, grid out).

    ``computed`` names the options (as written) whose default is an expression, not a literal.
    """
    params: dict[str, list[Any]] = {}
    settings: dict[str, Any] = {}
    options: list[str] = []
    skipped: list[str] = []
    for idiom in _option_idioms(facts):
        attrs = idiom.attrs
        written = str(attrs.get("option") or f"--{attrs.get('name', '')}")
        dest = str(attrs.get("dest") or attrs.get("name") or written)
        if attrs.get("role") == "storage" or attrs.get("positional"):
            continue
        name = _canonical(dest)
        values = None if written in computed else _values(attrs)
        if values is None:
            skipped.append(f"{written} (no literal default)")
            continue
        setting = _setting_name(name)
        if setting is not None:
            if isinstance(values[0], int | float) and not isinstance(values[0], bool):
                settings.setdefault(setting, values[0])
            continue
        if name in _NOT_GRID or attrs.get("action") in ("store_true", "store_false", "count"):
            continue
        if name in params:
            skipped.append(f"{written} (same parameter as an earlier option)")
            continue
        params[name] = values
        options.append(written)
    return OptionGrid(params, settings, tuple(options), tuple(skipped))


def _setting_name(name: str) -> str | None:
    if _WARMUP.match(name):
        return "warmup"
    if _REPEATS.match(name):
        return "repeats"
    return name if name in _SCRIPT_SETTINGS else None


def python_literal(value: Any) -> str:
    """Source text of a JSON-like value, strings in double quotes."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{python_literal(k)}: {python_literal(v)}" for k, v in value.items())
            + "}"
        )
    return repr(value)


def _grid_text(params: Mapping[str, list[Any]], indent: str, newline: str) -> str:
    flat = python_literal(dict(params))
    if len(flat) + 10 <= _LINE_LIMIT:
        return flat
    inner = indent + "    "
    items = [f"{inner}{python_literal(k)}: {python_literal(v)}," for k, v in params.items()]
    return "{" + newline + newline.join(items) + newline + indent + "}"


class ArgparseToParamsCommand(FastCommand):
    """Turn argparse/absl option defaults into a ``PARAMS`` grid or registration params."""

    NAME = "argparse-to-params"
    DESCRIPTION = "Turn argparse option defaults into a PARAMS grid or registration params."

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        self.grid = OptionGrid({}, {}, (), ())
        self.target: cst.Call | None = None  # the one registration to extend
        self.newline = "\n"

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Skip cheaply what has no grid to add, or has one already."""
        facts = file_facts(self.context, tree)
        if not _option_idioms(facts) or not grid_from_options(facts).params:
            return tree
        if _defines(tree, "PARAMS") or (b".register(" in tree.bytes and b"params=" in tree.bytes):
            return tree  # a grid is there already (ours, or the main rewrite's)
        return super().transform_module(tree)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Decide where the grid goes, then put it there (once)."""
        facts = file_facts(self.context, tree)
        self.newline = tree.default_newline
        registrations = _Registrations()
        tree.visit(registrations)
        self.grid = grid_from_options(facts, frozenset(registrations.computed))
        if not self.grid.params:
            return tree
        if registrations.calls:
            return self._into_registration(tree, registrations)
        updated = _insert_after_imports(tree, self._statement(tree))
        self._record(facts, "module", "PARAMS")
        return updated

    def _into_registration(self, tree: cst.Module, found: _Registrations) -> cst.Module:
        path = rel_path(self.context)
        if any(_has_keyword(c, "params") for c in found.calls):
            return tree
        if len(found.calls) != 1 or not found.reads_config:
            self.warn(
                f"{path}: the option grid {dict(self.grid.params)} was not added: "
                f"{len(found.calls)} registrations, or the benchmark class does not read "
                "self.config; add params=... by hand"
            )
            return tree
        self.target = found.calls[0]
        updated = super().transform_module_impl(tree)
        self._record(file_facts(self.context, tree), "registration", "params=")
        return updated

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        """Add ``params={...}`` (and missing settings) to the chosen registration."""
        if original_node is not self.target:
            return updated_node
        grid = _grid_text(self.grid.params, "", self.newline)
        extra = [keyword_arg("params", cst.parse_expression(grid))]
        for key, value in self.grid.settings.items():
            if not _has_keyword(original_node, key):
                extra.append(keyword_arg(key, cst.parse_expression(python_literal(value))))
        args = list(updated_node.args)
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(args=[*args, *extra])

    def _statement(self, tree: cst.Module) -> cst.SimpleStatementLine:
        newline = tree.default_newline
        text = f"PARAMS = {_grid_text(self.grid.params, '', newline)}{newline}"
        statement = cst.parse_statement(text, config=tree.config_for_parsing)
        assert isinstance(statement, cst.SimpleStatementLine)
        words = f"Benchmark parameter grid from the defaults of {', '.join(self.grid.options)}"
        comments = [cst.EmptyLine(comment=cst.Comment(f"# {line}")) for line in _wrap(words)]
        return statement.with_changes(leading_lines=[cst.EmptyLine(), *comments])

    def _record(self, facts: FileFacts, where: str, what: str) -> None:
        line = min(i.line for i in _option_idioms(facts))
        record_unit(
            self.context,
            UnitOutcome(
                unit="<options>",
                kind="params",
                line=line,
                tier="native",
                codemod=self.NAME,
                params=dict(self.grid.params),
                settings=dict(self.grid.settings),
                warnings=(
                    *(f"option left out of the grid: {s}" for s in self.grid.skipped),
                    f"grid written as {what} ({where})",
                ),
            ),
        )


def _wrap(text: str, width: int = 96) -> list[str]:
    lines = [""]
    for word in text.split(" "):
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def _is_literal(node: cst.BaseExpression) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings of the legacy code are not ours
            ast.literal_eval(cst.Module(body=[]).code_for_node(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


class _Registrations(cst.CSTVisitor):
    """One pass over the module: the ``BenchmarkRegistry.register(...)`` decorators, and the
    options (first flag as written) whose ``default=`` is an expression, not a literal."""

    def __init__(self) -> None:
        self.calls: list[cst.Call] = []
        self.reads_config = False
        self.computed: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else ""
        absl = name.startswith("DEFINE_")
        if name not in _OPTION_CALLS and not absl:
            return
        defaults = [a.value for a in node.args if a.keyword and a.keyword.value == "default"]
        positional = [a.value for a in node.args if a.keyword is None]
        if absl and len(positional) > 1:
            defaults.append(positional[1])
        flag = positional[0] if positional else None
        if not isinstance(flag, cst.SimpleString) or not isinstance(flag.evaluated_value, str):
            return
        if any(not _is_literal(value) for value in defaults):
            written = flag.evaluated_value
            self.computed.add(f"--{written}" if absl else written)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for decorator in node.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and (call_name(call.func) or "").endswith(_REGISTER):
                self.calls.append(call)
                source = cst.Module(body=[]).code_for_node(node)
                self.reads_config = self.reads_config or "self.config" in source


def _has_keyword(call: cst.Call, keyword: str) -> bool:
    return any(a.keyword is not None and a.keyword.value == keyword for a in call.args)


def _defines(tree: cst.Module, name: str) -> bool:
    for statement in tree.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign | cst.AnnAssign):
                    targets = (
                        [t.target for t in small.targets]
                        if isinstance(small, cst.Assign)
                        else [small.target]
                    )
                    if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                        return True
    return False


def _is_import_block(statement: cst.CSTNode) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        return all(isinstance(s, cst.Import | cst.ImportFrom) for s in statement.body)
    if isinstance(statement, cst.Try):
        body = statement.body.body
        return bool(body) and all(_is_import_block(s) or _is_flag(s) for s in body)
    return False


def _is_flag(statement: cst.CSTNode) -> bool:
    """``HAS_TORCH = True`` inside a guarded import."""
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Assign) for s in statement.body
    )


def _insert_after_imports(tree: cst.Module, statement: cst.SimpleStatementLine) -> cst.Module:
    body: Sequence[cst.BaseStatement] = tree.body
    position = 0
    for index, node in enumerate(body):
        if isinstance(node, cst.FunctionDef | cst.ClassDef | cst.If):
            break
        if _is_import_block(node) or (index == 0 and _is_docstring(node)):
            position = index + 1
    new_body = [*body[:position], statement, *body[position:]]
    return tree.with_changes(body=new_body)


def _is_docstring(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.SimpleStatementLine)
        and len(node.body) == 1
        and isinstance(node.body[0], cst.Expr)
        and isinstance(node.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )
