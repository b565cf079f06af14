"""One benchmark name, one benchmark: rename clashes between migrated files.

Copied folders and generated files register benchmarks under the same name
(``archive/.../cnn_benchmark.py`` and ``benchmarks/cnn_benchmark.py``); loading both would stop
``migrate run`` with a duplicate-name error. After every file is rewritten, the file nearest the
root (then the first by path) keeps a name; the others get the name plus their folder
(``cnn_benchmark_benchmarks_2025_03``), written into the ``name=`` of their registration. The
renamed output goes through the same safety checks as any rewrite.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace

import libcst as cst

from benchmig.codemods._outcome import FileOutcome
from benchmig.codemods._support import call_name, keyword_arg

__all__ = ["plan_renames", "rename_registrations"]

_NON_WORD = re.compile(r"\W+")


def _qualifiers(path: str) -> list[str]:
    folders = [p for p in posixpath.dirname(path).split("/") if p]
    return ["_".join(folders[i:]) for i in range(len(folders) - 1, -1, -1)] or ["root"]


def plan_renames(outcomes: Mapping[str, FileOutcome]) -> dict[str, dict[str, str]]:
    """``path -> {old name: new name}`` for every file whose benchmark names another file
    already uses."""
    owners: dict[str, list[str]] = defaultdict(list)
    for path, outcome in outcomes.items():
        for unit in outcome.units:
            for name in unit.benchmarks:
                if path not in owners[name]:
                    owners[name].append(path)
    taken = set(owners)
    renames: dict[str, dict[str, str]] = defaultdict(dict)
    for name, paths in sorted(owners.items()):
        if len(paths) < 2:
            continue
        _keeper, *others = sorted(paths, key=lambda p: (p.count("/"), p))
        for path in others:
            new = _unique(name, path, taken)
            taken.add(new)
            renames[path][name] = new
    return dict(renames)


def _unique(name: str, path: str, taken: set[str]) -> str:
    for qualifier in _qualifiers(path):
        candidate = f"{name}_{_NON_WORD.sub('_', qualifier).strip('_')}"
        if candidate not in taken:
            return candidate
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"


class _Renamer(cst.CSTTransformer):
    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = mapping
        self.done: set[str] = set()

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        decorators = []
        for decorator in updated_node.decorators:
            call = decorator.decorator
            if isinstance(call, cst.Call) and (call_name(call.func) or "").endswith(".register"):
                call = self._rename(call, updated_node.name.value)
            decorators.append(decorator.with_changes(decorator=call))
        return updated_node.with_changes(decorators=decorators)

    def _rename(self, call: cst.Call, class_name: str) -> cst.Call:
        args = list(call.args)
        for index, arg in enumerate(args):
            named = arg.keyword is not None and arg.keyword.value == "name"
            if (named or (index == 0 and arg.keyword is None)) and isinstance(
                arg.value, cst.SimpleString
            ):
                old = arg.value.evaluated_value
                if isinstance(old, str) and old in self.mapping:
                    quote = arg.value.quote
                    args[index] = arg.with_changes(
                        value=cst.SimpleString(f"{quote}{self.mapping[old]}{quote}")
                    )
                    self.done.add(old)
                return call.with_changes(args=args)
        if any(a.keyword is not None and a.keyword.value == "name" for a in args):
            return call  # a computed name: nothing to rename safely
        if class_name in self.mapping:
            keyword = keyword_arg("name", cst.SimpleString(f'"{self.mapping[class_name]}"'))
            self.done.add(class_name)
            return call.with_changes(args=[keyword, *args])
        return call


def rename_registrations(data: bytes, mapping: Mapping[str, str]) -> tuple[bytes, set[str], str]:
    """``data`` with its registrations renamed, the old names found, and the file's encoding."""
    module = cst.parse_module(data)
    renamer = _Renamer(mapping)
    updated = module.visit(renamer)
    return updated.bytes, renamer.done, module.encoding


def renamed_outcome(
    outcome: FileOutcome, mapping: Mapping[str, str], note: Callable[[str, str], str]
) -> FileOutcome:
    """``outcome`` with its benchmark names mapped, and a warning per rename."""
    units = tuple(
        replace(u, benchmarks=tuple(mapping.get(b, b) for b in u.benchmarks)) for u in outcome.units
    )
    warnings = outcome.warnings + tuple(note(old, new) for old, new in sorted(mapping.items()))
    return replace(outcome, units=units, warnings=warnings)
