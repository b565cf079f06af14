"""Translate a legacy statement for a migrated method.

* the legacy object's ``self`` becomes the local that holds it (``self.model`` -> ``bench.model``);
* ``args.batch_size`` (a parsed namespace) becomes ``self.config["batch_size"]``, a count or a
  storage option its default, a device option ``self.hardware``;
* hardware checks (``"cuda" if torch.cuda.is_available() else "cpu"``, ``device = get_device()``)
  become ``self.hardware``; a local class built without its ``device`` argument gets
  ``device=self.hardware``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import libcst as cst

from benchmig.codemods._unit_eval import UNKNOWN, Evaluator
from benchmig.codemods._unit_plan import hardware_ref, jsonable, literal
from benchmig.codemods._unit_syntax import contains, target_names
from benchmig.codemods._unit_vocab import DEVICE_NAMES, hardware_in_text

if TYPE_CHECKING:
    from benchmig.codemods._unit_plan import Builder

__all__ = [
    "NameRewriter",
    "Translator",
    "is_hardware_check",
    "keyword_arg",
    "translate",
    "translate_expr",
]

_DETECT = re.compile(r"(device|hardware|detect|backend|accelerator)", re.IGNORECASE)
_DEVICE = re.compile(r"device", re.IGNORECASE)
_DEVICE_VARS = frozenset({"device", "dev", "device_name", "device_type"})


def _is_availability(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        return node.func.attr.value in {"is_available", "is_built", "device_count"}
    if isinstance(node, cst.Attribute):
        return node.attr.value == "hip"
    return False


def is_hardware_check(node: cst.CSTNode) -> bool:
    """``"cuda" if torch.cuda.is_available() else "cpu"`` (any known hardware strings)."""
    if not isinstance(node, cst.IfExp) or not contains(node.test, _is_availability):
        return False
    branches = [node.body, node.orelse]
    while isinstance(branches[-1], cst.IfExp):
        nested = branches.pop()
        assert isinstance(nested, cst.IfExp)
        branches.extend([nested.body, nested.orelse])
    for branch in branches:
        if not isinstance(branch, cst.SimpleString):
            return False
        value = branch.evaluated_value
        if not isinstance(value, str) or not hardware_in_text(value):
            return False
    return True


def _call_name(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Name):
            return func.value
        if isinstance(func, cst.Attribute):
            return func.attr.value
    return None


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    """``name=value`` without spaces around ``=``."""
    equal = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    return cst.Arg(value, keyword=cst.Name(name), equal=equal)


_FOLD_LIMIT = 256  # values in a folded literal: a larger one stays the comprehension it was


def _folded(original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
    """An expression that became constant once options were replaced by their defaults (not
    when its value is large: ``[[0.1 for _ in range(80)] for _ in range(3000)]`` stays)."""
    if original is updated:
        return updated
    value = jsonable(Evaluator({}).value(updated))
    if value is UNKNOWN or _size(value, _FOLD_LIMIT) > _FOLD_LIMIT:
        return updated
    return literal(value)


def _size(value: object, limit: int) -> int:
    """Values in ``value`` (nested lists and dicts counted through), up to about ``limit``."""
    if isinstance(value, dict):
        value = list(value.values())
    if not isinstance(value, list):
        return 1
    total = 0
    for item in value:
        total += _size(item, limit - total)
        if total > limit:
            break
    return total


class Translator(cst.CSTTransformer):
    """See the module docstring; one instance per statement."""

    def __init__(self, builder: Builder, alias: str | None) -> None:
        self.builder = builder
        self.alias = alias
        self.nested = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.nested += 1

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.nested -= 1
        return updated_node.with_changes(name=original_node.name, params=original_node.params)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if original_node.value == "self" and self.alias is not None and not self.nested:
            return cst.Name(self.alias)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        owner = original_node.value
        if isinstance(owner, cst.Name) and owner.value in self.builder.namespaces:
            return self.builder.namespace_attr(owner.value, original_node.attr.value, owner)
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def leave_IfExp(self, original_node: cst.IfExp, updated_node: cst.IfExp) -> cst.BaseExpression:
        if is_hardware_check(original_node):
            return hardware_ref()
        test = Evaluator({}).value(updated_node.test)
        if test is UNKNOWN or original_node.test is updated_node.test:
            return updated_node
        return updated_node.body if test else updated_node.orelse

    def leave_ListComp(
        self, original_node: cst.ListComp, updated_node: cst.ListComp
    ) -> cst.BaseExpression:
        return _folded(original_node, updated_node)

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if len(original_node.targets) != 1:
            return updated_node
        target = original_node.targets[0].target
        name = _call_name(original_node.value)
        if (
            isinstance(target, cst.Name)
            and target.value in DEVICE_NAMES
            and name is not None
            and not name.startswith("torch")
            and (_DEVICE.search(name) or (target.value in _DEVICE_VARS and _DETECT.search(name)))
        ):
            return updated_node.with_changes(value=hardware_ref())
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        func = original_node.func
        if not isinstance(func, cst.Name) or func.value not in self.builder.ctx.classes:
            return updated_node
        init = self.builder.ctx.scopes.get(f"{func.value}.__init__")
        if init is None or init.params is None:
            return updated_node
        params = [p.name.value for p in init.params.params][1:]
        given = {a.keyword.value for a in original_node.args if a.keyword is not None}
        positional = sum(1 for a in original_node.args if a.keyword is None and not a.star)
        if any(a.star for a in original_node.args):
            return updated_node
        for index, param in enumerate(params):
            if param in DEVICE_NAMES and param not in given and index >= positional:
                extra = keyword_arg(param, hardware_ref())
                return updated_node.with_changes(args=[*updated_node.args, extra])
        return updated_node


def translate(builder: Builder, node: cst.BaseStatement) -> cst.BaseStatement:
    """The statement as migrated code writes it (see the module docstring)."""
    result = node.visit(Translator(builder, builder.alias))
    assert isinstance(result, cst.BaseStatement)
    return result


def translate_expr(builder: Builder, node: cst.BaseExpression) -> cst.BaseExpression:
    """An expression as migrated code writes it."""
    result = node.visit(Translator(builder, builder.alias))
    assert isinstance(result, cst.BaseExpression)
    return result


class NameRewriter(cst.CSTTransformer):
    """Replace free uses of some names by expressions (``model`` -> ``self.model``)."""

    def __init__(self, replacements: dict[str, cst.BaseExpression]) -> None:
        self.replacements = replacements
        self.local: list[set[str]] = []

    def _shadowed(self, name: str) -> bool:
        return any(name in scope for scope in self.local)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        return True

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return updated_node.with_changes(attr=original_node.attr)

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.local.append({p.name.value for p in node.params.params})

    def leave_Lambda(self, original_node: cst.Lambda, updated_node: cst.Lambda) -> cst.Lambda:
        self.local.pop()
        return updated_node.with_changes(params=original_node.params)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.local.append(set(target_names(node.target)))

    def leave_CompFor(self, original_node: cst.CompFor, updated_node: cst.CompFor) -> cst.CompFor:
        return updated_node.with_changes(target=original_node.target)

    def leave_ListComp(
        self, original_node: cst.ListComp, updated_node: cst.ListComp
    ) -> cst.ListComp:
        self._pop_comp(original_node)
        return updated_node

    def leave_GeneratorExp(
        self, original_node: cst.GeneratorExp, updated_node: cst.GeneratorExp
    ) -> cst.GeneratorExp:
        self._pop_comp(original_node)
        return updated_node

    def leave_SetComp(self, original_node: cst.SetComp, updated_node: cst.SetComp) -> cst.SetComp:
        self._pop_comp(original_node)
        return updated_node

    def leave_DictComp(
        self, original_node: cst.DictComp, updated_node: cst.DictComp
    ) -> cst.DictComp:
        self._pop_comp(original_node)
        return updated_node

    def _pop_comp(self, node: cst.BaseComp) -> None:
        loop: cst.CompFor | None = node.for_in
        while loop is not None:
            self.local.pop()
            loop = loop.inner_for_in

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        replacement = self.replacements.get(original_node.value)
        if replacement is None or self._shadowed(original_node.value):
            return updated_node
        return replacement
