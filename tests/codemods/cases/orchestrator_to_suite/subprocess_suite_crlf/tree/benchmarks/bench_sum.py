import time

start = time.perf_counter()
sum(range(1000))
print((time.perf_counter() - start) * 1000)
