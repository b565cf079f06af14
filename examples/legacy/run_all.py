#!/usr/bin/env python3
"""Run every benchmark of this folder, one process each."""
import os
import sys
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))

BENCHMARKS = [
    ["matmul_timing.py"],
    ["bench_mlp.py", "--batch-sizes", "1,8", "--iterations", "5"],
    ["lstm_benchmark.py", "--seq-len", "32"],
]


def main():
    failed = 0
    for script, *args in BENCHMARKS:
        path = os.path.join(HERE, script)
        if not os.path.exists(path):
            print(f"skipping {script}: not found")
            continue
        print(f"=== {script}")
        result = subprocess.run([sys.executable, path] + args)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
