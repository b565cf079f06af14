"""Hand-written benchmarks using benchmig's public API (the README's "defining a benchmark").

Run them with ``migrate run examples/benchmarks``.
"""

from __future__ import annotations

import json
import random

from benchmig.framework import BenchmarkBase, BenchmarkRegistry


@BenchmarkRegistry.register(
    name="json_roundtrip",
    category="micro",
    hardware=["cpu"],
    params={"records": [10, 1000]},
)
class JsonRoundtrip(BenchmarkBase):
    """Serialise and parse a list of small records."""

    items_per_call = "records"

    def setup(self) -> None:
        rng = random.Random(0)
        self.payload = [
            {"id": i, "name": f"item-{i}", "score": rng.random()}
            for i in range(self.config["records"])
        ]

    def execute(self) -> object:
        return json.loads(json.dumps(self.payload))


@BenchmarkRegistry.register(name="sort_floats", category="micro", params={"n": [10_000]})
class SortFloats(BenchmarkBase):
    """Sort a list of random floats (a fresh copy every call)."""

    def setup(self) -> None:
        rng = random.Random(1)
        self.values = [rng.random() for _ in range(self.config["n"])]

    def execute(self) -> list[float]:
        return sorted(self.values)

    def process_results(self, raw: object) -> dict[str, float]:
        assert isinstance(raw, list)
        return {"sorted_items": float(len(raw))}
