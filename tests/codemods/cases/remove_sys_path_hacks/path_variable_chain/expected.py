import unittest

from common.timing import Timer


class TestTimer(unittest.TestCase):
    def test_name(self):
        self.assertEqual(Timer("x").name, "x")
