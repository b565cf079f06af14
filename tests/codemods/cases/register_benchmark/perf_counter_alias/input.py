"""Single-shot timing of a sort, with perf_counter imported under an alias."""
import random
from time import perf_counter as pc

SIZE = 50_000


def time_sort():
    data = [random.random() for _ in range(SIZE)]
    t0 = pc()
    sorted(data)
    elapsed = pc() - t0
    print(f"sorted {SIZE} floats in {elapsed * 1000:.3f} ms")
    return elapsed


if __name__ == "__main__":
    time_sort()
