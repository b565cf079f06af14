import time


def run_benchmark(fn, runs):
    latencies = []
    for _ in range(runs):
        start_time = time.time()
        fn()
        end_time = time.time()
        latencies.append((end_time - start_time) * 1000)
    load_start = time.time()
    fn()
    load_time = time.time() - load_start
    return latencies, load_time
