"""Peak GPU memory of a forward pass, measured with max_memory_allocated."""
import time

import torch


def benchmark_forward(batch_size=8, runs=5):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    model = torch.nn.Linear(256, 256).to(device)
    x = torch.randn(batch_size, 256, device=device)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    t0 = time.time()
    for _ in range(runs):
        model(x)
    latency = (time.time() - t0) / runs
    peak_mb = torch.cuda.max_memory_allocated() / 2**20 if device == "cuda" else 0.0
    return {"latency_ms": latency * 1000, "peak_memory_mb": peak_mb}


if __name__ == "__main__":
    print(benchmark_forward())
