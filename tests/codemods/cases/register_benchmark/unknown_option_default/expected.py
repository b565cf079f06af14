"""Probe timing whose option default is read from the environment."""
import argparse
import os
import time


def probe(timeout_s):
    start = time.perf_counter()
    total = sum(range(int(timeout_s * 1000)))
    print(total, time.perf_counter() - start)


def build_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout-s", type=float, default=os.environ.get("PROBE_TIMEOUT"))
    return parser


if __name__ == "__main__":
    build_parser().parse_args()
