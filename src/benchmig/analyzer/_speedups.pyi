"""Types of the optional C module built from ``_speedups.c`` (see ``_compiled.py``)."""

from collections.abc import Callable
from typing import Any

def strip(text: bytes, /) -> bytes: ...
def sketch(normalised: bytes, /) -> tuple[bytes, int]: ...
def expression_nodes(
    root: Any,
    table: dict[type, tuple[Any, tuple[str, ...], tuple[str, ...]]],
    learn: Callable[[Any], tuple[Any, tuple[str, ...], tuple[str, ...]]],
    leaves: tuple[type, ...],
    attribute: type,
    chain_names: frozenset[str],
    chain_handler: Any,
    /,
) -> list[tuple[Any, Any]]: ...
