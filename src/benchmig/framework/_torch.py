"""The one place benchmig imports torch: a lazy, cached accessor, and why it is missing.

torch is optional. Every module that needs it calls :func:`get_torch` (through this module, so
tests can replace it) and handles ``None``; none imports torch at module level.
"""

from __future__ import annotations

import functools
import importlib
import logging
from types import ModuleType

__all__ = ["TORCH_INSTALL_HINT", "get_torch", "torch_import_error"]

logger = logging.getLogger(__name__)

TORCH_INSTALL_HINT = "pip install 'benchmig[torch]'"


def _attempt_import() -> tuple[ModuleType | None, str | None]:
    """Import torch once; return the module, or None and the reason it cannot be used."""
    try:
        return importlib.import_module("torch"), None
    except ModuleNotFoundError as exc:
        if exc.name == "torch":
            reason = f"torch is not installed ({TORCH_INSTALL_HINT})"
        else:
            reason = f"torch failed to import: {exc}"
    # A broken install raises anything (OSError for a missing CUDA library, RuntimeError, ...):
    # torch must then count as absent rather than crash the tool that only wanted to look.
    except Exception as exc:
        reason = f"torch failed to import: {type(exc).__name__}: {exc}"
    logger.debug("torch unavailable: %s", reason)
    return None, reason


@functools.cache
def get_torch() -> ModuleType | None:
    """The ``torch`` module, imported on first call; ``None`` when not installed or broken.

    Cached for the process; ``get_torch.cache_clear()`` forgets the outcome (tests).
    """
    return _attempt_import()[0]


def torch_import_error() -> str | None:
    """Why torch is unavailable (for "unavailable because ..." messages); ``None`` when it is.

    Only for reporting paths: when torch is missing it retries the import to get the reason.
    """
    if get_torch() is not None:
        return None
    module, reason = _attempt_import()
    if module is not None:
        # torch imports, but get_torch() was told to report None (a test replaced it).
        return "torch is disabled in this process"
    return reason
