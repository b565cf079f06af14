"""A summing benchmark next to a snippet timer that has to stay manual."""
import argparse
import time

SNIPPET = "sorted(range(100, 0, -1))"


def bench_sum(n=1000):
    for _ in range(3):
        sum(range(n))
    times = []
    for _ in range(20):
        start = time.perf_counter()
        sum(range(n))
        times.append(time.perf_counter() - start)
    print("sum", sum(times) / len(times))


def time_snippet(runs=100):
    start = time.perf_counter()
    for _ in range(runs):
        exec(SNIPPET)
    print("snippet", (time.perf_counter() - start) / runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    bench_sum()
    time_snippet(5)  # a quick look first
    time_snippet(args.runs)
