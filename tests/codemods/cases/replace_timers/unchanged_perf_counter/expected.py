from time import perf_counter as pc


def measure(fn, n):
    samples = []
    for _ in range(n):
        start = pc()
        fn()
        samples.append((pc() - start) * 1000.0)
    return samples
