"""The optional C module (``_speedups.c``): loaded once, or ``None`` where it is not used.

It is built when the package is installed with a C compiler at hand; without one the install
still succeeds and the analyzer runs the pure-Python versions of the same passes, which give
the same results, only slower. ``BENCHMIG_PURE_PYTHON=1`` chooses them on purpose (to compare).
"""

from __future__ import annotations

import logging
import os
from types import ModuleType

__all__ = ["speedups"]

logger = logging.getLogger(__name__)


def _load() -> ModuleType | None:
    if os.environ.get("BENCHMIG_PURE_PYTHON"):
        return None
    try:
        from benchmig.analyzer import _speedups
    except ImportError:  # pragma: no cover - where no C compiler was found at install
        logger.debug("benchmig.analyzer._speedups is not built: using the Python passes")
        return None
    return _speedups


speedups = _load()
