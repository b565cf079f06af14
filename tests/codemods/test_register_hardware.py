"""The hardware a registration lists includes what the tree's imported detect functions choose."""

from __future__ import annotations

import re
from pathlib import Path

from benchmig.codemods import ApplyOptions, apply_paths
from tests.codemods.trees import write_tree

DETECT = """\
import torch


def get_device():
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def describe(x):
    return str(x)
"""
SCRIPT = """\
import time

import torch

from {module} import {name}


def bench(size=64, runs=10):
    device = {name}()
    x = torch.randn(size, size, device=device)
    start = time.perf_counter()
    for _ in range(runs):
        x @ x
    return (time.perf_counter() - start) / runs


if __name__ == "__main__":
    print(bench())
"""


def _hardware(tmp_path: Path, name: str) -> list[str]:
    root = write_tree(
        tmp_path / "legacy",
        {"detect.py": DETECT, "bench_mm.py": SCRIPT.format(module="detect", name=name)},
    )
    out = tmp_path / "out"
    apply_paths([root], ApplyOptions(mode="out", out_dir=out, jobs=1, use_cache=False))
    text = (out / "bench_mm.py").read_text()
    found = re.search(r"hardware=\[([^\]]*)\]", text)
    assert found is not None, text
    return re.findall(r'"(\w+)"', found.group(1))


def test_an_imported_detect_function_adds_the_backends_it_checks(tmp_path: Path) -> None:
    assert _hardware(tmp_path, "get_device") == ["cpu", "cuda", "mps"]


def test_an_imported_function_that_detects_nothing_adds_nothing(tmp_path: Path) -> None:
    assert _hardware(tmp_path, "describe") == ["cpu"]
