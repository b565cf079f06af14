"""The hardware a registration lists includes what the tree's imported detect functions choose;
a device the legacy module chose once becomes the hardware the runner gives the benchmark."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest

from benchmig.codemods import ApplyOptions, apply_paths
from benchmig.codemods._unit_devices import hardcodes_cuda
from tests.codemods.register_benchmark_support import migrate
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


DEVICE_SCRIPT = """\
import time

import torch

{binding}


def bench(size=64, runs=10):
    x = torch.randn(size, size, device={name})
    start = time.perf_counter()
    for _ in range(runs):
        x @ x
    return (time.perf_counter() - start) / runs


if __name__ == "__main__":
    print(bench())
"""


def _setup_lines(binding: str, name: str = "device") -> list[str]:
    source = DEVICE_SCRIPT.format(binding=binding, name=name).encode()
    output = migrate(source, "device_case").output.decode()
    setup = output.split("def setup(self):", 1)[1].split("def execute(self):", 1)[0]
    return [line.strip() for line in setup.strip().splitlines()]


@pytest.mark.parametrize(
    ("binding", "name", "first"),
    [
        ('device = "cuda"', "device", "device = self.hardware"),
        ('DEVICE = "cuda:0"', "DEVICE", "DEVICE = self.hardware"),
        ("dev = torch.device('cuda')", "dev", "dev = torch.device(self.hardware)"),
        (
            'device = "cuda" if torch.cuda.is_available() else "cpu"',
            "device",
            "device = self.hardware",
        ),
        (
            'if torch.cuda.is_available():\n    device = "cuda"\nelse:\n    device = "cpu"',
            "device",
            "device = self.hardware",
        ),
    ],
)
def test_a_module_level_device_choice_becomes_the_runners_hardware(
    binding: str, name: str, first: str
) -> None:
    assert _setup_lines(binding, name)[0] == first


@pytest.mark.parametrize(
    ("binding", "name"),
    [
        ('device_name = "cuda"', "device_name"),  # a GPU's name, not a device
        ('device = "cuda"\nfor device in ["cpu"]:\n    pass', "device"),  # bound otherwise too
        ('device = torch.device("cuda")\ndevice = "cpu"', "device"),  # two kinds of value
        ("device = pick_device()", "device"),  # not a device choice it can read
    ],
)
def test_other_module_level_names_stay_as_they_are(binding: str, name: str) -> None:
    assert not any("self.hardware" in line for line in _setup_lines(binding, name))


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('x = torch.randn(4, device="cuda:1")', True),
        ("model = Net().cuda()", True),
        ('x = x.to("CUDA")', True),
        ("if torch.cuda.is_available():\n    x = x.cuda()", False),
        ("x = x.cuda() if use_gpu else x", False),
        ('amp = device == "cuda"', False),
        ("try:\n    x = x.cuda()\nexcept RuntimeError:\n    pass", False),
        ("x = torch.randn(4, device=device)", False),
        ('name = "cudagraphs"', False),
    ],
)
def test_code_that_hard_codes_cuda_outside_any_condition(code: str, expected: bool) -> None:
    assert hardcodes_cuda(cst.parse_module(code).body) is expected


OPENVINO_NAMED = """\
import time

import torch

try:
    import openvino  # noqa: F401
    HAS_OPENVINO = True
except ImportError:
    HAS_OPENVINO = False

DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def bench(size=64, runs=10):
    x = torch.randn(size, size, device=DEVICE)
    start = time.perf_counter()
    for _ in range(runs):
        x @ x
    return (time.perf_counter() - start) / runs


def backend():
    return "openvino" if HAS_OPENVINO else "torch"
"""


def _registered_hardware(output: bytes) -> list[str]:
    match = re.search(rb"hardware=\[([^\]]*)\]", output)
    assert match is not None
    return re.findall(r'"([a-z]+)"', match.group(1).decode())


def test_torch_code_on_the_runners_hardware_is_not_registered_for_openvino() -> None:
    result = migrate(OPENVINO_NAMED.encode(), "openvino_named")
    (unit,) = result.outcomes
    assert unit.tier == "native"
    assert _registered_hardware(result.output) == ["cpu", "cuda"]
    assert b"torch.device(self.hardware)" in result.output
    assert any(
        w.startswith("benchmarks/openvino_named.py:") and "openvino: named in the file" in w
        for w in unit.warnings
    )


def test_a_branch_that_handles_the_backend_keeps_it() -> None:
    source = OPENVINO_NAMED.replace(
        "    x = torch.randn(size, size, device=DEVICE)\n",
        '    if DEVICE == "openvino":\n        return 0.0\n'
        "    x = torch.randn(size, size, device=DEVICE)\n",
    )
    result = migrate(source.encode(), "openvino_branch")
    assert "openvino" in _registered_hardware(result.output)
    (unit,) = result.outcomes
    assert not any("openvino: named in the file" in w for w in unit.warnings)
