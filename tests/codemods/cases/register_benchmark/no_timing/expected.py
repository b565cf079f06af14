"""Report helpers: no timing at all, nothing to migrate."""
import json


def load_results(path):
    with open(path) as handle:
        return json.load(handle)


def format_row(result):
    return f"{result['name']:<20} {result['latency_ms']:8.3f} ms"


if __name__ == "__main__":
    import sys

    for row in load_results(sys.argv[1]):
        print(format_row(row))
