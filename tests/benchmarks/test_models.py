"""The inference models: three built-ins, models imported by path, and the input shape rules."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.benchmarks._models import BUILTIN_MODELS, load_model, parse_shape
from benchmig.errors import InputError

torch = pytest.importorskip("torch")


@pytest.mark.parametrize(
    ("name", "output_shape"),
    [("mlp", (3, 10)), ("cnn", (3, 10)), ("transformer", (3, 32, 128))],
)
def test_builtin_models_run_on_their_own_inputs(name: str, output_shape: tuple[int, ...]) -> None:
    loaded = load_model(torch, name)
    assert not loaded.module.training
    assert all(not p.requires_grad for p in loaded.module.parameters())
    with torch.inference_mode():
        output = loaded.module(loaded.make_inputs(3))
    assert tuple(output.shape) == output_shape
    assert loaded.parameters > 0 and loaded.parameter_mb > 0
    assert name in BUILTIN_MODELS


def test_builtin_models_are_the_same_in_every_process() -> None:
    first, second = load_model(torch, "mlp"), load_model(torch, "mlp")
    for a, b in zip(first.module.parameters(), second.module.parameters(), strict=True):
        assert torch.equal(a, b)
    assert torch.equal(first.make_inputs(2), second.make_inputs(2))


@pytest.fixture
def user_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "user_models_for_benchmig.py").write_text(
        textwrap.dedent(
            """
            import torch

            def linear():
                return torch.nn.Linear(4, 2)

            class WithInputs(torch.nn.Linear):
                def __init__(self):
                    super().__init__(6, 1)

                def example_inputs(self, batch_size):
                    return torch.ones(batch_size, 6)

            instance = torch.nn.Linear(5, 5)
            not_a_model = 42
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "user_models_for_benchmig"
    sys.modules.pop("user_models_for_benchmig", None)


def test_models_by_import_path(user_models: str) -> None:
    factory = load_model(torch, f"{user_models}:linear", "4")
    assert tuple(factory.module(factory.make_inputs(3)).shape) == (3, 2)
    own = load_model(torch, f"{user_models}:WithInputs")
    assert tuple(own.make_inputs(2).shape) == (2, 6)
    instance = load_model(torch, f"{user_models}:instance", "5")
    assert instance.parameters == 30


@pytest.mark.parametrize(
    ("name", "shape", "message"),
    [
        ("{m}:linear", "", "input_shape"),
        ("{m}:not_a_model", "4", "expected a torch.nn.Module"),
        ("{m}:missing", "4", "has no attribute 'missing'"),
        ("no_such_module_for_benchmig:x", "4", "cannot import"),
        ("resnet", "", "not a built-in model"),
        ("mlp", "3,4", "imported models only"),
    ],
)
def test_model_errors_say_what_to_fix(
    user_models: str, name: str, shape: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load_model(torch, name.format(m=user_models), shape)


@given(st.lists(st.integers(min_value=1, max_value=4096), min_size=1, max_size=5))
def test_parse_shape_round_trips(dims: list[int]) -> None:
    assert parse_shape(",".join(map(str, dims))) == tuple(dims)


@pytest.mark.parametrize("text", ["", "3,,4", "a,b", "0,3", "-1", "3.5"])
def test_parse_shape_rejects_bad_shapes(text: str) -> None:
    with pytest.raises(InputError, match="positive whole numbers"):
        parse_shape(text)
