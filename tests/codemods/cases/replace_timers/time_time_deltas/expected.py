import time


def run_benchmark(fn, runs):
    latencies = []
    for _ in range(runs):
        start_time = time.perf_counter()
        fn()
        end_time = time.perf_counter()
        latencies.append((end_time - start_time) * 1000)
    load_start = time.perf_counter()
    fn()
    load_time = time.perf_counter() - load_start
    return latencies, load_time
