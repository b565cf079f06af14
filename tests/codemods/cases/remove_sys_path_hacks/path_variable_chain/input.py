import os
import sys
import unittest

# Add parent directories to path for module imports
script_dir = os.path.dirname(os.path.abspath(__file__))
parent_dir = os.path.abspath(os.path.join(script_dir, "..", ".."))
if parent_dir not in sys.path:
    sys.path.insert(0, parent_dir)

from common.timing import Timer


class TestTimer(unittest.TestCase):
    def test_name(self):
        self.assertEqual(Timer("x").name, "x")
