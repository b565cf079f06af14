import time

start = time.clock()
total = sum(range(1000))
print("took", time.clock() - start)
