"""Progress bars around a loop's iterable: display, not measurement.

``for bs in tqdm(BATCH_SIZES)`` iterates ``BATCH_SIZES``; ``for _ in trange(3)`` is
``range(3)`` with a bar. The analyzer (sweep values, repeat counts) and the codemods (params
axes, ``repeats``, ``warmup``) see through these wrappers, by qualified name
(``from tqdm.auto import tqdm as bar`` is ``tqdm.auto.tqdm``) or by the bare spellings
``tqdm(...)`` and ``trange(...)``, which a fallback (``except ImportError: tqdm = lambda x: x``)
keeps transparent too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

__all__ = ["ProgressKind", "progress_kind"]

ProgressKind = Literal["items", "range"]

_TQDM_MODULES = (
    "tqdm",
    "tqdm.auto",
    "tqdm.autonotebook",
    "tqdm.notebook",
    "tqdm.std",
    "tqdm.rich",
    "tqdm.asyncio",
    "tqdm.gui",
    "tqdm.tk",
)
# Callables whose first argument is the iterable they yield the items of.
_ITEMS = frozenset(
    {f"{module}.tqdm" for module in _TQDM_MODULES}
    | {"tqdm", "tqdm.tqdm_notebook", "tqdm.tqdm_gui", "rich.progress.track"}
    | {"alive_progress.alive_it", "progressbar.progressbar"}
)
# Callables taking range()'s arguments.
_RANGES = frozenset({f"{module}.trange" for module in _TQDM_MODULES} | {"trange", "tqdm.tnrange"})


def progress_kind(names: Iterable[str]) -> ProgressKind | None:
    """``"items"`` if a call named by one of ``names`` (qualified names or spellings of its
    function) yields its first argument's items under a bar, ``"range"`` if it takes
    ``range()``'s arguments, else None."""
    for name in names:
        if name in _ITEMS:
            return "items"
        if name in _RANGES:
            return "range"
    return None
