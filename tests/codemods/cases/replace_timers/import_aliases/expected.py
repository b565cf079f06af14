from time import perf_counter
import time as t


def measure(fn):
    start = perf_counter()
    fn()
    first = perf_counter() - start
    begin = t.perf_counter()
    fn()
    return first, t.perf_counter() - begin
