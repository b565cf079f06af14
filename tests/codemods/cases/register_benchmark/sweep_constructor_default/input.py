"""FFT workload at the resolutions given as constructor defaults."""
import sys
import time

import numpy as np


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


if __name__ == "__main__":
    sys.exit(main())
