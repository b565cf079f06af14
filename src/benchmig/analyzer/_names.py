"""Static name resolution: which qualified name a local spelling stands for.

``import time as t`` makes ``t.perf_counter`` mean ``time.perf_counter``; ``from time import
perf_counter as pc`` makes ``pc`` mean it too. One :class:`NameTable` per file keeps a stack of
scopes (module, then each function being walked); lookups go innermost first, as Python's do for
the common cases. Names that were never imported resolve to their own spelling, so
``parser.add_argument`` stays ``parser.add_argument`` and ``np.mean`` with an unseen import can
still be normalised (:data:`CONVENTIONAL_ALIASES`).
"""

from __future__ import annotations

import ast

__all__ = ["CONVENTIONAL_ALIASES", "NameTable", "dotted"]

# Aliases so common that an unresolved spelling almost surely means the module.
CONVENTIONAL_ALIASES: dict[str, str] = {
    "np": "numpy",
    "pd": "pandas",
    "plt": "matplotlib.pyplot",
    "tf": "tensorflow",
    "xm": "torch_xla.core.xla_model",
    "ort": "onnxruntime",
    "ov": "openvino",
    "mp": "multiprocessing",
    "dt": "datetime",
}

_CALL = "()"


def dotted(expr: ast.expr) -> str | None:
    """The plain dotted spelling of a ``Name``/``Attribute`` chain (``self.start``), else None."""
    parts: list[str] = []
    node: ast.expr = expr
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    parts.reverse()
    return ".".join(parts)


class NameTable:
    """Local names bound by imports (and plain aliases), per scope."""

    __slots__ = ("_scopes", "_visible")

    def __init__(self) -> None:
        self._scopes: list[dict[str, str]] = [{}]
        # What every name resolves to from the innermost scope: one dict lookup per name
        # (names are looked up for every call; scopes change only at function boundaries).
        self._visible: dict[str, str] = {}

    def push(self) -> None:
        """Enter a function scope."""
        self._scopes.append({})

    def pop(self) -> None:
        """Leave the innermost function scope."""
        # A scope that bound names hid others' bindings: they are visible again.
        if len(self._scopes) > 1 and self._scopes.pop():
            visible: dict[str, str] = {}
            for scope in self._scopes:
                visible.update(scope)
            self._visible = visible

    def bind(self, local: str, qualified: str) -> None:
        """Make ``local`` stand for ``qualified`` in the innermost scope."""
        self._scopes[-1][local] = qualified
        self._visible[local] = qualified

    def lookup(self, name: str) -> str | None:
        """The qualified name a local name was bound to, innermost scope first."""
        return self._visible.get(name)

    def bind_import(self, node: ast.Import | ast.ImportFrom) -> None:
        """Record the names an import statement binds."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bind(alias.asname, alias.name)
                else:
                    root = alias.name.split(".", 1)[0]
                    self.bind(root, root)
            return
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                continue
            full = (
                module + alias.name
                if module.endswith(".") or not module
                else (f"{module}.{alias.name}")
            )
            self.bind(alias.asname or alias.name, full)

    def qualify(
        self, expr: ast.expr, roots: frozenset[str] | None = None
    ) -> tuple[str, bool] | None:
        """``(qualified name, root was imported)`` of a call target or attribute chain.

        Calls inside the chain keep a ``()`` marker: ``psutil.Process().memory_info`` stays
        recognisable. Chains rooted in anything but a name (a subscript, a literal) give None.
        With ``roots``, a dotted chain whose root was not imported and is not one of ``roots``
        gives None without building its name (``self.model.eval`` can match no rule).
        """
        if expr.__class__ is ast.Name:
            base_name: str = expr.id
            bound = self._visible.get(base_name)
            return (bound, True) if bound is not None else (base_name, False)
        node: ast.expr = expr
        while True:
            cls = node.__class__
            if cls is ast.Attribute:
                node = node.value  # type: ignore[attr-defined]
            elif cls is ast.Call:
                node = node.func  # type: ignore[attr-defined]
            elif cls is ast.Name:
                break
            else:
                return None
        base: str = node.id  # type: ignore[attr-defined]
        found = self._visible.get(base)
        imported = found is not None
        if found is None:
            if roots is not None and base not in roots and base not in CONVENTIONAL_ALIASES:
                return None
            found = CONVENTIONAL_ALIASES.get(base, base)
        parts: list[str] = []
        node = expr
        while node.__class__ is not ast.Name:
            if node.__class__ is ast.Attribute:
                parts.append(node.attr)
                node = node.value
            else:
                parts.append(_CALL)
                node = node.func  # type: ignore[attr-defined]
        out = [found]
        for part in reversed(parts):
            if part == _CALL:
                out[-1] += _CALL
            else:
                out.append(part)
        return ".".join(out), imported
