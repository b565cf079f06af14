import torch

from benchmig.framework import BenchmarkBase, BenchmarkRegistry

DEFAULT_DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def pick():
    return "cuda" if torch.cuda.is_available() else "cpu"


class Helper:
    def device(self):
        return "cuda" if torch.cuda.is_available() else "cpu"


@BenchmarkRegistry.register(name="noop")
class Noop(BenchmarkBase):
    kind = "cuda" if torch.cuda.is_available() else "cpu"

    @staticmethod
    def probe():
        return "cuda" if torch.cuda.is_available() else "cpu"

    def execute(self):
        return None
