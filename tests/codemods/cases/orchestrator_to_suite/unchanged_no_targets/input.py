import subprocess
import sys

subprocess.run([sys.executable, "gone_benchmark.py"], check=False)
