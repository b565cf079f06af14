"""A model benchmark written by hand with benchmig's public API ("defining a new benchmark").

Run it, list it, or run it on a GPU:

    migrate run examples/model_benchmark.py --output-dir benchmark-results
    migrate list examples/model_benchmark.py
    migrate run examples/model_benchmark.py --hardware cuda

The runner owns the measurement: warm-up, calibrated repeats, device synchronisation, worker
processes with a timeout, and statistics. The benchmark only says what to prepare (``setup``),
what one measured call is (``execute``) and which extra figures to report (``process_results``).
The built-in library (``migrate list benchmig.benchmarks``) has ready-made model benchmarks.
"""

from __future__ import annotations

from typing import Any

from benchmig.framework import BenchmarkBase, BenchmarkRegistry


@BenchmarkRegistry.register(
    name="tiny_classifier",
    category="inference",
    hardware=["cpu", "cuda", "mps"],  # devices absent here are skipped, with the reason
    params={"batch_size": [1, 16, 64]},  # a grid: one result per value
)
class TinyClassifier(BenchmarkBase):
    """A two-layer classifier's forward pass over a batch of 64-feature inputs."""

    items_per_call = "batch_size"  # the runner then reports throughput_per_s (items/s)

    def setup(self) -> None:
        # Imported here, not at the top: `migrate list` then works where torch is not installed.
        import torch

        torch.manual_seed(0)
        self.torch = torch
        self.model = torch.nn.Sequential(
            torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)
        )
        self.model.eval().to(self.hardware)  # self.hardware: "cpu", "cuda", "cuda:1", "mps"
        self.inputs = torch.randn(self.config["batch_size"], 64, device=self.hardware)

    def execute(self) -> Any:
        # One measured call. No timer, no loop, no synchronize: that is the runner's job.
        with self.torch.inference_mode():
            return self.model(self.inputs)

    def process_results(self, raw: Any) -> dict[str, float]:
        # Extra figures from the last call's output, next to latency, throughput and memory.
        return {"predicted_classes": float(raw.argmax(dim=1).unique().numel())}

    def cleanup(self) -> None:
        del self.model, self.inputs
