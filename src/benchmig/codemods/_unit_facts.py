"""File-level facts the unit planners share: option defaults, optional imports, hardware.

:class:`FileFacts` is mixed into :class:`~benchmig.codemods._unit_context.FileContext`; every
fact is computed once per file (``cached``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from benchmig.codemods._params import ArgOption
from benchmig.codemods._unit_eval import Namespace
from benchmig.codemods._unit_syntax import bound_names, find_all, single_small
from benchmig.codemods._unit_vocab import QualNames, hardware_in_text, qualnames_of

__all__ = ["FileFacts"]


class FileFacts:
    """Facts about the whole file (needs ``module``, ``options``, ``resolve``, ``cached``)."""

    module: cst.Module
    options: dict[str, ArgOption]
    resolve: QualNames
    imported_hardware: list[str]

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per file (provided by the context)."""
        raise NotImplementedError

    def namespace(self) -> Namespace:
        """The argparse/absl namespace at its defaults."""
        result: Namespace = self.cached("namespace", self._namespace)
        return result

    def _namespace(self) -> Namespace:
        return Namespace({dest: option.default for dest, option in self.options.items()})

    def optional_flags(self) -> set[str]:
        """``HAS_TORCH``-style names set by module-level ``try: import ... except ImportError``."""
        result: set[str] = self.cached("optional_flags", self._optional_flags)
        return result

    def _optional_flags(self) -> set[str]:
        flags: set[str] = set()
        for statement in self.module.body:
            if isinstance(statement, cst.Try):
                for handler in statement.handlers:
                    flags.update(bound_names(handler.body.children))
                flags.update(bound_names(statement.body.children))
        return {f for f in flags if f.isupper() or f.startswith(("HAS_", "has_", "USE_"))}

    def absl_names(self) -> set[str]:
        """Module names bound to absl's ``flags.FLAGS``."""
        result: set[str] = self.cached("absl_names", self._absl_names)
        return result

    def _absl_names(self) -> set[str]:
        names: set[str] = set()
        for statement in self.module.body:
            small = single_small(statement)
            if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                continue
            value, target = small.value, small.targets[0].target
            is_flags = isinstance(value, cst.Attribute) and value.attr.value == "FLAGS"
            if is_flags and isinstance(target, cst.Name):
                names.add(target.value)
        return names

    def hardware(self) -> list[str]:
        """Hardware the file's code supports: ``cpu`` plus what its checks and choices name, and
        what the tree's detect functions it imports can choose."""
        result: list[str] = self.cached("hardware", self._hardware)
        return result

    def _hardware(self) -> list[str]:
        found: list[str] = ["cpu", *self.imported_hardware]
        for node in find_all(self.module, _hardware_node):
            if isinstance(node, cst.SimpleString):
                value = node.evaluated_value
                if isinstance(value, str) and value.lower() in _KNOWN:
                    found.append(_KNOWN[value.lower()])
            else:
                found.extend(hardware_in_text(" ".join(qualnames_of(node, self.resolve))))
        for option in self.options.values():
            if option.dest in {"device", "hardware", "devices"}:
                found.extend(_KNOWN[str(c).lower()] for c in option.choices if str(c) in _KNOWN)
        return [h for h in _ORDER if h in found]


_KNOWN = {
    "cpu": "cpu",
    "cuda": "cuda",
    "gpu": "cuda",
    "mps": "mps",
    "rocm": "rocm",
    "openvino": "openvino",
    "webgpu": "webgpu",
    "webnn": "webnn",
    "qnn": "qnn",
}
_ORDER = ("cpu", "cuda", "rocm", "mps", "openvino", "webgpu", "webnn", "qnn")


def _hardware_node(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return isinstance(value, str) and value.lower() in _KNOWN
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "is_available"
    )
