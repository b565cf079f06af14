import os
import sys

sys.path.insert(0, os.environ.get("BENCH_LIB", "/opt/lib"))

import bench_lib

print(bench_lib)
