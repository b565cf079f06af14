"""The model the resource-pool workers run: an MLP defined by its weight arrays.

The weights are plain float32 numpy arrays, generated from a seed, so a worker can build its own
copy or attach to one copy in shared memory; the forward pass runs with numpy (no torch needed) or
with torch on tensors that wrap the same arrays without copying them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from multiprocessing import shared_memory
from typing import Any

import numpy as np

from benchmig.errors import InputError

__all__ = ["BACKENDS", "MlpSpec", "SharedWeights", "forward_function", "make_weights"]

BACKENDS = ("numpy", "torch")

Forward = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class MlpSpec:
    """Layer sizes, seed and backend of the MLP: ``layers`` hidden layers of ``hidden`` units."""

    in_dim: int = 256
    hidden: int = 512
    layers: int = 3
    out_dim: int = 16
    seed: int = 0
    backend: str = "numpy"

    def __post_init__(self) -> None:
        if min(self.in_dim, self.hidden, self.layers, self.out_dim) < 1:
            raise InputError(f"MLP sizes must be >= 1, got {self}")
        if self.backend not in BACKENDS:
            raise InputError(f"backend {self.backend!r}: use one of {', '.join(BACKENDS)}")

    def shapes(self) -> list[tuple[int, ...]]:
        """Shapes of the arrays, in order: weight ``(out, in)`` then bias ``(out,)`` per layer."""
        dims = [self.in_dim] + [self.hidden] * self.layers + [self.out_dim]
        shapes: list[tuple[int, ...]] = []
        for fan_in, fan_out in itertools.pairwise(dims):
            shapes.extend([(fan_out, fan_in), (fan_out,)])
        return shapes

    @property
    def nbytes(self) -> int:
        """Bytes of all weights (float32)."""
        return sum(math.prod(shape) for shape in self.shapes()) * 4

    def to_dict(self) -> dict[str, Any]:
        """Plain form, sent to worker processes."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MlpSpec:
        """Inverse of :meth:`to_dict`."""
        return cls(**dict(data))


def make_weights(spec: MlpSpec, into: list[np.ndarray] | None = None) -> list[np.ndarray]:
    """The seeded weights, written into ``into`` (arrays of the right shapes) or new arrays."""
    rng = np.random.default_rng(spec.seed)
    arrays = into if into is not None else [np.empty(s, dtype=np.float32) for s in spec.shapes()]
    for array in arrays:  # in place: no temporary the allocator could keep as resident memory
        rng.standard_normal(dtype=np.float32, out=array)
        array /= np.float32(math.sqrt(array.shape[-1] if array.ndim == 2 else 1))
    return arrays


class SharedWeights:
    """The weights in one shared-memory block: created once, attached by name in each worker."""

    def __init__(self, spec: MlpSpec, block: shared_memory.SharedMemory, owner: bool) -> None:
        self.spec = spec
        self.block = block
        self.owner = owner
        self.arrays: list[np.ndarray] = []
        offset = 0
        for shape in spec.shapes():
            array = np.ndarray(shape, dtype=np.float32, buffer=block.buf, offset=offset)
            self.arrays.append(array)
            offset += array.nbytes

    @property
    def name(self) -> str:
        """The block's name (what a worker attaches to)."""
        return self.block.name

    @classmethod
    def create(cls, spec: MlpSpec) -> SharedWeights:
        """A new block holding the seeded weights; the creator must :meth:`unlink` it."""
        block = shared_memory.SharedMemory(create=True, size=spec.nbytes)
        shared = cls(spec, block, owner=True)
        make_weights(spec, into=shared.arrays)
        return shared

    @classmethod
    def attach(cls, spec: MlpSpec, name: str) -> SharedWeights:
        """Map an existing block (no copy)."""
        return cls(spec, shared_memory.SharedMemory(name=name), owner=False)

    def close(self) -> None:
        """Unmap the block here; array views handed out must be dropped first."""
        self.arrays.clear()
        self.block.close()

    def unlink(self) -> None:
        """Close and remove the block (the creator does this once, after the workers stopped)."""
        self.close()
        if self.owner:
            self.block.unlink()


def _numpy_forward(arrays: list[np.ndarray]) -> Forward:
    layers = list(zip(arrays[0::2], arrays[1::2], strict=True))

    def forward(x: np.ndarray) -> np.ndarray:
        for index, (weight, bias) in enumerate(layers):
            x = x @ weight.T + bias
            if index < len(layers) - 1:
                np.maximum(x, 0.0, out=x)
        return x

    return forward


def _torch_forward(arrays: list[np.ndarray]) -> Forward:
    from benchmig.benchmarks._common import require_torch

    torch = require_torch("resource_pool (backend=torch)")
    linear = torch.nn.functional.linear
    tensors = [torch.from_numpy(a) for a in arrays]  # views of the same memory: no copy
    layers = list(zip(tensors[0::2], tensors[1::2], strict=True))

    def forward(x: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            out = torch.from_numpy(x)
            for index, (weight, bias) in enumerate(layers):
                out = linear(out, weight, bias)
                if index < len(layers) - 1:
                    out = torch.relu(out)
            result: np.ndarray = out.numpy()
            return result

    return forward


def forward_function(spec: MlpSpec, arrays: list[np.ndarray]) -> Forward:
    """The forward pass on ``arrays`` (spec's backend): ``(n, in_dim)`` -> ``(n, out_dim)``."""
    return _torch_forward(arrays) if spec.backend == "torch" else _numpy_forward(arrays)
