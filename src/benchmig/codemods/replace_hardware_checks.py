"""``replace-hardware-checks``: ad hoc device selection inside benchmarks -> ``self.hardware``.

A registered benchmark runs on the device the runner gives it (``self.hardware``: ``"cpu"``,
``"cuda"``, ``"mps"``...), and the runner skips devices that are absent. So inside the methods of
a :class:`~benchmig.framework.BenchmarkBase` subclass, the legacy selection

    "cuda" if torch.cuda.is_available() else "cpu"
    "cuda" if torch.cuda.is_available() else ("mps" if torch.backends.mps.is_available() else "cpu")

becomes ``self.hardware`` (``torch.device(...)`` around it stays: ``torch.device(self.hardware)``).
Outside benchmark classes nothing is rewritten: a module-level default or a helper keeps its
check. Custom detect functions (``def detect_hardware(): ...``) are reported with a warning: the
framework detects hardware itself (``migrate hardware``), and their callers need a person, or
an adapter that maps their answer onto ``self.hardware``.
"""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext

from benchmig.codemods._outcome import UnitOutcome
from benchmig.codemods._support import (
    FastCommand,
    call_name,
    file_facts,
    record_unit,
    rel_path,
)

__all__ = ["ReplaceHardwareChecksCommand"]

_AVAILABILITY = {
    "torch.cuda.is_available": ("cuda",),
    "torch.backends.mps.is_available": ("mps",),
    "torch.mps.is_available": ("mps",),
    "torch.xpu.is_available": ("xpu",),
}
_CPU = frozenset({"cpu"})


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


class ReplaceHardwareChecksCommand(FastCommand):
    """Replace device-selection expressions in benchmark methods with ``self.hardware``."""

    NAME = "replace-hardware-checks"
    DESCRIPTION = "Replace ad hoc device checks in benchmark classes with self.hardware."
    # Matched by spelling (``torch.cuda.is_available``, a base named ``BenchmarkBase``): the
    # scope analysis behind qualified names costs several parses per file.

    def __init__(self, context: CodemodContext) -> None:
        super().__init__(context)
        # One entry per enclosing class or function: whether ``self.hardware`` is usable there
        # (a method of a benchmark class, or a function nested in one).
        self.scopes: list[tuple[str, bool]] = []
        self.replaced = 0

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """Warn about custom detect functions; rewrite only where a benchmark class checks."""
        facts = file_facts(self.context, tree)
        path = rel_path(self.context)
        for idiom in facts.idioms_of("hardware_check"):
            if idiom.attrs.get("definition"):
                name = idiom.attrs.get("function") or idiom.detail
                self.warn(
                    f"{path}:{idiom.line}: custom hardware detection {name}(): the framework "
                    "detects hardware itself (`migrate hardware`) and gives each benchmark "
                    "self.hardware; replace its callers by hand or keep it behind an adapter"
                )
        checks = [
            i
            for i in facts.idioms_of("hardware_check")
            if i.attrs.get("api") in _AVAILABILITY and "." in i.scope
        ]
        if not checks or b"BenchmarkBase" not in tree.bytes:
            return tree
        updated = super().transform_module(tree)
        if not self.replaced:
            return tree
        if self.replaced:
            record_unit(
                self.context,
                UnitOutcome(
                    unit="<device selection>",
                    kind="hardware",
                    line=min(i.line for i in checks),
                    tier="native",
                    codemod=self.NAME,
                    warnings=(
                        f"{self.replaced} device selection(s) replaced by self.hardware (the "
                        "runner picks the device)",
                    ),
                ),
            )
        return updated

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Only benchmark classes are rewritten: do not walk other functions and classes."""
        descend = super().on_visit(node)
        if isinstance(node, cst.FunctionDef | cst.ClassDef):
            return descend and any(scope == ("class", True) for scope in self.scopes)
        return descend

    def _usable(self) -> bool:
        return bool(self.scopes) and self.scopes[-1] == ("function", True)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """Remember whether we are inside a benchmark class."""
        is_benchmark = any(
            (call_name(base.value) or "").split(".")[-1] == "BenchmarkBase" for base in node.bases
        )
        self.scopes.append(("class", is_benchmark))

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        """Leave the class."""
        self.scopes.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """A method of a benchmark class (or a function inside one) can use ``self``."""
        params = node.params.params
        if self.scopes and self.scopes[-1] == ("class", True):
            usable = bool(params) and params[0].name.value == "self"
        else:
            usable = self._usable() and all(p.name.value != "self" for p in params)
        self.scopes.append(("function", usable))

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        """Leave the function."""
        self.scopes.pop()
        return updated_node

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        """``"cuda" if torch.cuda.is_available() else "cpu"`` -> ``self.hardware``."""
        if not self._usable() or not self._is_selection(original_node):
            return updated_node
        self.replaced += 1
        # Grouping parentheses (often spanning lines) are not needed around an attribute.
        return cst.Attribute(value=cst.Name("self"), attr=cst.Name("hardware"))

    def _is_selection(self, node: cst.BaseExpression) -> bool:
        """A chain of availability checks choosing device strings, ending with ``"cpu"``."""
        if not isinstance(node, cst.IfExp):
            return _string(node) in _CPU
        test = node.test
        if not isinstance(test, cst.Call) or test.args:
            return False
        backends = set(_AVAILABILITY.get(call_name(test.func) or "", ()))
        body = _string(node.body)
        if not backends or body is None or body.split(":")[0] not in backends:
            return False
        return self._is_selection(node.orelse)
