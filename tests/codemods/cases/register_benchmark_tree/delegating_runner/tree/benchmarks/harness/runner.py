import time


class LatencyRunner:
    def __init__(self, warmup=1, iterations=5):
        self.warmup = warmup
        self.iterations = iterations

    def benchmark(self, size, batch_sizes):
        results = {}
        for batch_size in batch_sizes:
            data = list(range(size * batch_size))
            for _ in range(self.warmup):
                sum(data)
            start = time.perf_counter()
            for _ in range(self.iterations):
                sum(data)
            results[batch_size] = {"latency_ms": (time.perf_counter() - start) * 1000}
        return results
