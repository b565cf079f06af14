"""What each file is (role, unit of benchmarking) and how it can be migrated.

Roles: ``benchmark`` (measures, or orchestrates or drives benchmarks), ``helper`` (imported by
other files, or defines timers / hardware detection / measurement helpers without measuring
anything itself), ``test`` (test files with test functions) and ``other``.

Units: ``function``, ``class`` or ``module`` (where the measurement sits), ``orchestrator``
(launches other Python scripts), ``delegating`` (a benchmark entry point without a timer of its
own) and ``none``.

The assessment guesses a strategy (``native``: the codemods lift it onto the framework;
``adapter``: wrap the legacy entry point; ``manual``: a person must rewrite it), a confidence,
the codemods that apply, and the blockers a person must resolve, each at ``path:line``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmig.analyzer._facts import FileFacts, Idiom
from benchmig.analyzer._graph import ImportResolution, Unresolved

__all__ = [
    "CODEMODS",
    "MEASUREMENT_KINDS",
    "Blocker",
    "Classification",
    "DynamicCall",
    "FileContext",
    "Migration",
    "classify",
    "find_dynamic_code",
    "in_test_scope",
]

CODEMODS = (
    "register-benchmark",
    "remove-sys-path-hacks",
    "replace-hardware-checks",
    "replace-timers",
    "argparse-to-params",
    "orchestrator-to-suite",
)
MEASUREMENT_KINDS = frozenset(
    {"timed_region", "cuda_event", "timeit", "torch_benchmark", "context_timer", "repeat_loop"}
)
_TIMER_KINDS = MEASUREMENT_KINDS | {"timer", "device_sync"}
# Benchmark-shaped without a timer of its own: it times through an imported helper.
_SHAPE_KINDS = frozenset({"warmup_loop", "repeat_loop", "device_sync"})
_TIMER_HELPER_RE = re.compile(r"tim(?:er|e_?it|ing)|stopwatch|measure|profil|clock", re.I)
_HARDWARE_HELPER_RE = re.compile(r"detect|hardware|device|available|capabilit|platform", re.I)
_TEST_DIRS = frozenset({"test", "tests", "testing"})
_TOOLING_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py", "manage.py", "conf.py"})
_TF_JAX = frozenset({"tensorflow", "tf_keras", "keras", "jax", "jaxlib", "flax", "optax", "haiku"})
_DYNAMIC_RE = re.compile(rb"(exec|eval|__import__|import_module)\s*\(")
_DYNAMIC_HINTS = (b"exec(", b"__import__(", b"import_module(")  # and eval( not after a dot
_BASE_CONFIDENCE = {
    ("benchmark", "function"): 0.85,
    ("benchmark", "class"): 0.8,
    ("other", "orchestrator"): 0.7,
    ("benchmark", "module"): 0.6,
    ("benchmark", "delegating"): 0.55,
}
_SOFT_BLOCKER_PENALTY = 0.1


@dataclass(frozen=True)
class DynamicCall:
    """``exec``/``eval``/``__import__``/``importlib.import_module`` at a line."""

    line: int
    call: str


@dataclass(frozen=True)
class Blocker:
    """Something a person must resolve before or after migrating a file."""

    path: str
    line: int | None
    kind: str  # parse_error, skipped, simulation, ambiguous_import, unresolved_import,
    # missing_script, dynamic_code, tensorflow_jax, no_unit
    reason: str

    @property
    def location(self) -> str:
        """``path:line`` (or the path alone when there is no line)."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "location": self.location,
            "path": self.path,
            "line": self.line,
            "kind": self.kind,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Migration:
    """How a file is expected to migrate."""

    strategy: str  # native, adapter, manual
    confidence: float
    codemods: tuple[str, ...] = ()
    blockers: tuple[Blocker, ...] = ()


@dataclass(frozen=True)
class Classification:
    """Role, unit of benchmarking and migration assessment of one file."""

    role: str
    unit: str
    migration: Migration


@dataclass(frozen=True)
class FileContext:
    """What classification needs beyond a file's own facts: its place in the graph."""

    facts: FileFacts
    imports: tuple[ImportResolution, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    importers: int = 0  # files importing this one (exact or ambiguous edges)
    launches: int = 0  # Python scripts it launches (resolved or not)
    imports_measuring: bool = False  # imports a file of the tree that measures
    dynamic: tuple[DynamicCall, ...] = ()


def find_dynamic_code(normalised: bytes) -> tuple[DynamicCall, ...]:
    """Dynamic-code calls in a text without strings and comments (lines are kept).

    Cheap substring counts first: almost no file has any, and the scan only runs on those that
    might (``exec (x)`` with a space before the parenthesis is not recognised). The scan looks
    for the bare names and checks the byte before in Python: a lookbehind would slow it down.
    """
    if not any(w in normalised for w in _DYNAMIC_HINTS) and normalised.count(
        b"eval("
    ) == normalised.count(b".eval("):
        return ()  # nothing, or only method calls like model.eval()
    calls = []
    for match in _DYNAMIC_RE.finditer(normalised):
        name = match.group(1)
        before = normalised[match.start() - 1 : match.start()]
        if before.isalnum() or before == b"_" or (before == b"." and name != b"import_module"):
            continue
        line = normalised.count(b"\n", 0, match.start()) + 1
        calls.append(DynamicCall(line, name.decode()))
    return tuple(calls)


def _measurements(facts: FileFacts) -> list[Idiom]:
    return [i for i in facts.idioms if i.kind in MEASUREMENT_KINDS]


def _scope_unit(facts: FileFacts, scope: str) -> str:
    if scope == "<module>":
        return "module"
    return "class" if scope.split(".")[0] in facts.classes else "function"


def _is_test(facts: FileFacts) -> bool:
    parts = facts.path.split("/")
    name = parts[-1]
    named = name.startswith("test_") or name.endswith("_test.py")
    has_tests = any(f.startswith("test") for f in facts.functions) or any(
        c.startswith("Test") for c in facts.classes
    )
    in_tests = any(p in _TEST_DIRS for p in parts[:-1])
    return (has_tests and (named or in_tests)) or (named and not _measurements(facts))


def in_test_scope(scope: str) -> bool:
    """``test_x`` or a method of ``TestX``: what pytest collects (register-benchmark skips it)."""
    *owners, name = scope.split(".")
    return name.startswith("test") or any(o.startswith("Test") for o in owners)


def _only_measures_in_helpers(facts: FileFacts, measured: Sequence[Idiom]) -> bool:
    """True for a library of timers: every measurement inside a timer-like helper
    (``Timer.__exit__``, ``measure()``) and no ``__main__`` guard."""
    if facts.has_main_guard:
        return False
    return all(i.scope != "<module>" and _TIMER_HELPER_RE.search(i.scope) for i in measured)


def _unit_of(facts: FileFacts, idioms: Sequence[Idiom]) -> str:
    """Where most of the measurement sits: a class, a function or the module body."""
    units = Counter(_scope_unit(facts, i.scope) for i in idioms)
    priority = {"class": 0, "function": 1, "module": 2}
    return min(units, key=lambda u: (-units[u], priority[u]))


def role_and_unit(ctx: FileContext) -> tuple[str, str]:
    """The role and unit of one file."""
    facts = ctx.facts
    if facts.status != "ok":
        return "other", "none"
    name = facts.path.rsplit("/", 1)[-1]
    if _is_test(facts) or name == "conftest.py":
        return "test", "none"
    if name in _TOOLING_FILES:
        return "other", "none"  # packaging and tool configuration, whatever it times
    if ctx.launches:
        return "other", "orchestrator"  # a suite, not a benchmark (see docs/analyzer.md)
    measured = _measurements(facts)
    library_like = ctx.importers > 0 and not facts.has_main_guard
    if measured and not (library_like or _only_measures_in_helpers(facts, measured)):
        return "benchmark", _unit_of(facts, measured)
    if measured or ctx.importers or _defines_helpers(facts) or facts.path.endswith("__init__.py"):
        return "helper", "none"
    if _looks_like_entry_point(facts) or ctx.imports_measuring:
        shaped = [i for i in facts.idioms if i.kind in _SHAPE_KINDS and i.scope != "<module>"]
        if shaped and facts.has_main_guard:
            return "benchmark", _unit_of(facts, shaped)  # times through an imported helper
        if ctx.imports_measuring and facts.has_main_guard:
            return "benchmark", "delegating"
    return "other", "none"


def _defines_helpers(facts: FileFacts) -> bool:
    hardware = any(_HARDWARE_HELPER_RE.search(i.scope) for i in facts.idioms_of("hardware_check"))
    timers = any(_TIMER_HELPER_RE.search(name) for name in facts.definitions) and any(
        i.kind in _TIMER_KINDS for i in facts.idioms
    )
    return (hardware or timers) and not facts.has_main_guard


def _looks_like_entry_point(facts: FileFacts) -> bool:
    name = facts.path.rsplit("/", 1)[-1].lower()
    return "bench" in name and (facts.has_main_guard or bool(facts.idioms_of("argparse_option")))


def _blockers(ctx: FileContext, role: str, unit: str) -> list[Blocker]:
    facts = ctx.facts
    path = facts.path
    found: list[Blocker] = []
    if facts.error is not None:
        kind = "parse_error" if facts.status == "parse_error" else "skipped"
        found.append(
            Blocker(path, facts.error.line, kind, f"{facts.error.reason}: {facts.error.message}")
        )
    for idiom in facts.idioms_of("simulation"):
        found.append(
            Blocker(
                path,
                idiom.line,
                "simulation",
                "simulated measurement (random numbers or sleeps stand in for results): a migrated "
                "benchmark must measure, or drop this branch",
            )
        )
    for record, resolved in zip(facts.imports, ctx.imports, strict=False):
        if resolved.resolution == "ambiguous":
            found.append(
                Blocker(
                    path,
                    record.line,
                    "ambiguous_import",
                    f"import '{record.module}' is ambiguous: {resolved.reason}; say which file it "
                    "means before the import is rewritten",
                )
            )
    for item in ctx.unresolved:
        if item.kind == "subprocess":
            found.append(Blocker(path, item.line, "missing_script", item.reason))
        elif not item.guarded:
            found.append(Blocker(path, item.line, "unresolved_import", item.reason))
    for call in ctx.dynamic:
        found.append(
            Blocker(
                path,
                call.line,
                "dynamic_code",
                f"dynamic code ({call.call}): what it runs or imports cannot be known statically",
            )
        )
    tf_lines = sorted(r.line for r in facts.imports if r.module.split(".")[0] in _TF_JAX)
    if tf_lines:
        found.append(
            Blocker(
                path,
                tf_lines[0],
                "tensorflow_jax",
                "TensorFlow/JAX code: the torch-oriented rewrites leave it alone; port it by hand",
            )
        )
    measured = _measurements(facts)
    if role == "benchmark" and measured and all(in_test_scope(i.scope) for i in measured):
        first = min(measured, key=lambda i: i.line)
        found.append(
            Blocker(
                path,
                first.line,
                "test_only",
                f"it only times code inside pytest tests ({first.scope}): register-benchmark "
                "leaves tests to the test suite; move the timed code into a function the test "
                "calls",
            )
        )
    if role != "benchmark" and unit == "none" and _looks_like_entry_point(facts):
        found.append(
            Blocker(
                path,
                None,
                "no_unit",
                "looks like a benchmark but no measured unit (timed function, class or block) was "
                "found; decide what it should measure",
            )
        )
    return sorted(found, key=lambda b: (b.line or 0, b.kind, b.reason))


_HARD = frozenset(
    {"parse_error", "skipped", "no_unit", "dynamic_code", "tensorflow_jax", "test_only"}
)


def _codemods(facts: FileFacts, role: str, unit: str) -> tuple[str, ...]:
    kinds = {i.kind for i in facts.idioms}
    benchmark = role == "benchmark"
    applies = {
        "register-benchmark": benchmark and unit in ("function", "class", "module"),
        "remove-sys-path-hacks": "sys_path_hack" in kinds,
        "replace-hardware-checks": "hardware_check" in kinds,
        "replace-timers": benchmark and bool(kinds & _TIMER_KINDS),
        "argparse-to-params": benchmark and bool(kinds & {"argparse_option", "absl_flag"}),
        "orchestrator-to-suite": unit == "orchestrator",
    }
    return tuple(name for name in CODEMODS if applies[name])


def _strategy(role: str, unit: str, hard: set[str]) -> tuple[str, float]:
    if "parse_error" in hard or "skipped" in hard:
        return "manual", 0.95
    if role == "benchmark" and hard:
        return "manual", 0.75
    base = _BASE_CONFIDENCE.get((role, unit), 0.9)
    return ("adapter" if unit in ("module", "delegating") else "native"), base


def classify(ctx: FileContext) -> Classification:
    """Role, unit and migration assessment of one file in its graph context."""
    role, unit = role_and_unit(ctx)
    blockers = _blockers(ctx, role, unit)
    kinds = {b.kind for b in blockers}
    strategy, confidence = _strategy(role, unit, kinds & _HARD)
    if strategy != "manual":
        confidence -= _SOFT_BLOCKER_PENALTY * len(kinds - {"parse_error", "skipped"})
        if ctx.facts.max_function_complexity > 25:
            confidence -= 0.05  # big tangled functions are where automatic rewrites go wrong
    codemods = () if ctx.facts.status != "ok" else _codemods(ctx.facts, role, unit)
    confidence = round(min(0.99, max(0.05, confidence)), 2)
    return Classification(role, unit, Migration(strategy, confidence, codemods, tuple(blockers)))
