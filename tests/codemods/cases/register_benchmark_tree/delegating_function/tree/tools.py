import time


def benchmark_fn(fn, size, iterations=10):
    start = time.perf_counter()
    for _ in range(iterations):
        fn(size)
    return (time.perf_counter() - start) / iterations * 1000


def serve(n):
    start = time.time()
    for _ in range(n):
        pass
    return time.time() - start
