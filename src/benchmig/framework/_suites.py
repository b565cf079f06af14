"""Suite files: a named, versioned selection of benchmarks with their settings (docs/schemas.md).

A suite says where benchmarks come from (``targets``), which ones to run (by name, glob pattern or
category), with which params grid, on which hardware and with which runner settings. Loading
validates everything it can without importing any code; :func:`select_cases` then resolves the
entries against the registry the runner filled from the targets.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmig._io import read_json_document
from benchmig.errors import InputError, UnknownBenchmarkError
from benchmig.framework._registry import BenchmarkRegistry, BenchmarkSpec

__all__ = [
    "SUITE_KIND",
    "SUITE_SCHEMA_VERSION",
    "Suite",
    "SuiteEntry",
    "SuiteSelection",
    "SuiteTarget",
    "load_suite",
    "select_cases",
]

SUITE_KIND = "benchmig-suite"
SUITE_SCHEMA_VERSION = 1

# setting -> (must be a whole number, smallest value allowed, whether the smallest is allowed)
_SETTINGS: Mapping[str, tuple[bool, float, bool]] = {
    "warmup": (True, 0, True),
    "repeats": (True, 1, True),
    "processes": (True, 1, True),
    "timeout": (False, 0, False),
    "min_time": (False, 0, True),
    "max_time": (False, 0, False),
}
_SELECTORS = ("name", "pattern", "category")
_TOP_KEYS = ("schema_version", "kind", "name", "description", "targets", "defaults", "benchmarks")
_DEFAULT_KEYS = ("hardware", *_SETTINGS)
_ENTRY_KEYS = (*_SELECTORS, "params", "hardware", *_SETTINGS)

Settings = Mapping[str, int | float]


@dataclass(frozen=True)
class SuiteTarget:
    """Where benchmarks are loaded from: a file or folder (``path``) or a module name."""

    text: str
    path: Path | None = None
    module: str | None = None


@dataclass(frozen=True)
class SuiteEntry:
    """One item of ``benchmarks``: exactly one of ``name``, ``pattern``, ``category``."""

    index: int
    name: str | None = None
    pattern: str | None = None
    category: str | None = None
    params: Mapping[str, tuple[Any, ...]] | None = None
    hardware: tuple[str, ...] | None = None
    settings: Settings = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    """A loaded suite file. No ``entries`` means every benchmark registered from the targets."""

    path: Path
    name: str
    description: str = ""
    targets: tuple[SuiteTarget, ...] = ()
    hardware: tuple[str, ...] | None = None
    settings: Settings = field(default_factory=dict)
    entries: tuple[SuiteEntry, ...] = ()


@dataclass(frozen=True)
class SuiteSelection:
    """A benchmark chosen by a suite, with the grid, hardware and settings to run it with.

    ``hardware`` None means the benchmark's own list; ``settings`` hold the suite's defaults
    overlaid by the entry's own. ``entry_index`` is None when the suite lists no entries.
    """

    spec: BenchmarkSpec
    params_grid: Mapping[str, tuple[Any, ...]]
    hardware: tuple[str, ...] | None
    settings: Settings
    entry_index: int | None = None

    def cases(self) -> list[dict[str, Any]]:
        """Every combination of ``params_grid``, in declaration order (one empty dict if none)."""
        keys = list(self.params_grid)
        combos = itertools.product(*(self.params_grid[k] for k in keys))
        return [dict(zip(keys, values, strict=True)) for values in combos]


def load_suite(path: Path | str) -> Suite:
    """Read and validate a suite file; every mistake is an :class:`InputError` naming the field."""
    source = Path(path)
    doc = read_json_document(
        source, kind=SUITE_KIND, current_version=SUITE_SCHEMA_VERSION, upgrades={}
    )
    where = str(source)
    _reject_unknown(doc, _TOP_KEYS, where, "")
    defaults = doc.get("defaults", {})
    _expect(isinstance(defaults, Mapping), where, "defaults", "must be an object", defaults)
    _reject_unknown(defaults, _DEFAULT_KEYS, where, "defaults.")
    return Suite(
        path=source,
        name=_text(doc.get("name"), where, "name"),
        description=_text(doc.get("description", ""), where, "description", empty_ok=True),
        targets=_targets(doc.get("targets", []), source, where),
        hardware=_hardware(defaults.get("hardware"), where, "defaults.hardware"),
        settings=_settings(defaults, where, "defaults."),
        entries=_entries(doc.get("benchmarks"), where),
    )


def select_cases(suite: Suite, registry: BenchmarkRegistry) -> list[SuiteSelection]:
    """Resolve the suite's entries against ``registry``, in entry order.

    A benchmark named by a ``name`` entry is left out of every ``pattern``/``category`` entry, and
    one matched by several of those is kept at the first. ``name`` entries always apply, so two
    of them may run one benchmark with two grids.
    """
    if not suite.entries:
        if not len(registry):
            raise InputError(f"{suite.path}: the suite's targets register no benchmark")
        return [SuiteSelection(s, dict(s.params), suite.hardware, suite.settings) for s in registry]
    named = {entry.name for entry in suite.entries if entry.name is not None}
    taken: set[str] = set()
    selections: list[SuiteSelection] = []
    for entry in suite.entries:
        specs = _match(suite, entry, registry)
        if entry.name is None:
            specs = [s for s in specs if s.name not in named and s.name not in taken]
            taken.update(s.name for s in specs)
        selections.extend(_selection(suite, entry, spec) for spec in specs)
    return selections


def _match(suite: Suite, entry: SuiteEntry, registry: BenchmarkRegistry) -> list[BenchmarkSpec]:
    where = f"{suite.path}: benchmarks[{entry.index}]"
    if entry.name is not None:
        try:
            return [registry.get(entry.name)]
        except UnknownBenchmarkError as exc:
            raise UnknownBenchmarkError(f"{where}.name: {exc}") from None
    if entry.pattern is not None:
        specs = registry.filter(pattern=entry.pattern)
        what, known = f"pattern {entry.pattern!r}", registry.list_benchmarks()
    else:
        specs = registry.filter(category=entry.category)
        what, known = f"category {entry.category!r}", sorted({s.category for s in registry})
    if not specs:
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "") or "none"
        raise InputError(
            f"{where}: {what} matches no registered benchmark (registered: {listed}); "
            "fix the entry or add the module that defines it to 'targets'"
        )
    return specs


def _selection(suite: Suite, entry: SuiteEntry, spec: BenchmarkSpec) -> SuiteSelection:
    grid = dict(spec.params)
    for param, values in (entry.params or {}).items():
        if param not in spec.params:
            declared = ", ".join(spec.params) or "none"
            raise InputError(
                f"{suite.path}: benchmarks[{entry.index}].params.{param}: benchmark "
                f"{spec.name!r} ({spec.location}) has no param {param!r} (it declares: "
                f"{declared}); only declared params can be overridden"
            )
        grid[param] = values
    hardware = entry.hardware if entry.hardware is not None else suite.hardware
    return SuiteSelection(spec, grid, hardware, {**suite.settings, **entry.settings}, entry.index)


# -- validation of the parsed JSON --------------------------------------------------------------


def _expect(ok: bool, where: str, field_name: str, rule: str, value: Any) -> None:
    if not ok:
        raise InputError(f"{where}: {field_name}: {rule}, got {value!r}")


def _reject_unknown(data: Mapping[str, Any], allowed: Collection[str], where: str, at: str) -> None:
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            raise InputError(f"{where}: {at}{key}: unknown field; {hint}")


def _text(value: Any, where: str, field_name: str, *, empty_ok: bool = False) -> str:
    ok = isinstance(value, str) and (empty_ok or bool(value.strip()))
    _expect(
        ok,
        where,
        field_name,
        "must be a string" if empty_ok else "must be a non-empty string",
        value,
    )
    return str(value)


def _targets(value: Any, source: Path, where: str) -> tuple[SuiteTarget, ...]:
    _expect(isinstance(value, list), where, "targets", "must be a list of paths or modules", value)
    return tuple(_target(item, source, where, i) for i, item in enumerate(value))


def _target(item: Any, source: Path, where: str, index: int) -> SuiteTarget:
    at = f"targets[{index}]"
    text = _text(item, where, at)
    candidate = source.parent / text
    if "/" in text or "\\" in text or text.endswith(".py") or candidate.exists():
        if not candidate.exists():
            raise InputError(
                f"{where}: {at}: {text!r} does not exist (looked for {candidate.absolute()}); "
                "paths are relative to the suite file's folder"
            )
        return SuiteTarget(text, path=candidate.resolve())
    is_module = all(part.isidentifier() for part in text.split("."))
    _expect(is_module, where, at, "must be an existing path or a module name", text)
    return SuiteTarget(text, module=text)


def _hardware(value: Any, where: str, field_name: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    ok = isinstance(value, list) and bool(value)
    ok = ok and all(isinstance(h, str) and h.strip() for h in value)
    _expect(
        ok, where, field_name, 'must be a non-empty list of device names ("cpu", "cuda")', value
    )
    return tuple(h.strip().lower() for h in value)


def _settings(data: Mapping[str, Any], where: str, at: str) -> dict[str, int | float]:
    settings: dict[str, int | float] = {}
    for name, (whole, least, least_ok) in _SETTINGS.items():
        if name not in data:
            continue
        value = data[name]
        kind = int if whole else int | float
        ok = isinstance(value, kind) and not isinstance(value, bool)
        ok = ok and (value >= least if least_ok else value > least)
        bound = f">= {least:g}" if least_ok else f"> {least:g}"
        rule = f"must be {'a whole number' if whole else 'a number'} {bound}"
        _expect(ok, where, f"{at}{name}", rule, value)
        settings[name] = value
    return settings


def _entries(value: Any, where: str) -> tuple[SuiteEntry, ...]:
    if value is None:
        return ()
    ok = isinstance(value, list) and bool(value)
    rule = "must be a non-empty list (leave it out to run every benchmark of the targets)"
    _expect(ok, where, "benchmarks", rule, value)
    return tuple(_entry(item, where, index) for index, item in enumerate(value))


def _entry(item: Any, where: str, index: int) -> SuiteEntry:
    at = f"benchmarks[{index}]"
    _expect(isinstance(item, Mapping), where, at, "must be an object", item)
    _reject_unknown(item, _ENTRY_KEYS, where, f"{at}.")
    chosen = [key for key in _SELECTORS if key in item]
    rule = 'must have exactly one of "name", "pattern", "category"'
    _expect(len(chosen) == 1, where, at, rule, sorted(item))
    selector = chosen[0]
    return SuiteEntry(
        index=index,
        **{selector: _text(item[selector], where, f"{at}.{selector}")},
        params=_params(item.get("params"), where, f"{at}.params"),
        hardware=_hardware(item.get("hardware"), where, f"{at}.hardware"),
        settings=_settings(item, where, f"{at}."),
    )


def _params(value: Any, where: str, at: str) -> dict[str, tuple[Any, ...]] | None:
    if value is None:
        return None
    _expect(isinstance(value, Mapping), where, at, "must be an object of lists", value)
    grid: dict[str, tuple[Any, ...]] = {}
    for name, values in value.items():
        rule = f"must be a non-empty list of values (write [{values!r}] for one value)"
        _expect(isinstance(values, list) and bool(values), where, f"{at}.{name}", rule, values)
        grid[name] = tuple(values)
    return grid
