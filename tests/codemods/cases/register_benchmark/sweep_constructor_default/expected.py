"""FFT workload at the resolutions given as constructor defaults."""
import sys
import time

import numpy as np
from benchmig.framework import BenchmarkBase, BenchmarkRegistry, run_legacy_main


class ResolutionBenchmark:
    def __init__(self, resolutions=(32, 64), batch_size=1, iterations=5):
        self.resolutions = resolutions
        self.batch_size = batch_size
        self.iterations = iterations
        self.results = {}

    def benchmark_resolution(self, resolution):
        image = np.random.rand(self.batch_size, resolution, resolution)
        samples = []
        for _ in range(self.iterations):
            start = time.perf_counter()
            np.fft.fft2(image)
            samples.append(time.perf_counter() - start)
        return sum(samples) / len(samples)

    def run(self):
        for resolution in self.resolutions:
            self.results[resolution] = self.benchmark_resolution(resolution)
        return self.results


def main():
    bench = ResolutionBenchmark(batch_size=2)
    for resolution, seconds in bench.run().items():
        print(f"{resolution}x{resolution}: {seconds * 1000:.3f} ms")
    return 0


@BenchmarkRegistry.register(
    name="benchmarks.sweep_constructor_default.ResolutionBenchmark.benchmark_resolution",
    category="migrated",
    hardware=["cpu"],
    params={"resolution": [32, 64]},
    repeats=5,
    legacy_source="benchmarks/sweep_constructor_default.py:15",
    tier="native",
)
class MigratedResolutionBenchmark(BenchmarkBase):
    """ResolutionBenchmark.benchmark_resolution, migrated by benchmig (native)."""

    def setup(self):
        bench = ResolutionBenchmark(batch_size=2)
        resolution = self.config["resolution"]
        image = np.random.rand(bench.batch_size, resolution, resolution)
        self.image = image

    def execute(self):
        return np.fft.fft2(self.image)


if __name__ == "__main__":
    raise SystemExit(
        run_legacy_main(
            [
                "benchmarks.sweep_constructor_default.ResolutionBenchmark.benchmark_resolution",
            ],
            description=__doc__,
        )
    )
