import report_utils


def measure(fn, n):
    return [fn() for _ in range(n)]
