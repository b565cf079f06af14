"""Lookup timing whose timed code names an option inside an f-string."""
import argparse
import time


def run(args):
    table = {"fast": 1, "slow": 2}
    start = time.perf_counter()
    label = f"mode {args.mode} -> {table.get(args.mode, 0)}"
    elapsed = time.perf_counter() - start
    print(label, f"{elapsed:.6f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", default="fast")
    args = parser.parse_args()
    run(args)


if __name__ == "__main__":
    main()
