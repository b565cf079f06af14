"""The base class every benchmark derives from, and its lifecycle contract."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

__all__ = ["BenchmarkBase"]


class BenchmarkBase:
    """A benchmark: ``setup`` once, ``execute`` many times (timed by the runner), then ``cleanup``.

    The runner owns timing, warm-up, repetition, device synchronisation and statistics; a benchmark
    only says what to prepare and what one measured call is.

    Attributes available in every method:

    * ``self.config``: the params of the current grid combination (a plain dict);
    * ``self.hardware``: the device to use (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``...).

    Class attributes a benchmark may set:

    * ``items_per_call``: an int, or the name of a config key (``"batch_size"``), giving how many
      items one ``execute()`` call processes; the runner then reports ``throughput_per_s``;
    * ``simulated``: ``True`` when the numbers are fabricated (legacy simulation branches); the
      results are then marked simulated and never presented as measurements.
    """

    items_per_call: ClassVar[int | str | None] = None
    simulated: ClassVar[bool] = False

    def __init__(self, config: Mapping[str, Any] | None = None, hardware: str = "cpu") -> None:
        self.config: dict[str, Any] = dict(config or {})
        self.hardware: str = hardware

    def setup(self) -> None:
        """Build models and inputs, move them to ``self.hardware``. Not timed."""

    def execute(self) -> Any:
        """One measured call. Must be overridden."""
        raise NotImplementedError(f"{type(self).__name__}.execute() is not implemented")

    def process_results(self, raw: Any) -> Mapping[str, float] | None:
        """Extra metrics (name -> number) from the last ``execute()`` output. Optional."""
        return None

    def cleanup(self) -> None:
        """Release what ``setup`` built. Runs even when ``execute`` failed."""

    def items(self) -> int | None:
        """How many items one ``execute()`` call processes, resolved against ``self.config``."""
        per_call = self.items_per_call
        if per_call is None:
            return None
        if isinstance(per_call, str):
            value = self.config.get(per_call)
            return int(value) if isinstance(value, int | float) and value > 0 else None
        return int(per_call) if per_call > 0 else None
