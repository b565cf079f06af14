"""Models for the inference benchmarks: three tiny built-ins (no downloads) or an import path.

A model is named by a built-in name (``"mlp"``, ``"cnn"``, ``"transformer"``) or by an import path
``"package.module:attribute"`` whose attribute is an ``nn.Module`` instance or a callable taking
no arguments that returns one. Inputs come from the model's ``example_inputs(batch_size)`` method
when it has one, else from ``input_shape`` (the shape of one item, ``"3,224,224"``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmig.errors import InputError

__all__ = ["BUILTIN_MODELS", "LoadedModel", "load_model", "parse_shape"]

BUILTIN_MODELS = ("mlp", "cnn", "transformer")

_SEED = 0


@dataclass(frozen=True)
class LoadedModel:
    """A model in eval mode on the CPU and the function that makes a batch of its inputs."""

    name: str
    module: Any
    make_inputs: Callable[[int], Any]

    @property
    def parameters(self) -> int:
        """Number of parameters."""
        return int(sum(p.numel() for p in self.module.parameters()))

    @property
    def parameter_mb(self) -> float:
        """Size of the parameters in MB (2**20 bytes)."""
        total = sum(p.numel() * p.element_size() for p in self.module.parameters())
        return float(total) / 2**20


def parse_shape(text: str) -> tuple[int, ...]:
    """``"3,32,32"`` -> ``(3, 32, 32)``; every dimension must be a positive whole number."""
    try:
        dims = tuple(int(part) for part in text.split(","))
    except ValueError:
        dims = ()
    if not dims or any(d <= 0 for d in dims):
        raise InputError(
            f"input_shape {text!r}: give the shape of one item as positive whole numbers "
            "separated by commas, e.g. '3,224,224'"
        )
    return dims


def _random(torch: Any, *shape: int) -> Any:
    generator = torch.Generator().manual_seed(_SEED)
    return torch.randn(*shape, generator=generator)


def _mlp(torch: Any) -> LoadedModel:
    nn = torch.nn
    module = nn.Sequential(
        nn.Linear(256, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
    )
    return LoadedModel("mlp", module, lambda batch: _random(torch, batch, 256))


def _cnn(torch: Any) -> LoadedModel:
    nn = torch.nn
    module = nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    return LoadedModel("cnn", module, lambda batch: _random(torch, batch, 3, 32, 32))


def _transformer(torch: Any) -> LoadedModel:
    nn = torch.nn
    layer = nn.TransformerEncoderLayer(
        d_model=128, nhead=4, dim_feedforward=256, dropout=0.0, batch_first=True
    )
    module = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    return LoadedModel("transformer", module, lambda batch: _random(torch, batch, 32, 128))


_BUILDERS: dict[str, Callable[[Any], LoadedModel]] = {
    "mlp": _mlp,
    "cnn": _cnn,
    "transformer": _transformer,
}


def _import_attribute(path: str) -> Any:
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise InputError(f"model {path!r}: cannot import {module_name!r}: {exc}") from exc
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise InputError(
            f"model {path!r}: module {module_name!r} has no attribute {attribute!r}"
        ) from None


def _imported(torch: Any, path: str, input_shape: str) -> LoadedModel:
    target = _import_attribute(path)
    module = target() if callable(target) and not isinstance(target, torch.nn.Module) else target
    if not isinstance(module, torch.nn.Module):
        raise InputError(
            f"model {path!r}: expected a torch.nn.Module or a callable returning one, "
            f"got {type(module).__name__}"
        )
    example = getattr(module, "example_inputs", None)
    if callable(example):
        return LoadedModel(path, module, example)
    if not input_shape:
        raise InputError(
            f"model {path!r} has no example_inputs(batch_size) method: give the shape of one "
            "input item with the input_shape param, e.g. '3,224,224'"
        )
    shape = parse_shape(input_shape)
    return LoadedModel(path, module, lambda batch: _random(torch, batch, *shape))


def load_model(torch: Any, name: str, input_shape: str = "") -> LoadedModel:
    """Build a built-in model, or import one by ``"package.module:attribute"``; eval mode, CPU.

    Weights of the built-ins are seeded, so every process measures the same model.
    """
    torch.manual_seed(_SEED)
    builder = _BUILDERS.get(name)
    if builder is not None:
        if input_shape:
            raise InputError(
                f"input_shape {input_shape!r} given for the built-in model {name!r}, which has "
                "its own inputs: input_shape is for imported models only"
            )
        loaded = builder(torch)
    elif ":" in name:
        loaded = _imported(torch, name, input_shape)
    else:
        raise InputError(
            f"model {name!r}: not a built-in model ({', '.join(BUILTIN_MODELS)}) nor an import "
            "path 'package.module:attribute'"
        )
    loaded.module.eval()
    for parameter in loaded.module.parameters():
        parameter.requires_grad_(False)
    return loaded
