"""Compare models on the hardware that is available."""
import argparse
import os
import time

import torch

MODEL_SETS = {"quick": ["tiny-mlp", "tiny-cnn"], "full": ["tiny-mlp", "wide-mlp", "tiny-cnn"]}
HARDWARE = ["cpu", "cuda"]


def available():
    return {"cpu": True, "cuda": torch.cuda.is_available()}


def bench_mlp(name, hardware, batch_size=8, runs=5):
    device = torch.device(hardware)
    width = 256 if name.startswith("wide") else 64
    model = torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU()).to(device)
    x = torch.randn(batch_size, width, device=device)
    start = time.perf_counter()
    for _ in range(runs):
        model(x)
    return (time.perf_counter() - start) / runs * 1000


def bench_cnn(name, hardware, batch_size=8, runs=5):
    device = torch.device(hardware)
    model = torch.nn.Conv2d(3, 8, 3).to(device)
    x = torch.randn(batch_size, 3, 32, 32, device=device)
    start = time.perf_counter()
    for _ in range(runs):
        model(x)
    return (time.perf_counter() - start) / runs * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+")
    parser.add_argument("--model-set", default="quick")
    parser.add_argument("--output-dir", default="results")
    args = parser.parse_args()
    os.makedirs(args.output_dir, exist_ok=True)
    if args.models:
        models = args.models
    else:
        models = MODEL_SETS[args.model_set]
    status = available()
    hardware_list = [hw for hw in HARDWARE if status.get(hw)]
    for name in models:
        for hw in hardware_list:
            if "mlp" in name:
                print(name, hw, bench_mlp(name, hw))
            else:
                print(name, hw, bench_cnn(name, hw))


if __name__ == "__main__":
    main()
