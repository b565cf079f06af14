import time


def elapsed_since(t0):
    return time.time() - t0
