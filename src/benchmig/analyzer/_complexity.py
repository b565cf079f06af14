"""McCabe cyclomatic complexity, counted during the one walk over a file's tree.

Each function or method starts at 1 and gains one per decision point: ``if``/``elif``, loops,
``except`` clauses, ``case`` arms, conditional expressions, each extra operand of ``and``/``or``
and each ``for``/``if`` of a comprehension. Nested functions and lambdas count towards the
function that contains them (as the ``mccabe`` package does); code outside any function counts
towards the module.
"""

from __future__ import annotations

import ast

__all__ = ["MODULE_KEY", "STATEMENT_DECISIONS", "Complexity", "expression_decisions"]

MODULE_KEY = "<module>"

STATEMENT_DECISIONS: frozenset[type[ast.AST]] = frozenset(
    {ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler, ast.match_case}
)


def expression_decisions(node: ast.AST) -> int:
    """Decision points an expression-level node adds (0 for most nodes)."""
    cls = node.__class__
    if cls is ast.BoolOp:
        return len(node.values) - 1  # type: ignore[attr-defined]
    if cls is ast.IfExp:
        return 1
    if cls is ast.comprehension:
        return 1 + len(node.ifs)  # type: ignore[attr-defined]
    return 0


class Complexity:
    """Running totals per function key (``func``, ``Class.method``) and for the module."""

    __slots__ = ("_stack", "counts", "current")

    def __init__(self) -> None:
        self.counts: dict[str, int] = {MODULE_KEY: 1}
        self.current = MODULE_KEY
        self._stack: list[str] = []

    def add(self, points: int) -> None:
        """Add decision points to the function being walked."""
        self.counts[self.current] += points

    def enter_function(self, qualname: str) -> None:
        """Start counting a function, unless it is nested in one (then it adds to its parent)."""
        self._stack.append(self.current)
        if self.current == MODULE_KEY:
            self.current = qualname
            self.counts[qualname] = self.counts.get(qualname, 0) + 1

    def exit_function(self) -> None:
        """Return to the enclosing counter."""
        self.current = self._stack.pop()

    def functions(self) -> dict[str, int]:
        """Complexity per function or method."""
        return {k: v for k, v in self.counts.items() if k != MODULE_KEY}

    @property
    def total(self) -> int:
        """Sum over the module and every function."""
        return sum(self.counts.values())

    @property
    def max_function(self) -> int:
        """The highest complexity of one function (0 when there are none)."""
        return max(self.functions().values(), default=0)
