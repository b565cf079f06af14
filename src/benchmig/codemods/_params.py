"""Where a legacy script's parameter values come from: argparse/absl options and module constants.

:func:`collect_options` reads every ``add_argument(...)`` (and absl ``flags.DEFINE_*``) call of a
module into :class:`ArgOption` records with their defaults evaluated statically, comma-separated
list defaults (``--batch-sizes 1,2,4``) split and converted. :func:`module_constants` folds the
module's top-level assignments (``MODEL_DIMS = [...]``, operation tables).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, is_known
from benchmig.codemods._unit_vocab import DEVICE_NAMES

__all__ = [
    "ArgOption",
    "collect_options",
    "is_count_name",
    "is_storage_name",
    "module_constants",
    "split_list",
]

_STORAGE = re.compile(
    r"^(output|output_dir|output_file|out|out_dir|outdir|db|db_path|database|format|fmt|verbose"
    r"|quiet|debug|log_level|json|csv|save|save_results|report|report_path|plot|results_dir"
    r"|output_path|no_save|dry_run)$"
)
_COUNT = re.compile(
    r"(warm|iter|repeat|(^|_)runs?$|(^|_)reps?$|trials?$|^number$|^n$|^n_runs$|^num_runs$"
    r"|^rounds$|^measure_runs$|^steps$)"
)
_ABSL_KINDS = {
    "DEFINE_integer": int,
    "DEFINE_float": float,
    "DEFINE_string": str,
    "DEFINE_bool": bool,
    "DEFINE_boolean": bool,
    "DEFINE_enum": str,
    "DEFINE_list": list,
}


@dataclass(frozen=True)
class ArgOption:
    """One command-line option of the legacy script."""

    dest: str
    flags: tuple[str, ...]
    default: Any  # evaluated default (UNKNOWN for expressions such as a CUDA check)
    default_node: cst.BaseExpression | None = None
    is_list: bool = False
    values: tuple[Any, ...] = ()  # the list default, split and converted
    choices: tuple[Any, ...] = ()
    line: int = 0
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def flag(self) -> str:
        """The primary flag (the first long one)."""
        longs = [f for f in self.flags if f.startswith("--")]
        return longs[0] if longs else self.flags[0]

    @property
    def role(self) -> str:
        """``hardware``, ``storage``, ``count`` or ``param``."""
        if self.dest in DEVICE_NAMES:
            return "hardware"
        if is_storage_name(self.dest):
            return "storage"
        if is_count_name(self.dest):
            return "count"
        return "param"


def is_storage_name(name: str) -> bool:
    """Options that say where/how to report, not what to measure (``--output-dir``)."""
    return bool(_STORAGE.match(name.lower()))


def is_count_name(name: str) -> bool:
    """Warm-up/repetition counts (``--warmup``, ``--iterations``, ``num_runs``)."""
    return bool(_COUNT.search(name.lower()))


def split_list(text: str) -> list[Any]:
    """``"1,2,4"`` -> ``[1, 2, 4]``; ``"fp32,bf16"`` -> ``["fp32", "bf16"]``."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    for kind in (int, float):
        try:
            return [kind(p) for p in parts]
        except ValueError:
            continue
    return parts


def module_constants(module: cst.Module, upto: int | None = None) -> dict[str, Any]:
    """Top-level ``NAME = <foldable expression>`` values, folded in file order (of the first
    ``upto`` statements only: the values a call at that point sees)."""
    env: dict[str, Any] = {}
    for statement in module.body[:upto]:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Name):
                value = Evaluator(env).value(small.value)
                if value is not UNKNOWN:
                    env[target.value] = value
                else:
                    env.pop(target.value, None)
    return env


def _string_args(call: cst.Call) -> list[str]:
    flags: list[str] = []
    for arg in call.args:
        if arg.keyword is not None or not isinstance(arg.value, cst.SimpleString):
            break
        value = arg.value.evaluated_value
        if isinstance(value, str):
            flags.append(value)
    return flags


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _dest(flags: list[str], call: cst.Call) -> str | None:
    explicit = _keyword(call, "dest")
    if isinstance(explicit, cst.SimpleString) and isinstance(explicit.evaluated_value, str):
        return explicit.evaluated_value
    longs = [f for f in flags if f.startswith("--")]
    chosen = longs[0] if longs else (flags[0] if flags else None)
    if chosen is None:
        return None
    return chosen.lstrip("-").replace("-", "_") or None


def _typed(default: Any, type_node: cst.BaseExpression | None) -> Any:
    if isinstance(default, str) and isinstance(type_node, cst.Name):
        converters: dict[str, type] = {"int": int, "float": float}
        converter = converters.get(type_node.value)
        if converter is not None:
            try:
                return converter(default)
            except ValueError:
                return default
    return default


def _argparse_option(call: cst.Call, constants: Mapping[str, Any], line: int) -> ArgOption | None:
    flags = _string_args(call)
    dest = _dest(flags, call)
    if dest is None or not flags:
        return None
    evaluator = Evaluator(constants)
    action = _keyword(call, "action")
    action_name = action.evaluated_value if isinstance(action, cst.SimpleString) else None
    default_node = _keyword(call, "default")
    if default_node is not None:
        default = _typed(evaluator.value(default_node), _keyword(call, "type"))
    else:
        default = {"store_true": False, "store_false": True}.get(str(action_name))
    choices_node = _keyword(call, "choices")
    choices = evaluator.value(choices_node) if choices_node is not None else ()
    is_list = isinstance(default, str) and "," in default
    nargs = _keyword(call, "nargs")
    values: tuple[Any, ...] = ()
    if is_list:
        values = tuple(split_list(default))
    elif nargs is not None and isinstance(default, list | tuple):
        is_list, values = True, tuple(default)
    return ArgOption(
        dest=dest,
        flags=tuple(flags),
        default=default,
        default_node=default_node,
        is_list=is_list,
        values=values,
        choices=tuple(choices) if isinstance(choices, list | tuple) and is_known(choices) else (),
        line=line,
    )


def _absl_option(call: cst.Call, kind: str, constants: Mapping[str, Any], line: int) -> ArgOption:
    names = _string_args(call)
    dest = names[0] if names else ""
    default_node = call.args[1].value if len(call.args) > 1 else None
    default = Evaluator(constants).value(default_node) if default_node is not None else None
    is_list = _ABSL_KINDS[kind] is list
    values: tuple[Any, ...] = ()
    if is_list and isinstance(default, list):
        values = tuple(split_list(",".join(str(v) for v in default)))
    elif is_list and isinstance(default, str):
        values = tuple(split_list(default))
    return ArgOption(
        dest=dest,
        flags=(f"--{dest}",),
        default=default,
        default_node=default_node,
        is_list=is_list,
        values=values,
        line=line,
        extra={"absl": True},
    )


class _OptionCollector(cst.CSTVisitor):
    def __init__(self, constants: Mapping[str, Any], line_of: Callable[[cst.CSTNode], int]) -> None:
        self.constants = constants
        self.line_of = line_of
        self.options: dict[str, ArgOption] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        line = self.line_of(node)
        option: ArgOption | None = None
        if func.attr.value == "add_argument":
            option = _argparse_option(node, self.constants, line)
        elif func.attr.value in _ABSL_KINDS and _string_args(node):
            option = _absl_option(node, func.attr.value, self.constants, line)
        if option is not None:
            self.options.setdefault(option.dest, option)


def collect_options(
    module: cst.Module, constants: Mapping[str, Any], line_of: Callable[[cst.CSTNode], int]
) -> dict[str, ArgOption]:
    """Every option the module defines, by dest (the first definition wins)."""
    collector = _OptionCollector(constants, line_of)
    module.visit(collector)
    return collector.options
