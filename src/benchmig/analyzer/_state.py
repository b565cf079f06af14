"""What the one walk over a file remembers: scopes, timer variables, loops and found facts.

The walker (:mod:`._walker`) drives; expression handlers (:mod:`._exprs`) and loop rules
(:mod:`._loops`) read and update this state. Nothing here outlives one file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from benchmig.analyzer._complexity import Complexity
from benchmig.analyzer._facts import Idiom, ImportRecord
from benchmig.analyzer._idioms import SIMULATION_SWITCH_RE
from benchmig.analyzer._literals import source
from benchmig.analyzer._names import NameTable, dotted

if TYPE_CHECKING:
    from benchmig.analyzer._values import Resolved

__all__ = ["MODULE_SCOPE", "FileState", "LoopFrame", "Scope", "TimerVar"]

MODULE_SCOPE = "<module>"
ScopeKind = Literal["module", "class", "function"]
_SIMULATION_WORDS = (b"simulat", b"mock", b"fake", b"dry", b"dummy")


@dataclass(frozen=True)
class TimerVar:
    """A variable (or ``self.attr``) assigned from a clock read."""

    clock: str
    line: int
    col: int
    weak: bool  # a datetime read: a timer only once it is subtracted


@dataclass
class LoopFrame:
    """A ``for``/``while`` loop being walked, and what its body does."""

    node: ast.For | ast.AsyncFor | ast.While
    scope: str
    timers: int = 0  # clock reads and timed regions directly in this loop
    nested_timing: bool = False  # an inner loop times something
    samples: list[str] = field(default_factory=list)  # lists that collect timed deltas
    called: set[str] = field(default_factory=set)  # local functions called in the body
    bench_calls: bool = False  # calls of benchmark-like names (run_benchmark, measure_...)
    user_calls: bool = False  # calls of non-builtin functions by name (``fn(x)``)
    depth: int = 0  # loops enclosing this one in the same function


@dataclass
class Scope:
    """A module, class or function body."""

    qualname: str
    kind: ScopeKind
    timer_vars: dict[str, TimerVar] = field(default_factory=dict)
    delta_vars: set[str] = field(default_factory=set)
    values: dict[str, ast.expr] = field(default_factory=dict)
    defaults: set[str] = field(default_factory=set)  # names in values that are parameters
    events: set[str] = field(default_factory=set)  # names bound to torch.cuda.Event(...)
    event_records: dict[str, int] = field(default_factory=dict)  # event -> line of .record()
    # Loops without timing of their own; a later timed region around one makes it a repeat loop.
    untimed_loops: list[LoopFrame] = field(default_factory=list)
    loops: list[LoopFrame] = field(default_factory=list)
    yields: bool = False  # the body yields (a generator, or a @contextmanager timer)
    class_name: str | None = None  # the class whose method this is


@dataclass
class PendingSweep:
    """A loop over parameter values whose timing may be delegated to local functions.

    Only what depends on the walk's state is kept (the values resolved where the loop is);
    the source texts of its attributes are spelled out if the sweep is emitted at all.
    """

    frame: LoopFrame
    param_like: bool  # the loop variable or the iterable is named like a parameter
    resolved: Resolved  # the iterated values, as known where the loop is


class FileState:
    """Everything the walk collects for one file."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.names = NameTable()
        self.scopes: list[Scope] = [Scope(MODULE_SCOPE, "module")]
        self.idioms: list[Idiom] = []
        self.imports: list[ImportRecord] = []
        self.complexity = Complexity()
        self.definitions: list[str] = []  # top-level classes and functions, in source order
        self.functions: list[str] = []
        self.classes: list[str] = []
        self.methods: dict[str, list[str]] = {}
        self.timed_scopes: set[str] = set()
        self.call_graph: dict[str, set[str]] = {}
        self.argparse_defaults: dict[str, Any] = {}
        self.argparse_default_nodes: dict[str, ast.expr] = {}
        self.attr_timers: dict[str, TimerVar] = {}  # self.x = clock() anywhere in the file
        # self.x = value anywhere in the file, with the __init__ parameter it defaults from.
        self.attr_values: dict[str, tuple[ast.expr, str | None]] = {}
        self.context_timer_names: set[str] = set()  # classes/functions that time a with-block
        self.pending_withs: list[tuple[str, ast.withitem, str]] = []
        self.pending_sweeps: list[PendingSweep] = []
        self.sim_flags: set[str] = set()  # names assigned from simulation env switches
        # Tests of the enclosing if-statements, and whether we are in the body (True) or else.
        self.switches: list[tuple[ast.expr, bool]] = []
        self.emitted_weak: set[tuple[int, int]] = set()
        self.first_path_hack_line: int | None = None
        self.has_main_guard = False
        self.timer_count = 0
        self.guard_depth = 0  # enclosing try/except ImportError blocks
        self.block_depth = 0  # enclosing def/class/if/loop/with/try (other than import guards)
        self._lines: list[bytes] | None = None

    # -- whole-file gates: skip checks whose trigger words the file never mentions ----------
    # Each is computed on first use: scanning every file for every word costs more than the
    # checks it saves on files that never need it.
    @cached_property
    def _lowered(self) -> bytes:
        return self.data.lower()

    @cached_property
    def may_warm(self) -> bool:
        """The file mentions warm-up somewhere (names, strings or comments)."""
        return b"warm" in self._lowered

    @cached_property
    def may_simulate(self) -> bool:
        """The file mentions simulation, mocks, fakes, dry runs or dummies."""
        return any(word in self._lowered for word in _SIMULATION_WORDS)

    @cached_property
    def may_randomise(self) -> bool:
        """The file mentions random numbers."""
        return b"rand" in self._lowered

    @cached_property
    def may_pool(self) -> bool:
        """The file mentions executors, pools or worker counts."""
        lowered = self._lowered
        return b"pool" in lowered or b"executor" in lowered or b"max_workers" in lowered

    # -- scopes -------------------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        """The innermost scope."""
        return self.scopes[-1]

    def child_qualname(self, name: str) -> str:
        """Qualified name of a definition made in the current scope."""
        current = self.scope.qualname
        return name if current == MODULE_SCOPE else f"{current}.{name}"

    def visible_scopes(self) -> list[Scope]:
        """Scopes a name lookup sees, innermost first (class bodies only when current)."""
        found = [self.scopes[-1]]
        for scope in reversed(self.scopes[:-1]):
            if scope.kind != "class":
                found.append(scope)
        return found

    def lookup_value(self, name: str) -> ast.expr | None:
        """The expression last assigned to ``name`` (or its parameter default)."""
        for scope in self.visible_scopes():
            value = scope.values.get(name)
            if value is not None:
                return value
        return None

    def lookup_timer(self, node: ast.expr) -> TimerVar | None:
        """The clock read a variable or ``self.attr`` holds, if any."""
        key = dotted(node)
        if key is None:
            return None
        for scope in self.visible_scopes():
            found = scope.timer_vars.get(key)
            if found is not None:
                return found
        if "." in key:
            return self.attr_timers.get(key)
        return None

    def is_delta_var(self, node: ast.expr) -> bool:
        """Whether a variable holds a timed delta (``elapsed = end - start``)."""
        key = dotted(node)
        return key is not None and any(key in s.delta_vars for s in self.visible_scopes())

    # -- facts --------------------------------------------------------------------------------
    def emit(
        self,
        kind: str,
        node: ast.AST,
        detail: str = "",
        attrs: dict[str, Any] | None = None,
        *,
        line: int | None = None,
        col: int | None = None,
        scope: str | None = None,
    ) -> None:
        """Record one idiom at ``node`` (or at an explicit line/col, in an explicit scope)."""
        self.idioms.append(
            Idiom(
                kind=kind,
                line=line if line is not None else getattr(node, "lineno", 0),
                col=col if col is not None else getattr(node, "col_offset", 0),
                end_line=getattr(node, "end_lineno", None) if line is None else line,
                scope=scope if scope is not None else self.scope.qualname,
                detail=detail,
                attrs=attrs or {},
            )
        )

    def note_timing(self, *, timer: bool = True) -> None:
        """A clock read or timed construct happened here: tell the loop and the function."""
        loops = self.scope.loops
        if loops:
            loops[-1].timers += 1
        if timer:
            self.timer_count += 1

    def note_timed_scope(self) -> None:
        """The current function contains a timed region (or timeit / a timing context)."""
        if self.scope.kind == "function":
            self.timed_scopes.add(self.scope.qualname)

    def note_call(self, callee: str | None, bench_like: bool) -> None:
        """A call of a function that may be defined in this file (or of a benchmark-like name)."""
        scope = self.scopes[-1]
        if callee is not None:
            self.call_graph.setdefault(scope.qualname, set()).add(callee)
        loops = scope.loops
        if loops:
            if callee is not None:
                loops[-1].called.add(callee)
                loops[-1].user_calls = True
            if bench_like:
                loops[-1].bench_calls = True

    def simulation_switch(self) -> str | None:
        """The innermost enclosing ``if`` test that switches a simulation mode, if any."""
        if not (self.may_simulate or self.sim_flags):
            return None
        for test, in_body in reversed(self.switches):
            negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            if in_body == negated:
                continue  # the branch taken when the simulation switch is off
            for child in ast.walk(test):
                text = (
                    child.id
                    if isinstance(child, ast.Name)
                    else child.attr
                    if isinstance(child, ast.Attribute)
                    else child.value
                    if isinstance(child, ast.Constant) and isinstance(child.value, str)
                    else None
                )
                if text and (SIMULATION_SWITCH_RE.search(text) or text in self.sim_flags):
                    return source(test)
        return None

    # -- source text --------------------------------------------------------------------------
    def line_text(self, line: int) -> str:
        """The text of one source line (1-based), decoded leniently; '' when out of range."""
        if self._lines is None:
            self._lines = self.data.split(b"\n")
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1].decode("utf-8", "replace")
        return ""
