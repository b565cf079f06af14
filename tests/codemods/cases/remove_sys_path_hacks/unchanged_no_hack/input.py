import time

start = time.perf_counter()
sum(range(10))
print(time.perf_counter() - start)
