import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from bench_utils import measure


def test_measure():
    assert len(measure(lambda: None, 3)) == 3
