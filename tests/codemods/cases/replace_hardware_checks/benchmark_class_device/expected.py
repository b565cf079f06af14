import torch

from benchmig.framework import BenchmarkBase, BenchmarkRegistry


@BenchmarkRegistry.register(name="mlp", hardware=["cpu", "cuda", "mps"])
class Mlp(BenchmarkBase):
    def setup(self):
        self.device = torch.device(self.hardware)
        self.model = torch.nn.Linear(8, 8).to(self.device)
        self.inputs = torch.randn(4, 8, device=self.device)
        fallback = self.hardware
        self.fallback = fallback

    def execute(self):
        return self.model(self.inputs)
