"""A one-pass index of a module's tree: node -> children, so searches need no LibCST visits.

LibCST's visitors rebuild each node they pass, which made repeated searches of the same file the
slowest part of planning; :func:`indexed` walks the module once and :func:`children` reads the
index (falling back to ``node.children`` for nodes built since).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence

import libcst as cst

__all__ = ["children", "indexed"]


class _Indexer(cst.CSTVisitor):
    def __init__(self) -> None:
        self.stack: list[list[cst.CSTNode]] = [[]]
        self.kids: dict[int, tuple[cst.CSTNode, ...]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append([])
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        kids = self.stack.pop()
        self.kids[id(original_node)] = tuple(kids)
        self.stack[-1].append(original_node)


_INDEX: contextvars.ContextVar[dict[int, tuple[cst.CSTNode, ...]] | None] = contextvars.ContextVar(
    "benchmig_tree_index", default=None
)


@contextlib.contextmanager
def indexed(module: cst.Module) -> Iterator[None]:
    """Speed up :func:`find_all` on ``module``'s nodes inside the block (one walk up front)."""
    indexer = _Indexer()
    module.visit(indexer)
    token = _INDEX.set(indexer.kids)
    try:
        yield
    finally:
        _INDEX.reset(token)


def children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The node's children: from the index when the node is in the indexed tree."""
    index = _INDEX.get()
    if index is not None:
        kids = index.get(id(node))
        if kids is not None:
            return kids
    return node.children
