import time


def run(fn):
    started_at = time.time()
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    return {"timestamp": started_at, "elapsed_s": elapsed, "finished": time.time()}
