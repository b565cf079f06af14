from time import time as now
import time as t


def measure(fn):
    start = now()
    fn()
    first = now() - start
    begin = t.time()
    fn()
    return first, t.time() - begin
