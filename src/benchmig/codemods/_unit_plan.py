"""The plan of one migrated unit, and the state a planner fills while it walks the legacy code.

A :class:`Builder` collects the ``setup()`` statements (translated: legacy ``self`` renamed,
``args.x`` turned into params, hardware checks into ``self.hardware``), the params grid, the
runner settings and the warnings; :class:`Unsafe` says why a tier cannot be used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from benchmig.codemods._outcome import Tier
from benchmig.codemods._params import is_count_name
from benchmig.codemods._unit_context import FileContext, Scope
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, ObjectValue, is_known

__all__ = [
    "Builder",
    "Plan",
    "Unsafe",
    "config_ref",
    "hardware_ref",
    "jsonable",
    "literal",
    "py",
]


class Unsafe(Exception):
    """A tier is not safe for this unit: ``line`` and ``message`` say where and why.

    ``missing_value``: a parameter got no value, which a shorter caller chain than the legacy
    one causes by itself (the reason to report is then the full chain's).
    """

    def __init__(
        self, line: int, message: str, *, frame: int = 0, missing_value: bool = False
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.frame = frame
        self.missing_value = missing_value


@dataclass
class Plan:
    """Everything needed to write one registered benchmark (or to report a manual unit)."""

    unit: str
    kind: str
    line: int
    tier: Tier
    name: str = ""
    setup: list[cst.BaseStatement] = field(default_factory=list)
    execute: list[cst.BaseStatement] = field(default_factory=list)
    params: dict[str, list[Any]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    hardware: list[str] = field(default_factory=list)
    items_per_call: str | int | None = None
    time_unit: str | None = None  # adapter: unit of the numbers the legacy function returns
    work: dict[str, cst.BaseExpression] = field(default_factory=dict)  # native: per-call metrics
    simulated: bool = False
    warnings: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    imports: set[str] = field(default_factory=set)  # extra plain imports (argparse, asyncio)
    options: dict[str, str] = field(default_factory=dict)  # legacy flag -> param/setting


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data (tuples become lists), or UNKNOWN."""
    if not is_known(value):
        return UNKNOWN
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError):
        return UNKNOWN


def py(value: Any) -> str:
    """A JSON value as Python source (double-quoted strings, ``True``/``None``)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py(str(k))}: {py(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py(v) for v in value) + "]"
    raise TypeError(f"not a JSON value: {value!r}")


def literal(value: Any) -> cst.BaseExpression:
    """A JSON value as an expression node."""
    return cst.parse_expression(py(value))


def config_ref(key: str) -> cst.BaseExpression:
    """``self.config["key"]``."""
    return cst.parse_expression(f"self.config[{json.dumps(key)}]")


def hardware_ref() -> cst.BaseExpression:
    """``self.hardware``."""
    return cst.parse_expression("self.hardware")


def _assign(name: str, value: cst.BaseExpression) -> cst.SimpleStatementLine:
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])


class Builder:
    """Mutable planning state for one unit (see the module docstring)."""

    def __init__(self, ctx: FileContext, unit: Scope) -> None:
        self.ctx = ctx
        self.unit = unit
        self.env: dict[str, Any] = dict(ctx.constants)
        self.namespaces: set[str] = set()
        self.params: dict[str, list[Any]] = {}
        self.param_dest: dict[str, str] = {}
        self.settings: dict[str, Any] = {}
        self.setting_dest: dict[str, str] = {}
        self.hardware: list[str] = ctx.hardware()
        self.blocks: list[list[cst.BaseStatement]] = [[]]
        self.wrappers: list[cst.With] = []
        self.var_keys: dict[str, str] = {}
        self.hardware_vars: set[str] = set()
        # Statements other benchmarks of the scope time (not this one's setup), and this
        # benchmark's own timed statements (what decides which of those it still needs).
        self.elsewhere: set[int] = set()
        self.timed_ops: Sequence[cst.BaseStatement] = ()
        self.alias: str | None = None
        self.warnings: list[str] = []
        self.imports: set[str] = set()
        self.post: list[cst.BaseStatement] = []
        self.frame = 0
        self.taken: set[str] = set(ctx.module_names)
        self.origin: dict[str, str] = {}
        for name in ctx.absl_names():
            self.bind_namespace(name)

    # -- errors and notes ---------------------------------------------------------------------
    def unsafe(
        self, node: cst.CSTNode | None, message: str, *, missing_value: bool = False
    ) -> Unsafe:
        """An :class:`Unsafe` located at ``node`` in the current frame."""
        line = self.ctx.line_of(node) if node is not None else self.unit.line
        return Unsafe(line, message, frame=self.frame, missing_value=missing_value)

    def warn(self, node: cst.CSTNode | None, message: str) -> None:
        """Record a warning ``path:line: message`` (once)."""
        line = self.ctx.line_of(node) if node is not None else self.unit.line
        text = f"{self.ctx.path}:{line}: {message}"
        if text not in self.warnings:
            self.warnings.append(text)

    # -- values ------------------------------------------------------------------------------
    def value(self, node: cst.BaseExpression) -> Any:
        """The static value of ``node`` in the current environment."""
        return Evaluator(self.env).value(node)

    def count(self, node: cst.BaseExpression) -> int | None:
        """A repetition count (``range(n)``'s ``n``), when it can be known."""
        value = self.value(node)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def set_setting(self, name: str, node: cst.BaseExpression, *, replace: bool = False) -> None:
        """Record ``warmup``/``repeats`` from a count expression (first one wins)."""
        count = self.count(node)
        if count is None or (name in self.settings and not replace):
            return
        self.settings[name] = count
        dest = self.dest_of(node)
        if dest is not None:
            self.setting_dest[name] = dest

    def add_warmup(self, node: cst.BaseExpression) -> None:
        """Add a warm-up loop's count to the ``warmup`` setting (every legacy warm-up counts)."""
        count = self.count(node)
        if count is None:
            return
        self.settings["warmup"] = self.settings.get("warmup", 0) + count
        dest = self.dest_of(node)
        if dest is not None:
            self.setting_dest.setdefault("warmup", dest)

    def dest_of(self, node: cst.CSTNode) -> str | None:
        """The option dest a count or value comes from (``args.x``, a param bound to it...)."""
        for attr in _attributes(node):
            owner = attr.value
            if (
                isinstance(owner, cst.Name)
                and owner.value in self.namespaces
                and (attr.attr.value in self.ctx.options)
            ):
                return attr.attr.value
        if isinstance(node, cst.Attribute):
            owner = self.value(node.value)
            if isinstance(owner, ObjectValue) and node.attr.value in owner.origins:
                return owner.origins[node.attr.value]
        name = None
        if isinstance(node, cst.Name):
            name = node.value
        elif isinstance(node, cst.Attribute):
            name = node.attr.value
        if name is None:
            return None
        if name in self.origin:
            return self.origin[name]
        option = self.ctx.options.get(name)
        if option is not None and isinstance(node, cst.BaseExpression):
            value = self.value(node)
            if option.default == value or (option.is_list and list(option.values) == value):
                return name
        return None

    # -- params ------------------------------------------------------------------------------
    def unique_key(self, key: str) -> str:
        """A param key not used yet by another source."""
        base, index = key, 2
        while key in self.params:
            key = f"{base}_{index}"
            index += 1
        return key

    def add_param(self, key: str, values: list[Any], dest: str | None = None) -> str:
        """Register a param (reusing the key when the same values are registered again)."""
        if self.params.get(key) == values:
            return key
        key = self.unique_key(key)
        self.params[key] = values
        if dest is not None:
            self.param_dest[key] = dest
        return key

    def namespace_attr(self, name: str, attr: str, node: cst.CSTNode) -> cst.BaseExpression:
        """What ``args.attr`` becomes in migrated code."""
        option = self.ctx.options.get(attr)
        if option is None:
            raise self.unsafe(node, f"`{name}.{attr}` is not an option this script defines")
        if option.role == "hardware":
            self.setting_dest.setdefault("hardware", attr)
            return hardware_ref()
        default = jsonable(option.default)
        if default is UNKNOWN:
            if option.default_node is None:
                raise self.unsafe(node, f"option {option.flag} has no default value")
            return option.default_node
        if default is None and option.role not in {"storage", "count"}:
            self.warn(
                node,
                f"option {option.flag} has no default: the benchmark passes None where the "
                "legacy run got the value given on its command line; give the option a default",
            )
        if (
            option.role in {"storage", "count"}
            or is_count_name(attr)
            or option.is_list
            or (default is None)
        ):
            return literal(default)
        key = self.add_param(attr, [default], attr)
        return config_ref(key)

    def fresh(self, base: str) -> str:
        """A local name for migrated code that clashes with nothing in the file."""
        name = re.sub(r"\W", "_", base) or "value"
        candidate, index = name, 2
        while candidate in self.taken:
            candidate = f"{name}_{index}"
            index += 1
        self.taken.add(candidate)
        return candidate

    # -- setup statements --------------------------------------------------------------------
    def emit(self, statement: cst.BaseStatement) -> None:
        """Append a (translated) statement to the setup block being built."""
        self.blocks[-1].append(statement)

    def bind(self, name: str, value: cst.BaseExpression) -> None:
        """Emit ``name = value`` (nothing for ``x = x``)."""
        if isinstance(value, cst.Name) and value.value == name:
            return
        self.emit(_assign(name, value))

    def bind_namespace(self, name: str) -> None:
        """Make ``name`` an argparse namespace at its defaults."""
        self.namespaces.add(name)
        self.env[name] = self.ctx.namespace()

    def namespace_statement(self, name: str) -> cst.SimpleStatementLine:
        """``args = argparse.Namespace(x=..., ...)`` at the defaults (placed at setup's top)."""
        parts = []
        for dest, option in self.ctx.options.items():
            if not dest.isidentifier():
                continue
            if option.role == "hardware":
                parts.append(f"{dest}=self.hardware")
                continue
            default = jsonable(option.default)
            if default is UNKNOWN and option.default_node is not None:
                text = cst.Module([]).code_for_node(option.default_node)
            else:
                text = py(default) if default is not UNKNOWN else "None"
            parts.append(f"{dest}={text}")
        self.imports.add("argparse")
        indent = self.ctx.module.default_indent
        inner, outer = indent, ""
        if len(parts) > 2:
            body = "".join(f"\n{inner}{part}," for part in parts)
            text = f"argparse.Namespace({body}\n{outer})"
        else:
            text = f"argparse.Namespace({', '.join(parts)})"
        return _assign(name, cst.parse_expression(text))

    def push_wrapper(self, statement: cst.With) -> None:
        """Enter a compute context (``with torch.no_grad():``) for setup and execute."""
        self.wrappers.append(statement)
        self.blocks.append([])

    def pop_wrapper(self) -> None:
        """Leave the innermost compute context, wrapping the setup statements emitted in it."""
        wrapper = self.wrappers.pop()
        body = self.blocks.pop()
        if body:
            self.emit(wrapper.with_changes(body=cst.IndentedBlock(body=body)))

    def close(self) -> list[cst.BaseStatement]:
        """Close every open compute context; the setup statements."""
        saved = list(self.wrappers)
        while len(self.blocks) > 1:
            self.pop_wrapper()
        self.wrappers = saved
        return self.blocks[0]


def _attributes(node: cst.CSTNode) -> list[cst.Attribute]:
    from benchmig.codemods._unit_syntax import find_all

    found = find_all(node, lambda n: isinstance(n, cst.Attribute))
    return [n for n in found if isinstance(n, cst.Attribute)]
