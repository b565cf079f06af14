"""The benchmark registry: named, categorised benchmark classes with their parameter grids.

``@BenchmarkRegistry.register(...)`` on the class registers into the *active* registry: the one a
loader is collecting into (see :meth:`BenchmarkRegistry.collecting`), else the process-wide default.
Called on an instance, ``registry.register(...)`` registers into that instance. Tests build fresh
registries; nothing here is global state that cannot be reset.
"""

from __future__ import annotations

import contextlib
import contextvars
import fnmatch
import inspect
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from benchmig.errors import DuplicateBenchmarkError, InputError, UnknownBenchmarkError

if TYPE_CHECKING:
    from benchmig.framework._base import BenchmarkBase

__all__ = ["KNOWN_CATEGORIES", "SPEC_ATTRIBUTE", "BenchmarkRegistry", "BenchmarkSpec"]

# Registered classes carry their specs here, so a loader can find them in an already-imported
# module (a fresh registry per test must not depend on import order).
SPEC_ATTRIBUTE = "__benchmig_specs__"

KNOWN_CATEGORIES = ("inference", "hardware", "resource_pool", "micro", "training", "migrated")

_ClassT = TypeVar("_ClassT", bound=type)
_OwnerT = TypeVar("_OwnerT")
_ResultT = TypeVar("_ResultT")


@dataclass(frozen=True)
class BenchmarkSpec:
    """One registered benchmark: its class, where it was defined and how to run it."""

    name: str
    cls: type[BenchmarkBase]
    category: str = "micro"
    hardware: tuple[str, ...] = ("cpu",)
    params: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    module: str = ""
    source_file: str | None = None
    line: int | None = None

    @property
    def location(self) -> str:
        """``file:line`` of the class definition (or the module name when there is no file)."""
        if self.source_file is None:
            return self.module or "<unknown>"
        return f"{self.source_file}:{self.line}" if self.line else self.source_file

    def cases(self) -> list[dict[str, Any]]:
        """Every combination of the params grid, in declaration order (one empty dict if none)."""
        keys = list(self.params)
        combos = itertools.product(*(self.params[k] for k in keys))
        return [dict(zip(keys, values, strict=True)) for values in combos]

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (used by ``migrate list --json``)."""
        return {
            "name": self.name,
            "category": self.category,
            "hardware": list(self.hardware),
            "params": {k: list(v) for k, v in self.params.items()},
            "metadata": dict(self.metadata),
            "module": self.module,
            "location": self.location,
            "cases": len(self.cases()),
        }


class _HybridMethod(Generic[_OwnerT, _ResultT]):
    """A method that binds to the instance, or to the active instance when called on the class."""

    def __init__(self, func: Callable[..., _ResultT]) -> None:
        self._func = func
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: type[Any]) -> Callable[..., _ResultT]:
        target = instance if instance is not None else owner.active()
        return self._func.__get__(target, owner)  # type: ignore[no-any-return]


_ACTIVE: contextvars.ContextVar[BenchmarkRegistry | None] = contextvars.ContextVar(
    "benchmig_active_registry", default=None
)
_DEFAULT: list[BenchmarkRegistry] = []


def _as_tuple(values: Any, what: str, name: str) -> tuple[Any, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence | set | frozenset):
        raise InputError(
            f"benchmark {name!r}: {what} must be a list of values, got {values!r}; "
            f"write {what}=[{values!r}] for a single value"
        )
    return tuple(values)


class BenchmarkRegistry:
    """A collection of benchmark specs keyed by unique name."""

    def __init__(self) -> None:
        self._specs: dict[str, BenchmarkSpec] = {}

    # -- the active / default registry -------------------------------------------------------
    @classmethod
    def default(cls) -> BenchmarkRegistry:
        """The process-wide convenience registry (created on first use)."""
        if not _DEFAULT:
            _DEFAULT.append(cls())
        return _DEFAULT[0]

    @classmethod
    def active(cls) -> BenchmarkRegistry:
        """The registry that class-level ``register`` calls go to right now."""
        active = _ACTIVE.get()  # an empty registry is falsy: compare with None
        return active if active is not None else cls.default()

    @contextlib.contextmanager
    def collecting(self) -> Iterator[BenchmarkRegistry]:
        """Make this registry the target of ``BenchmarkRegistry.register`` inside the block."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    # -- registration ------------------------------------------------------------------------
    @_HybridMethod
    def register(
        self,
        name: str | None = None,
        *,
        category: str = "micro",
        hardware: Sequence[str] = ("cpu",),
        params: Mapping[str, Sequence[Any]] | None = None,
        **metadata: Any,
    ) -> Callable[[_ClassT], _ClassT]:
        """Class decorator: register a :class:`BenchmarkBase` subclass.

        ``name`` defaults to the class name; ``hardware`` lists the devices the code supports;
        ``params`` is a grid (one result per combination); any other keyword is free metadata
        (``items_per_call``, ``warmup``, ``repeats``, ``legacy_source``...).
        """

        def decorate(cls: _ClassT) -> _ClassT:
            bench_name = name or cls.__name__
            grid = {
                k: _as_tuple(v, f"params[{k!r}]", bench_name) for k, v in (params or {}).items()
            }
            spec = BenchmarkSpec(
                name=bench_name,
                cls=cls,
                category=category,
                hardware=tuple(str(h).lower() for h in _as_tuple(hardware, "hardware", bench_name)),
                params=grid,
                metadata=dict(metadata),
                module=cls.__module__,
                source_file=inspect.getsourcefile(cls) if _has_file(cls) else None,
                line=_first_line(cls),
            )
            self.add(spec)
            previous = tuple(cls.__dict__.get(SPEC_ATTRIBUTE, ()))
            setattr(cls, SPEC_ATTRIBUTE, (*previous, spec))
            return cls

        return decorate

    def add(self, spec: BenchmarkSpec) -> None:
        """Add a spec; a name used twice is an error naming both places."""
        existing = self._specs.get(spec.name)
        if existing is not None:
            if existing.cls is spec.cls:
                return
            raise DuplicateBenchmarkError(
                f"benchmark name {spec.name!r} is registered twice: at {existing.location} and at "
                f"{spec.location}; give one of them another name=..."
            )
        self._specs[spec.name] = spec

    # -- lookup ------------------------------------------------------------------------------
    def get(self, name: str) -> BenchmarkSpec:
        """The spec registered under ``name``; unknown names raise with close matches."""
        try:
            return self._specs[name]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(name, self._specs, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownBenchmarkError(
                f"no benchmark named {name!r} is registered{hint} (see `migrate list`)"
            ) from None

    get_benchmark = get

    def list_benchmarks(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._specs)

    def filter(
        self,
        pattern: str | None = None,
        category: str | None = None,
        hardware: str | None = None,
    ) -> list[BenchmarkSpec]:
        """Specs whose name matches the glob, of the category, supporting the hardware."""
        specs = sorted(self._specs.values(), key=lambda s: s.name)
        if pattern:
            specs = [s for s in specs if fnmatch.fnmatchcase(s.name, pattern)]
        if category:
            specs = [s for s in specs if s.category == category]
        if hardware:
            specs = [s for s in specs if hardware.lower() in s.hardware]
        return specs

    def __iter__(self) -> Iterator[BenchmarkSpec]:
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    @overload
    def merge(self, other: BenchmarkRegistry) -> None: ...
    @overload
    def merge(self, other: Sequence[BenchmarkSpec]) -> None: ...
    def merge(self, other: BenchmarkRegistry | Sequence[BenchmarkSpec]) -> None:
        """Add every spec of ``other`` (duplicate names are an error)."""
        for spec in other:
            self.add(spec)


def _has_file(cls: type) -> bool:
    try:
        inspect.getsourcefile(cls)
    except (TypeError, OSError):
        return False
    return True


def _first_line(cls: type) -> int | None:
    try:
        return inspect.getsourcelines(cls)[1]
    except (TypeError, OSError):
        return None
