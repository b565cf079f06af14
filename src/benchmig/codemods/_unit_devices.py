"""Which devices a planned benchmark runs on, and how its code learns the runner's choice.

* A module-level device choice the measured code reads (``device = "cuda"``) becomes the
  runner's hardware in ``setup()``: the legacy script picked one device for every run.
* Code that hard-codes CUDA outside any condition (``x.cuda()``, ``device="cuda:0"``) can only
  run there: its registration lists CUDA (or ROCm) only, so that the runner synchronises the
  device around each sample instead of timing kernel launches as "cpu".
* Torch code that takes its device from the runner is not registered for backends torch has
  no device for (``openvino`` named elsewhere in the file), unless a branch of it handles them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst

from benchmig.codemods._unit_plan import Builder
from benchmig.codemods._unit_syntax import block_module, free_names, method_call

__all__ = ["cuda_only", "hardcodes_cuda", "non_torch_backends", "runner_devices"]

_CUDA_STRING = re.compile(r"cuda(?::\d+)?", re.IGNORECASE)
_GPU_BACKENDS = frozenset({"cuda", "rocm"})


def runner_devices(
    b: Builder, setup: Sequence[cst.BaseStatement], exec_free: Sequence[str]
) -> list[cst.BaseStatement]:
    """``device = self.hardware`` for each module-level device choice the measured code reads
    (to go first in ``setup()``), with a warning for each."""
    read = set(free_names(setup)) | set(exec_free)
    lines: list[cst.BaseStatement] = []
    for name, (is_torch, value) in sorted(b.ctx.device_globals().items()):
        if name not in read:
            continue
        hardware = "torch.device(self.hardware)" if is_torch else "self.hardware"
        lines.append(cst.parse_statement(f"{name} = {hardware}"))
        b.warn(
            value,
            f"module-level `{name} = {cst.Module([]).code_for_node(value)}` is `{hardware}` in "
            "the benchmark: it runs on each hardware the runner selects",
        )
    return lines


_NOT_TORCH = ("openvino", "webgpu", "webnn", "qnn")  # hardware names torch has no device for


def non_torch_backends(b: Builder, hardware: Sequence[str], code: str) -> list[str]:
    """Backends of ``hardware`` the benchmark cannot run on: torch code that takes its device
    from the runner (``self.hardware`` in ``code``) in a file that imports torch, for a backend
    torch has no device for and that no branch of ``code`` names (``"openvino"``): a case
    there would call ``torch.randn(..., device="openvino")``."""
    if "self.hardware" not in code or "torch" not in b.ctx.lasting_names():
        return []
    named = {h for h in _NOT_TORCH if f'"{h}"' in code or f"'{h}'" in code}
    return [h for h in hardware if h in _NOT_TORCH and h not in named]


def cuda_only(hardware: Sequence[str]) -> list[str]:
    """The GPU backends of ``hardware``, or CUDA if it names none."""
    return [h for h in hardware if h in _GPU_BACKENDS] or ["cuda"]


_CONDITIONS = (
    cst.If,
    cst.IfExp,
    cst.BooleanOperation,
    cst.Comparison,
    cst.Try,
    cst.Match,
    cst.Dict,
)


class _HardCodedCuda(cst.CSTVisitor):
    """Finds ``.cuda()`` calls and ``"cuda"``/``"cuda:N"`` strings outside any condition."""

    def __init__(self) -> None:
        self.conditions = 0
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _CONDITIONS):
            self.conditions += 1
        elif self.conditions == 0 and _is_cuda(node):
            self.found = True
        return not self.found

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if isinstance(original_node, _CONDITIONS):
            self.conditions -= 1


def _is_cuda(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Call):
        return method_call(node, "cuda")
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return isinstance(value, str) and _CUDA_STRING.fullmatch(value) is not None
    return False


def hardcodes_cuda(statements: Sequence[cst.BaseStatement]) -> bool:
    """Whether the code moves data to CUDA whatever the hardware (``x.cuda()``,
    ``torch.randn(n, device="cuda:0")``) outside any ``if``/``try``/comparison."""
    visitor = _HardCodedCuda()
    block_module(statements).visit(visitor)
    return visitor.found
