"""Small readings of statements the walker needs: ``__main__`` guards, import guards, the
flags an ``except ImportError`` sets, ``@contextmanager`` functions and parameter defaults."""

from __future__ import annotations

import ast

from benchmig.analyzer._names import dotted
from benchmig.analyzer._state import Scope

__all__ = [
    "bind_defaults",
    "catches_import_error",
    "flags_set",
    "is_contextmanager",
    "is_main_guard",
    "top_modules",
]

_IMPORT_ERRORS = frozenset(
    {"ImportError", "ModuleNotFoundError", "Exception", "BaseException", "OSError"}
)


def bind_defaults(scope: Scope, arguments: ast.arguments) -> None:
    positional = [*arguments.posonlyargs, *arguments.args]
    for arg, default in zip(
        positional[len(positional) - len(arguments.defaults) :], arguments.defaults, strict=False
    ):
        scope.values[arg.arg] = default
        scope.defaults.add(arg.arg)
    for arg, kw_default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=False):
        if kw_default is not None:
            scope.values[arg.arg] = kw_default
            scope.defaults.add(arg.arg)


def top_modules(modules: list[str]) -> list[str]:
    """Distinct modules, without submodules of one already listed (``jax``, not ``jax.numpy``)."""
    unique = list(dict.fromkeys(modules))
    return [m for m in unique if not any(m.startswith(other + ".") for other in unique)]


def is_contextmanager(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        name = dotted(decorator.func if isinstance(decorator, ast.Call) else decorator) or ""
        if name.endswith("contextmanager"):
            return True
    return False


def is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return has_name and has_main


def catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for caught in types:
        name = dotted(caught) or ""
        if name.rsplit(".", 1)[-1] in _IMPORT_ERRORS:
            return True
    return False


def flags_set(body: list[ast.stmt]) -> list[str]:
    """Names an ``except ImportError`` block sets to a constant (``HAS_TORCH = False``)."""
    flags: list[str] = []
    for statement in body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
            for target in statement.targets:
                key = dotted(target)
                if key is not None:
                    flags.append(key)
    return flags
