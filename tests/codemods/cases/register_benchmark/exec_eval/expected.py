"""Snippets from a config file, timed with exec."""
import time

SNIPPETS = {"sum": "sum(range(1000))", "sorted": "sorted(range(1000, 0, -1))"}


def time_snippets(runs=100):
    for name, snippet in SNIPPETS.items():
        start = time.perf_counter()
        for _ in range(runs):
            exec(snippet)
        print(name, (time.perf_counter() - start) / runs)


if __name__ == "__main__":
    time_snippets()
