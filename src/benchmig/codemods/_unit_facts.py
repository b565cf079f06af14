"""File-level facts the unit planners share: option defaults, optional imports, hardware.

:class:`FileFacts` is mixed into :class:`~benchmig.codemods._unit_context.FileContext`; every
fact is computed once per file (``cached``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import libcst as cst

from benchmig.codemods._params import ArgOption
from benchmig.codemods._unit_eval import Namespace
from benchmig.codemods._unit_syntax import bound_names, find_all, method_call, single_small
from benchmig.codemods._unit_vocab import (
    DEVICE_NAMES,
    QualNames,
    hardware_in_text,
    qualnames_of,
)

__all__ = ["FileFacts"]


class FileFacts:
    """Facts about the whole file (needs ``module``, ``options``, ``resolve``, ``cached``)."""

    module: cst.Module
    options: dict[str, ArgOption]
    resolve: QualNames
    imported_hardware: list[str]
    main_guard: cst.If | None

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

    def lasting_names(self) -> set[str]:
        """Module names bound outside the ``__main__`` block: what a benchmark class can read
        (the block is replaced, and a module loaded by the runner never runs it)."""
        result: set[str] = self.cached(
            "lasting_names",
            lambda: set(bound_names([s for s in self.module.body if s is not self.main_guard])),
        )
        return result

    def device_globals(self) -> dict[str, tuple[bool, cst.BaseExpression]]:
        """Module-level names that only ever hold a device choice (``DEVICE = "cuda"``,
        ``device = torch.device("cuda" if ... else "cpu")``): name -> (whether it is a
        ``torch.device``, its first value)."""
        result: dict[str, tuple[bool, cst.BaseExpression]] = self.cached(
            "device_globals", self._device_globals
        )
        return result

    def _device_globals(self) -> dict[str, tuple[bool, cst.BaseExpression]]:
        found: dict[str, tuple[bool, cst.BaseExpression]] = {}
        rejected: set[str] = set()
        for name, value in _bindings(self.module.body):
            if name.lower() not in _GLOBAL_DEVICE_NAMES or name in rejected:
                continue
            if isinstance(value, cst.BaseExpression):
                kind = _device_choice(value, self.resolve)
                if kind is not None and found.get(name, (kind,))[0] == kind:
                    found.setdefault(name, (kind, value))
                    continue
            rejected.add(name)
            found.pop(name, None)
        return found

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
                if isinstance(value, str):
                    found.append(_KNOWN[_device_kind(value)])
            elif method_call(node, "cuda"):
                found.append("cuda")
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


_GLOBAL_DEVICE_NAMES = DEVICE_NAMES - {"device_name", "device_type"}  # a GPU's name, a kind


def _device_choice(node: cst.BaseExpression, resolve: QualNames) -> bool | None:
    """Whether ``node`` chooses a device: ``"cuda"``, ``"cuda:0"``, ``torch.device(...)``,
    ``"cuda" if ... else "cpu"``; ``True`` when it makes a ``torch.device``, ``None`` when it
    is something else."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        is_device = isinstance(value, str) and _device_kind(value) in _KNOWN
        return False if is_device else None
    if isinstance(node, cst.Call):
        return True if "torch.device" in qualnames_of(node, resolve) else None
    if isinstance(node, cst.IfExp):
        body, orelse = _device_choice(node.body, resolve), _device_choice(node.orelse, resolve)
        return None if body is None or orelse is None else body and orelse
    return None


def _bindings(statements: Sequence[cst.BaseStatement]) -> Iterator[tuple[str, cst.CSTNode]]:
    """Each top-level binding (name, statement or value), looking into ``if``/``else`` blocks:
    an assignment yields its value, anything else that binds yields the statement itself."""
    for statement in statements:
        small = single_small(statement)
        if isinstance(small, cst.Assign | cst.AnnAssign) and small.value is not None:
            targets = small.targets if isinstance(small, cst.Assign) else [small]
            for target in targets:
                if isinstance(target.target, cst.Name):
                    yield target.target.value, small.value
                else:
                    yield from ((n, statement) for n in bound_names([target.target]))
        elif isinstance(statement, cst.If):
            branch: cst.If | cst.Else | None = statement
            while branch is not None:
                yield from _bindings(_statements(branch.body))
                branch = branch.orelse if isinstance(branch, cst.If) else None
        else:
            yield from ((n, statement) for n in bound_names([statement]))


def _statements(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    if isinstance(block, cst.IndentedBlock):
        return block.body
    assert isinstance(block, cst.SimpleStatementSuite)
    return [cst.SimpleStatementLine(block.body)]


def _device_kind(value: str) -> str:
    """``"CUDA:1"`` -> ``"cuda"``: a device string's kind (look it up in ``_KNOWN``)."""
    return value.lower().split(":", 1)[0]


def _hardware_node(node: cst.CSTNode) -> bool:
    """A device string (``"cuda:0"``), a ``.cuda()`` call or an ``is_available()`` check."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return isinstance(value, str) and _device_kind(value) in _KNOWN
    return method_call(node, "is_available") or method_call(node, "cuda")
