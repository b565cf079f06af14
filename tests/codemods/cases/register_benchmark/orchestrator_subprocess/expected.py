"""Runs the other benchmark scripts one after the other and times each."""
import subprocess
import sys
import time

SCRIPTS = ["bench_a.py", "bench_b.py"]


def run_script(script):
    start = time.time()
    subprocess.run([sys.executable, script], check=False)
    return time.time() - start


def main():
    for script in SCRIPTS:
        print(script, run_script(script))


if __name__ == "__main__":
    main()
