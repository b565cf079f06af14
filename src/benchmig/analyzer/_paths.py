"""Best-effort static evaluation of the folder a ``sys.path`` hack adds.

``os.path.dirname(os.path.abspath(__file__))`` is the file's own folder (``"."``),
``Path(__file__).parent.parent`` its parent (``".."``) and
``os.path.join(os.path.dirname(__file__), "..", "common")`` is ``"../common"``. Literal paths
are kept as written. Anything else (a computed string, a call we do not model) is unknown.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["PathValue", "evaluate_path"]

PathKind = Literal["file", "dir", "absolute", "cwd"]

_IDENTITY_CALLS = frozenset(
    {
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.expanduser",
        "str",
        "os.fspath",
        "pathlib.Path",
        "Path",
        "pathlib.PurePath",
        "pathlib.PosixPath",
    }
)
_IDENTITY_METHODS = frozenset({"resolve", "absolute", "expanduser", "as_posix"})
_DIRNAME_CALLS = frozenset({"os.path.dirname"})
_JOIN_CALLS = frozenset({"os.path.join"})
_MAX_DEPTH = 12


@dataclass(frozen=True)
class PathValue:
    """A statically known path: the file itself, a folder relative to the file's folder, a
    literal absolute path, or a path relative to the working directory."""

    kind: PathKind
    path: str = "."

    @property
    def relative_to_file(self) -> bool:
        """Whether the value was derived from ``__file__``."""
        return self.kind in ("file", "dir")


Qualify = Callable[[ast.expr], "tuple[str, bool] | None"]
LookupValue = Callable[[str], "ast.expr | None"]


def evaluate_path(node: ast.expr, qualify: Qualify, lookup: LookupValue) -> PathValue | None:
    """The static value of a path expression, or None when it cannot be known."""
    return _Evaluator(qualify, lookup).eval(node, 0)


class _Evaluator:
    def __init__(self, qualify: Qualify, lookup: LookupValue) -> None:
        self._qualify = qualify
        self._lookup = lookup

    def eval(self, node: ast.expr, depth: int) -> PathValue | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return _literal_path(node.value)
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return PathValue("file", "")
            bound = self._lookup(node.id)
            return None if bound is None else self.eval(bound, depth + 1)
        if isinstance(node, ast.Attribute):
            return self._attribute(node, depth)
        if isinstance(node, ast.Subscript):
            return self._parents(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._join(node.left, [node.right], depth)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        return None

    def _attribute(self, node: ast.Attribute, depth: int) -> PathValue | None:
        if node.attr == "parent":
            base = self.eval(node.value, depth + 1)
            return None if base is None else _dirname(base)
        return None

    def _parents(self, node: ast.Subscript, depth: int) -> PathValue | None:
        # Path(__file__).parents[1] is the folder two levels up from the file.
        if not (isinstance(node.value, ast.Attribute) and node.value.attr == "parents"):
            return None
        index = node.slice
        if not (isinstance(index, ast.Constant) and isinstance(index.value, int)):
            return None
        value = self.eval(node.value.value, depth + 1)
        for _ in range(index.value + 1):
            if value is None:
                return None
            value = _dirname(value)
        return value

    def _call(self, node: ast.Call, depth: int) -> PathValue | None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _IDENTITY_METHODS:
            return self.eval(func.value, depth + 1)
        if isinstance(func, ast.Attribute) and func.attr == "joinpath":
            return self._join(func.value, list(node.args), depth)
        qualified = self._qualify(func)
        name = qualified[0] if qualified else ""
        if name == "os.getcwd" or name == "pathlib.Path.cwd" or name == "Path.cwd":
            return PathValue("cwd", ".")
        if not node.args:
            return None
        if name in _IDENTITY_CALLS and len(node.args) == 1:
            return self.eval(node.args[0], depth + 1)
        if name in _DIRNAME_CALLS:
            base = self.eval(node.args[0], depth + 1)
            return None if base is None else _dirname(base)
        if name in _JOIN_CALLS or (name in _IDENTITY_CALLS and len(node.args) > 1):
            return self._join(node.args[0], list(node.args[1:]), depth)
        return None

    def _join(self, head: ast.expr, tail: list[ast.expr], depth: int) -> PathValue | None:
        base = self.eval(head, depth + 1)
        if base is None or base.kind == "file":
            return None
        parts: list[str] = []
        for part in tail:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                return None
            parts.append(part.value)
        if parts and parts[-1].startswith("/"):
            return PathValue("absolute", posixpath.normpath(parts[-1]))
        joined = posixpath.normpath(posixpath.join(base.path, *parts)) if parts else base.path
        return PathValue(base.kind, joined)


def _literal_path(text: str) -> PathValue:
    if text.startswith(("/", "~")) or (len(text) > 2 and text[1] == ":"):
        return PathValue("absolute", text)
    return PathValue("cwd", posixpath.normpath(text) if text else ".")


def _dirname(value: PathValue) -> PathValue:
    if value.kind == "file":
        return PathValue("dir", ".")
    if value.kind == "absolute":
        return PathValue("absolute", posixpath.dirname(value.path.rstrip("/")) or "/")
    return PathValue(value.kind, posixpath.normpath(posixpath.join(value.path, "..")))
