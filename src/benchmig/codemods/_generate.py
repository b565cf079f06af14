"""Write planned units into the module: registered classes, imports, the ``__main__`` block.

Generated code is rendered as text in the module's own indentation and newline style and parsed
with the module's configuration, so CRLF files stay CRLF; the moved legacy statements are then
put into the method bodies as nodes (their comments come along).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import libcst as cst

from benchmig.codemods._unit_plan import Plan, py

__all__ = ["FRAMEWORK_NAMES", "class_name", "local_names", "py", "render_class", "render_main"]

FRAMEWORK_NAMES = ("BenchmarkBase", "BenchmarkRegistry", "legacy_metrics", "run_legacy_main")
_PREFIXES = ("benchmark_", "bench_", "run_", "time_", "measure_", "test_")


def local_names(defined: set[str]) -> dict[str, str]:
    """Framework name -> the name it is imported as (private alias when the module clashes)."""
    names: dict[str, str] = {}
    for name in FRAMEWORK_NAMES:
        alias = name
        if name in defined:
            alias = f"_{name}"
            index = 2
            while alias in defined:
                alias = f"_{name}_{index}"
                index += 1
        names[name] = alias
    return names


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9a-zA-Z]+", text) if part)


_GENERIC = {
    "",
    "benchmark",
    "bench",
    "main",
    "run",
    "config",
    "main_block",
    "module_block",
    "module",
}


def _stem(piece: str) -> str:
    lowered = piece.lower()
    for prefix in _PREFIXES:
        if lowered.startswith(prefix) and len(piece) > len(prefix):
            piece = piece[len(prefix) :]
            break
    return re.sub(r"(?i)_?(benchmarks?|runner|bench)$", "", piece)


def class_name(unit: str, module_name: str, taken: set[str]) -> str:
    """The generated class name: ``benchmark_cnn`` -> ``CnnBenchmark``.

    ``ModelBenchmark.run_latency`` gives ``ModelLatencyBenchmark``; generic names
    (``run_benchmark``, ``main``, a module block) take the module's name.
    """
    parts: list[str] = []
    pieces = [_stem(p) for p in unit.strip("<>").split(".")]
    if all(p.lower() in _GENERIC for p in pieces):
        pieces = [_stem(module_name.rsplit(".", 1)[-1])]
    for piece in pieces:
        camel = _camel(piece)
        if camel and (not parts or camel != parts[-1]):
            parts.append(camel)
    base = "".join(parts) + "Benchmark"
    if not base[0].isalpha():
        base = "Migrated" + base
    name = base if base not in taken else f"Migrated{base}"
    index = 2
    while name in taken:
        name = f"Migrated{base}{index}"
        index += 1
    taken.add(name)
    return name


def _keywords(plan: Plan, path: str) -> list[tuple[str, str]]:
    pairs = [
        ("name", py(plan.name)),
        ("category", py("migrated")),
        ("hardware", py(plan.hardware or ["cpu"])),
    ]
    if plan.params:
        pairs.append(("params", py(plan.params)))
    pairs.extend((key, py(value)) for key, value in plan.settings.items())
    pairs.append(("legacy_source", py(f"{path}:{plan.line}")))
    pairs.append(("tier", py(plan.tier)))
    if plan.simulated:
        pairs.append(("simulated", "True"))
    return pairs


def _body(statements: Sequence[cst.BaseStatement]) -> cst.IndentedBlock:
    if not statements:
        return cst.IndentedBlock(body=[cst.SimpleStatementLine([cst.Pass()])])
    return cst.IndentedBlock(body=list(statements))


class _Bodies(cst.CSTTransformer):
    def __init__(self, bodies: Mapping[str, Sequence[cst.BaseStatement]]) -> None:
        self.bodies = bodies

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        statements = self.bodies.get(original_node.name.value)
        if statements is None:
            return updated_node
        return updated_node.with_changes(body=_body(statements))


class _FieldQuotes(cst.CSTTransformer):
    """A string put into an f-string's field (``f"{self.config["key"]}"``) takes the quote the
    f-string does not use: before Python 3.12 a field cannot reuse its f-string's quote."""

    def __init__(self) -> None:
        self.quotes: list[str] = []

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        self.quotes.append(node.quote)
        return True

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.FormattedString:
        self.quotes.pop()
        return updated_node

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.SimpleString:
        if not self.quotes or len(self.quotes[-1]) != 1 or updated_node.quote != self.quotes[-1]:
            return updated_node
        other = "'" if updated_node.quote == '"' else '"'
        prefix = updated_node.prefix
        body = updated_node.value[len(prefix) + 1 : -1]
        if other in body or "\\" in body:
            return updated_node  # left for the output check to refuse
        return updated_node.with_changes(value=f"{prefix}{other}{body}{other}")


def render_class(
    plan: Plan, name: str, path: str, module: cst.Module, names: Mapping[str, str]
) -> cst.ClassDef:
    """The registered ``BenchmarkBase`` subclass of one plan."""
    i, nl = module.default_indent, module.default_newline
    lines = [f"@{names['BenchmarkRegistry']}.register("]
    lines += [f"{i}{key}={value}," for key, value in _keywords(plan, path)]
    lines += [")", f"class {name}({names['BenchmarkBase']}):"]
    unit = {"<module>": "module-level code", "<main>": "__main__ block"}.get(plan.unit, plan.unit)
    lines.append(f'{i}"""{unit}, migrated by benchmig ({plan.tier})."""')
    attributes = []
    if plan.items_per_call is not None:
        attributes.append(f"{i}items_per_call = {py(plan.items_per_call)}")
    if plan.simulated:
        attributes.append(f"{i}simulated = True")
    if attributes:
        lines += ["", *attributes]
    lines += [
        "",
        f"{i}def setup(self):",
        f"{i}{i}pass",
        "",
        f"{i}def execute(self):",
        f"{i}{i}pass",
    ]
    if plan.time_unit is not None:
        call = f"{names['legacy_metrics']}(raw, time_unit={py(plan.time_unit)})"
        lines += ["", f"{i}def process_results(self, raw):", f"{i}{i}return {call}"]
    elif plan.work:
        items = ", ".join(
            f"{py(k)}: {cst.Module([]).code_for_node(v)}" for k, v in plan.work.items()
        )
        lines += ["", f"{i}def process_results(self, raw):", f"{i}{i}return {{{items}}}"]
    text = nl.join(lines) + nl
    parsed = cst.parse_statement(text, config=module.config_for_parsing)
    assert isinstance(parsed, cst.ClassDef)
    updated = parsed.visit(_Bodies({"setup": plan.setup, "execute": plan.execute}))
    assert isinstance(updated, cst.ClassDef)
    updated = updated.visit(_FieldQuotes())
    assert isinstance(updated, cst.ClassDef)
    blank = cst.EmptyLine(newline=cst.Newline())
    return updated.with_changes(leading_lines=[blank, blank])


def render_main(
    benchmarks: Sequence[str],
    options: Mapping[str, str],
    module: cst.Module,
    names: Mapping[str, str],
    into: str | None = None,
) -> cst.BaseStatement:
    """``raise SystemExit(run_legacy_main([...], options={...}, description=__doc__))``, or
    with ``into``, ``<into> = run_legacy_main(...)`` (code that runs before the exit)."""
    i, nl = module.default_indent, module.default_newline
    call = names["run_legacy_main"]
    arguments = [f"{i}[", *(f"{i}{i}{py(name)}," for name in benchmarks), f"{i}],"]
    if options:
        arguments.append(f"{i}options={{")
        arguments += [f"{i}{i}{py(flag)}: {py(key)}," for flag, key in options.items()]
        arguments.append(f"{i}}},")
    arguments.append(f"{i}description=__doc__,")
    if into is None:
        lines = ["raise SystemExit(", f"{i}{call}(", *(i + a for a in arguments), f"{i})", ")"]
    else:
        lines = [f"{into} = {call}(", *arguments, ")"]
    return cst.parse_statement(nl.join(lines) + nl, config=module.config_for_parsing)
