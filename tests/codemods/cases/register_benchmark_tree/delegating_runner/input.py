import argparse

from harness.runner import LatencyRunner


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--batch-sizes", default="1,4")
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args()
    # the runner owns the timing
    runner = LatencyRunner(iterations=args.iterations)
    results = runner.benchmark(args.size, [int(b) for b in args.batch_sizes.split(",")])
    for bs, r in results.items():
        print(bs, r["latency_ms"])


if __name__ == "__main__":
    main()
