"""Load benchmark definitions from a file, a folder or an importable module into a registry.

Loading makes roots importable the way pytest's ``prepend`` import mode does: a file's *basedir*
(the first folder upwards without an ``__init__.py``) goes on ``sys.path`` and the file is imported
under its dotted name from there, so sibling-script and package imports resolve without any
``sys.path`` hack in the benchmark files. A folder's own root goes on ``sys.path`` too.

In a folder, only files that mention ``benchmig`` are imported: a legacy script that times things
at module level must never run just because it sits next to a migrated benchmark.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import pkgutil
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from benchmig.errors import BenchmarkLoadError, BenchmigError, InputError
from benchmig.framework._registry import SPEC_ATTRIBUTE, BenchmarkRegistry, BenchmarkSpec

__all__ = ["LoadTarget", "file_target", "load_targets", "loaded_target", "resolve_target"]

logger = logging.getLogger(__name__)

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".tox",
        ".venv",
        "venv",
        "env",
        "__pycache__",
        "node_modules",
        "build",
        "dist",
        "site-packages",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".benchmig",
    }
)
TARGET_ATTRIBUTE = "__benchmig_load_target__"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class LoadTarget:
    """One thing to import: a module name, plus the folders that must be on ``sys.path`` first.

    ``path`` is set when the module comes from a file (so a worker process can load it again).
    """

    module: str
    sys_path: tuple[str, ...] = ()
    path: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON form (sent to worker processes)."""
        return {"module": self.module, "sys_path": list(self.sys_path), "path": self.path}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> LoadTarget:
        """Inverse of :meth:`to_dict`."""
        sys_path = data.get("sys_path") or []
        path = data.get("path")
        return cls(
            module=str(data["module"]),
            sys_path=tuple(str(p) for p in sys_path) if isinstance(sys_path, list) else (),
            path=str(path) if path else None,
        )


def _basedir_and_module(path: Path) -> tuple[Path, str]:
    """pytest's rule: walk up while the folder is a package; the module name is the dotted rest."""
    path = path.resolve()
    parts = [path.stem]
    folder = path.parent
    if path.name == "__init__.py":
        parts = []
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    if path.name == "__init__.py" and not parts:
        parts = [path.parent.name]
    return folder, ".".join(parts)


def file_target(path: Path, extra_root: Path | None = None) -> LoadTarget:
    """How to import a file: its pytest-style basedir (and ``extra_root``) on ``sys.path``."""
    basedir, module = _basedir_and_module(path)
    roots = [str(basedir)]
    if extra_root is not None and str(extra_root.resolve()) not in roots:
        roots.append(str(extra_root.resolve()))
    importable = all(_IDENTIFIER.match(part) for part in module.split("."))
    if not importable:
        # Hyphenated script names cannot be imported by name: load them from the file path.
        module = "_benchmig_file_" + re.sub(r"\W", "_", module)
    return LoadTarget(module=module, sys_path=tuple(roots), path=str(path.resolve()))


def _folder_files(folder: Path) -> Iterator[Path]:
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            if entry.name in _SKIP_DIRS or entry.name.startswith(".") or entry.is_symlink():
                continue
            if (entry / "pyvenv.cfg").exists():
                continue
            yield from _folder_files(entry)
        elif entry.suffix == ".py" and entry.name not in {"setup.py", "conftest.py"}:
            yield entry


def _mentions_benchmig(path: Path) -> bool:
    try:
        return b"benchmig" in path.read_bytes()
    except OSError:
        return False


def resolve_target(target: str) -> list[LoadTarget]:
    """Turn a CLI target (a .py file, a folder or a module name) into things to import."""
    path = Path(target)
    if path.is_file():
        if path.suffix != ".py":
            raise InputError(f"{target}: not a Python file; give a .py file, a folder or a module")
        return [file_target(path)]
    if path.is_dir():
        files = [f for f in _folder_files(path) if _mentions_benchmig(f)]
        return [file_target(f, extra_root=path) for f in files]
    if _looks_like_module(target):
        return [LoadTarget(module=target)]
    raise InputError(
        f"{target}: no such file, folder or importable module name; check the path "
        "(relative to the current folder) or the module's spelling"
    )


def _looks_like_module(target: str) -> bool:
    return all(_IDENTIFIER.match(part) for part in target.split("."))


def _same_file(module: ModuleType, path: str) -> bool:
    location = getattr(module, "__file__", None)
    return location is not None and Path(location).resolve() == Path(path).resolve()


def _import(target: LoadTarget) -> tuple[ModuleType, LoadTarget]:
    """Import ``target``; returns the module and the target it was really loaded as."""
    for root in reversed(target.sys_path):
        if root not in sys.path:
            sys.path.insert(0, root)
    existing = sys.modules.get(target.module)
    if existing is not None:
        if target.path is None or _same_file(existing, target.path):
            return existing, target
        # Another file already holds this module name (two folders each with a
        # `cnn_benchmark.py`, as copied trees have): load this one from its path.
        unique = "_benchmig_file_" + re.sub(r"\W", "_", str(Path(target.path).with_suffix("")))
        target = LoadTarget(module=unique, sys_path=target.sys_path, path=target.path)
        if unique in sys.modules:
            return sys.modules[unique], target
    if target.path is not None and target.module.startswith("_benchmig_file_"):
        spec = importlib.util.spec_from_file_location(target.module, target.path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {target.path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[target.module] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(target.module, None)
            raise
        return module, target
    return importlib.import_module(target.module), target


def _submodules(module: ModuleType) -> Iterable[str]:
    paths = getattr(module, "__path__", None)
    if not paths:
        return []
    return sorted(
        info.name
        for info in pkgutil.walk_packages(paths, prefix=module.__name__ + ".")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    )


def _specs_defined_in(module: ModuleType) -> list[BenchmarkSpec]:
    """Specs attached to classes of a module: makes loading work when the module was cached."""
    specs: list[BenchmarkSpec] = []
    for _, value in inspect.getmembers(module, inspect.isclass):
        for spec in getattr(value, SPEC_ATTRIBUTE, ()):
            if spec.module == module.__name__:
                specs.append(spec)
    return specs


def _load_one(target: LoadTarget, registry: BenchmarkRegistry) -> None:
    where = target.path or target.module
    try:
        with registry.collecting():
            module, target = _import(target)
            names = _submodules(module) if target.path is None else []
            modules = [module] + [importlib.import_module(name) for name in names]
    except BenchmigError:
        raise
    except (Exception, SystemExit) as exc:  # a broken benchmark file must not take the run down
        last = traceback.format_exception_only(type(exc), exc)[-1].strip()
        line = _error_line(exc, target.path)
        location = f"{where}:{line}" if line else where
        raise BenchmarkLoadError(
            f"{location}: cannot import benchmark module {target.module!r}: {last}; "
            "fix the error (run `python -c 'import ...'` on it to see the traceback) or leave "
            "the file out of the targets"
        ) from exc
    for mod in modules:
        # Remember how the module was loaded, so a worker process can load it the same way.
        if mod is module and not hasattr(mod, TARGET_ATTRIBUTE):
            setattr(mod, TARGET_ATTRIBUTE, target)
        for spec in _specs_defined_in(mod):
            registry.add(spec)


def loaded_target(module_name: str) -> LoadTarget | None:
    """The :class:`LoadTarget` a module was loaded with by :func:`load_targets`, if any."""
    module = sys.modules.get(module_name)
    target = getattr(module, TARGET_ATTRIBUTE, None)
    return target if isinstance(target, LoadTarget) else None


def _error_line(exc: BaseException, path: str | None) -> int | None:
    if isinstance(exc, SyntaxError):
        return exc.lineno
    if path is None:
        return None
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and Path(frame.filename).resolve() == Path(path).resolve():
            return frame.lineno
    return None


def load_targets(
    targets: Sequence[LoadTarget], registry: BenchmarkRegistry, *, keep_going: bool = False
) -> list[BenchmarkLoadError]:
    """Import every target into ``registry``.

    Returns the load errors when ``keep_going`` is set; otherwise the first one is raised.
    Duplicate benchmark names always raise.
    """
    errors: list[BenchmarkLoadError] = []
    for target in targets:
        try:
            _load_one(target, registry)
        except BenchmarkLoadError as exc:
            if not keep_going:
                raise
            logger.warning("%s", exc)
            errors.append(exc)
    return errors
