"""The one walk over a file's ``ast``: statements recursively, expressions iteratively.

Statement nesting is bounded by CPython's indentation limit, so statements recurse (which keeps
scopes, loops and ``try`` guards simple); expressions, which nest without bound, go through
:class:`._exprs.ExpressionWalker`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from benchmig.analyzer._assign import AssignmentRules
from benchmig.analyzer._exprs import ExpressionWalker
from benchmig.analyzer._facts import ImportRecord
from benchmig.analyzer._idioms import is_hardware_function
from benchmig.analyzer._loops import finish_loop
from benchmig.analyzer._names import dotted
from benchmig.analyzer._state import FileState, LoopFrame, Scope
from benchmig.analyzer._statements import (
    bind_defaults,
    catches_import_error,
    flags_set,
    is_contextmanager,
    is_main_guard,
    top_modules,
)

__all__ = ["FactWalker"]

_ENTER_EXIT = frozenset({"__enter__", "__exit__", "__aenter__", "__aexit__"})
_TIMER_WORDS = ("timer", "timing", "timed", "stopwatch", "profile", "timeit", "elapsed")
Handler = Callable[["FactWalker", Any], None]


class FactWalker:
    """Collects a file's facts into a :class:`FileState` in one pass."""

    def __init__(self, state: FileState) -> None:
        self.state = state
        self.exprs = ExpressionWalker(state)
        self.assignments = AssignmentRules(state, self.exprs)

    def walk(self, tree: ast.Module) -> None:
        """Walk a whole module."""
        self._body(tree.body)

    def _body(self, body: list[ast.stmt]) -> None:
        handlers = _HANDLERS
        walk = self.exprs.walk
        for node in body:
            handler = handlers.get(node.__class__)
            if handler is not None:
                handler(self, node)
            else:  # simple statements: only expressions below
                walk(node)

    def _block(self, body: list[ast.stmt]) -> None:
        """A nested block (makes imports in it conditional)."""
        self.state.block_depth += 1
        self._body(body)
        self.state.block_depth -= 1

    # -- definitions -------------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        state = self.state
        for expr in (*node.decorator_list, *node.args.defaults, *node.args.kw_defaults):
            if expr is not None:
                self.exprs.walk(expr)
        qualname = state.child_qualname(node.name)
        outer = state.scope
        if outer.kind == "module":
            state.functions.append(node.name)
            state.definitions.append(node.name)
        elif outer.kind == "class":
            state.methods.setdefault(outer.qualname, []).append(node.name)
        class_name = outer.qualname if outer.kind == "class" else outer.class_name
        scope = Scope(qualname, "function", class_name=class_name)
        bind_defaults(scope, node.args)
        state.scopes.append(scope)
        state.names.push()
        state.complexity.enter_function(qualname)
        timers_before = state.timer_count
        idioms_before = len(state.idioms)
        self._block(node.body)
        state.complexity.exit_function()
        state.names.pop()
        state.scopes.pop()
        if is_hardware_function(node.name):
            backends = sorted(
                {
                    backend
                    for idiom in state.idioms[idioms_before:]
                    if idiom.kind == "hardware_check"
                    for backend in idiom.attrs.get("backends", ())
                }
            )
            state.emit(
                "hardware_check",
                node,
                f"def {node.name}()",
                {"definition": True, "function": qualname, "backends": backends},
                line=node.lineno,
            )
        if scope.yields and state.timer_count > timers_before and is_contextmanager(node):
            state.context_timer_names.add(node.name)
            state.emit(
                "context_timer",
                node,
                f"@contextmanager {node.name}",
                {"definition": True, "name": qualname},
            )

    def _class(self, node: ast.ClassDef) -> None:
        state = self.state
        for expr in (*node.bases, *node.decorator_list, *(k.value for k in node.keywords)):
            self.exprs.walk(expr)
        qualname = state.child_qualname(node.name)
        if state.scope.kind == "module":
            state.classes.append(node.name)
            state.definitions.append(node.name)
        state.methods.setdefault(qualname, [])
        state.scopes.append(Scope(qualname, "class", class_name=qualname))
        state.names.push()
        timers_before = state.timer_count
        self._block(node.body)
        state.names.pop()
        state.scopes.pop()
        defines_context = _ENTER_EXIT.intersection(state.methods.get(qualname, ()))
        if defines_context and state.timer_count > timers_before:
            state.context_timer_names.add(node.name)
            state.emit(
                "context_timer",
                node,
                f"class {node.name} (times a with-block)",
                {"definition": True, "name": qualname},
            )

    # -- control flow ------------------------------------------------------------------------
    def _if(self, node: ast.If) -> None:
        state = self.state
        state.complexity.add(1)
        self.exprs.walk(node.test)
        if node.test.__class__ is ast.Compare and is_main_guard(node.test):
            state.has_main_guard = True
            state.emit("main_guard", node, 'if __name__ == "__main__"', line=node.lineno)
        # Read lazily, when a sleep or a random metric appears in a branch.
        state.switches.append((node.test, True))
        self._block(node.body)
        state.switches[-1] = (node.test, False)
        self._block(node.orelse)
        state.switches.pop()

    def _for(self, node: ast.For | ast.AsyncFor) -> None:
        state = self.state
        state.complexity.add(1)
        self.exprs.walk(node.iter)
        self.exprs.walk(node.target)
        self._loop(node, node.body)
        self._block(node.orelse)

    def _while(self, node: ast.While) -> None:
        self.state.complexity.add(1)
        self._loop(node, node.body, node.test)
        self._block(node.orelse)

    def _loop(
        self,
        node: ast.For | ast.AsyncFor | ast.While,
        body: list[ast.stmt],
        test: ast.expr | None = None,
    ) -> None:
        state = self.state
        frame = LoopFrame(node, state.scope.qualname, depth=len(state.scope.loops))
        state.scope.loops.append(frame)
        if test is not None:
            self.exprs.walk(test)
        self._block(body)
        state.scope.loops.pop()
        finish_loop(state, frame)

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        state = self.state
        for item in node.items:
            self.exprs.walk(item.context_expr)
            expr = item.context_expr
            target = expr.func if isinstance(expr, ast.Call) else expr
            name = dotted(target) or ""
            last = name.rsplit(".", 1)[-1]
            if any(word in name.lower() for word in _TIMER_WORDS):
                state.emit("context_timer", expr, f"with {name}(...)", {"name": name})
                state.note_timing(timer=False)
                state.note_timed_scope()
            elif last:
                state.pending_withs.append((last, item, state.scope.qualname))
        self._block(node.body)

    def _try(self, node: ast.Try | ast.TryStar) -> None:
        state = self.state
        guard = any(catches_import_error(h) for h in node.handlers)
        imports_before = len(state.imports)
        if guard:
            state.guard_depth += 1
            self._body(node.body)
        else:
            self._block(node.body)
        flags: list[str] = []
        for handler in node.handlers:
            state.complexity.add(1)
            flags.extend(flags_set(handler.body))
            if guard:  # fallback imports in the except block are guarded too
                self._body(handler.body)
            else:
                self._block(handler.body)
        if guard:
            state.guard_depth -= 1
        self._block(node.orelse)
        self._block(node.finalbody)
        modules = [r.module for r in state.imports[imports_before:]]
        if guard and modules:
            modules = top_modules(modules)
            state.emit(
                "optional_import",
                node,
                f"try: import {', '.join(modules)}",
                {
                    "modules": modules,
                    "flags": flags,
                    "flag": flags[0] if flags else None,
                },
                line=node.lineno,
            )

    def _match(self, node: ast.Match) -> None:
        self.exprs.walk(node.subject)
        for case in node.cases:
            self.state.complexity.add(1)
            if case.guard is not None:
                self.exprs.walk(case.guard)
            self._block(case.body)

    # -- imports and assignments -------------------------------------------------------------
    def _assign(self, node: ast.Assign | ast.AnnAssign) -> None:
        self.assignments.assign(node)

    def _aug_assign(self, node: ast.AugAssign) -> None:
        self.assignments.aug_assign(node)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        state = self.state
        state.names.bind_import(node)
        hack = state.first_path_hack_line
        after_hack = hack is not None and hack < node.lineno
        guarded = state.guard_depth > 0
        conditional = state.block_depth > 0
        entries: list[tuple[str, tuple[str, ...]]]
        if isinstance(node, ast.Import):
            entries = [(alias.name, ()) for alias in node.names]
        else:
            module = "." * node.level + (node.module or "")
            entries = [(module, tuple(a.name for a in node.names))]
        for module_name, names in entries:
            state.imports.append(
                ImportRecord(
                    module=module_name,
                    names=names,
                    line=node.lineno,
                    level=getattr(node, "level", 0) or 0,
                    guarded=guarded,
                    conditional=conditional,
                    after_sys_path_hack=after_hack,
                )
            )


# Statement handlers by node class, shared by every walker (no per-file table of bound methods:
# that would make each walker a reference cycle, freed only by the garbage collector).
_HANDLERS: dict[type, Handler] = {
    ast.FunctionDef: FactWalker._function,
    ast.AsyncFunctionDef: FactWalker._function,
    ast.ClassDef: FactWalker._class,
    ast.If: FactWalker._if,
    ast.For: FactWalker._for,
    ast.AsyncFor: FactWalker._for,
    ast.While: FactWalker._while,
    ast.With: FactWalker._with,
    ast.AsyncWith: FactWalker._with,
    ast.Try: FactWalker._try,
    ast.TryStar: FactWalker._try,
    ast.Match: FactWalker._match,
    ast.Import: FactWalker._import,
    ast.ImportFrom: FactWalker._import,
    ast.Assign: FactWalker._assign,
    ast.AnnAssign: FactWalker._assign,
    ast.AugAssign: FactWalker._aug_assign,
}
