#!/usr/bin/env python3
"""
Run all benchmarks, one process each.
"""

# Migrated: the benchmark scripts this file launches now form a suite; from the tree's root run
#     migrate run --suite benchmarks/run_all.suite.json

import os
import subprocess
import sys

SCRIPT_DIR = os.path.dirname(os.path.abspath(__file__))

SUITE = [
    ("bench_sum.py", []),
    ("bench_sort.py", ["--n", "100"]),
    ("bench_removed.py", []),
]


def main():
    for script, args in SUITE:
        path = os.path.join(SCRIPT_DIR, script)
        if os.path.exists(path):
            subprocess.run([sys.executable, path, *args], check=False)
    report = os.path.join(SCRIPT_DIR, "..", "tools", "report.py")
    os.system(f"{sys.executable} {report}")


if __name__ == "__main__":
    main()
