import time


def run(fn):
    started_at = time.time()
    t0 = time.time()
    fn()
    elapsed = time.time() - t0
    return {"timestamp": started_at, "elapsed_s": elapsed, "finished": time.time()}
