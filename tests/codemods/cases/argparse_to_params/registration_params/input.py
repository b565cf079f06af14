import argparse

from benchmig.framework import BenchmarkBase, BenchmarkRegistry


@BenchmarkRegistry.register(name="matmul", category="micro")
class Matmul(BenchmarkBase):
    def setup(self):
        self.n = self.config["size"]

    def execute(self):
        return sum(i * i for i in range(self.n))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="64,128")
    parser.add_argument("--iterations", type=int, default=20)
    parser.parse_args()
