"""The codemods ``migrate apply`` knows, by ``NAME``, in the order they run on a file.

Order matters: sys.path hacks and wall-clock timers are cleaned first (the main rewrite then
reads plain imports and monotonic timers), ``register-benchmark`` creates the benchmark classes,
``argparse-to-params`` fills a grid the main rewrite left out, ``replace-hardware-checks`` needs
the benchmark classes to exist, and ``orchestrator-to-suite`` is independent of the rest.

Classes are imported on first use, so listing names costs nothing and a codemod whose module
cannot be imported is reported by name instead of breaking every other one.
"""

from __future__ import annotations

import importlib
import logging

from libcst.codemod import Codemod

from benchmig.errors import InputError

__all__ = ["CODEMOD_ORDER", "codemod_class", "codemod_classes", "codemod_descriptions"]

logger = logging.getLogger(__name__)
_REPORTED: set[str] = set()  # unavailable codemods already logged (once per process)

_LOCATIONS: dict[str, tuple[str, str]] = {
    "remove-sys-path-hacks": ("remove_sys_path_hacks", "RemoveSysPathHacksCommand"),
    "replace-timers": ("replace_timers", "ReplaceTimersCommand"),
    "register-benchmark": ("register_benchmark", "RegisterBenchmarkCommand"),
    "argparse-to-params": ("argparse_to_params", "ArgparseToParamsCommand"),
    "replace-hardware-checks": ("replace_hardware_checks", "ReplaceHardwareChecksCommand"),
    "orchestrator-to-suite": ("orchestrator_to_suite", "OrchestratorToSuiteCommand"),
}
CODEMOD_ORDER: tuple[str, ...] = tuple(_LOCATIONS)
"""Every codemod name, in the order the engine runs them on one file."""


def codemod_class(name: str) -> type[Codemod]:
    """The command class registered under ``name``.

    Raises :class:`~benchmig.errors.InputError` for an unknown name (listing the known ones) or
    a codemod whose module cannot be imported.
    """
    try:
        module_name, class_name = _LOCATIONS[name]
    except KeyError:
        raise InputError(
            f"unknown codemod {name!r}; known codemods: {', '.join(CODEMOD_ORDER)}"
        ) from None
    try:
        module = importlib.import_module(f"benchmig.codemods.{module_name}")
    except ImportError as exc:
        raise InputError(f"codemod {name!r} is not available: {exc}") from exc
    command: type[Codemod] = getattr(module, class_name)
    return command


def codemod_classes(names: tuple[str, ...] = CODEMOD_ORDER) -> dict[str, type[Codemod]]:
    """The available command classes of ``names``, in run order; missing ones are logged."""
    found: dict[str, type[Codemod]] = {}
    for name in CODEMOD_ORDER:
        if name not in names:
            continue
        try:
            found[name] = codemod_class(name)
        except InputError as exc:
            if name not in _REPORTED:
                _REPORTED.add(name)
                logger.warning("%s", exc)
    return found


def codemod_descriptions() -> dict[str, str]:
    """``NAME -> DESCRIPTION`` of the available codemods (for ``--help`` and docs)."""
    return {
        name: str(getattr(command, "DESCRIPTION", ""))
        for name, command in codemod_classes().items()
    }
