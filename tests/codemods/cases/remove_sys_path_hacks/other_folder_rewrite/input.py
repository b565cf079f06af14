import os
import sys

LIB_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib")
sys.path.insert(0, LIB_DIR)

import stats
import timing as tm
from timing import Timer


def bench():
    with Timer("sum"):
        total = sum(range(100))
    return stats.mean([total]), tm
