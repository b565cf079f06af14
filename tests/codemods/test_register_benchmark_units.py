"""Unit tests of the main rewrite's building blocks: static values, options, names."""

from __future__ import annotations

from typing import Any

import libcst as cst
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig.codemods._generate import class_name, local_names
from benchmig.codemods._params import collect_options, module_constants, split_list
from benchmig.codemods._unit_eval import UNKNOWN, Evaluator, Namespace, ObjectValue, Opaque
from benchmig.codemods._unit_plan import py
from benchmig.codemods._unit_syntax import updated_names
from benchmig.codemods._unit_vocab import natural_param_name, singular


def _value(expression: str, env: dict[str, Any] | None = None) -> Any:
    return Evaluator(env or {}).value(cst.parse_expression(expression))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[int(b) for b in '1,2,4'.split(',')]", [1, 2, 4]),
        ("list(range(3))", [0, 1, 2]),
        ("zip(['a', 'b'], [1, 2, 3])", [["a", 1], ["b", 2]]),
        ("enumerate(TABLE)", [[0, "relu"], [1, "gelu"]]),
        ("zip(TABLE, 3)", UNKNOWN),
        ("','.join(TABLE)", "relu,gelu"),
        ("TABLE['gelu']", Opaque("F.gelu")),
        ("args.batch_sizes.split(',')", ["1", "8"]),
        ("kwargs.get('seq_lens', [128, 512])", [128, 512]),
        ("obj.sizes", (32, 64)),
        ("'cuda' if False else 'cpu'", "cpu"),
        ("x or 5", 5),
        ("2 * 3 ** 2", 18),
        ("name not in TABLE", True),
        ("torch.cuda.is_available()", UNKNOWN),
        ("os.environ.get('RUNS', '3')", UNKNOWN),
        ("f'{x}'", UNKNOWN),
        ("10 ** 100", UNKNOWN),
        ("1 / 0", UNKNOWN),
    ],
)
def test_static_evaluation(expression: str, expected: Any) -> None:
    env = {
        "TABLE": {"relu": 1, "gelu": Opaque("F.gelu")},
        "args": Namespace({"batch_sizes": "1,8"}),
        "kwargs": {},
        "obj": ObjectValue("Bench", {"sizes": (32, 64)}),
        "x": None,
        "name": "silu",
    }
    assert _value(expression, env) == expected


def test_huge_ranges_are_not_materialised() -> None:
    assert _value("list(range(10**9))") is UNKNOWN


@given(st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8))
def test_split_list_round_trips_integers(values: list[int]) -> None:
    assert split_list(",".join(str(v) for v in values)) == values


def test_split_list_keeps_words_and_floats() -> None:
    assert split_list("fp32, bf16") == ["fp32", "bf16"]
    assert split_list("0.5,1.5") == [0.5, 1.5]


def test_options_are_read_with_their_defaults() -> None:
    module = cst.parse_module(
        b"import argparse\n"
        b"SIZES = '1,2'\n"
        b"p = argparse.ArgumentParser()\n"
        b"p.add_argument('-b', '--batch-sizes', default=SIZES)\n"
        b"p.add_argument('--runs', type=int, default='7')\n"
        b"p.add_argument('--fast', action='store_true')\n"
        b"p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu',"
        b" choices=['cpu', 'cuda'])\n"
        b"p.add_argument('--out', dest='output_dir')\n"
    )
    options = collect_options(module, module_constants(module), lambda node: 0)
    assert options["batch_sizes"].is_list and options["batch_sizes"].values == (1, 2)
    assert options["batch_sizes"].flag == "--batch-sizes"
    assert options["runs"].default == 7 and options["runs"].role == "count"
    assert options["fast"].default is False
    assert options["device"].default is UNKNOWN and options["device"].role == "hardware"
    assert options["device"].choices == ("cpu", "cuda")
    assert options["output_dir"].role == "storage"


@pytest.mark.parametrize(
    ("variable", "iterable", "expected"),
    [
        ("bs", "batch_sizes", "batch_size"),
        ("name", "args.kernels", "kernel"),
        ("dim", "MODEL_DIMS", "dim"),
        ("seq_len", "self.seq_lens", "seq_len"),
        ("x", "RESOLUTIONS", "resolution"),
        ("i", None, "i"),
    ],
)
def test_natural_param_names(variable: str, iterable: str | None, expected: str) -> None:
    assert natural_param_name(variable, iterable) == expected


def test_singular() -> None:
    assert [singular(w) for w in ("batches", "entries", "dims", "class", "status")] == [
        "batch",
        "entry",
        "dim",
        "class",
        "status",
    ]


def test_class_names_avoid_clashes_and_generic_names() -> None:
    taken = {"ModelBenchmark"}
    assert class_name("benchmark_cnn", "benchmarks.cnn", taken) == "CnnBenchmark"
    assert class_name("ModelBenchmark.run_latency", "m", taken) == "ModelLatencyBenchmark"
    assert class_name("run_benchmark", "benchmarks.model_benchmark", taken) == (
        "MigratedModelBenchmark"
    )
    assert class_name("benchmark_cnn", "benchmarks.cnn", taken) == "MigratedCnnBenchmark"


def test_framework_names_get_private_aliases_only_on_clash() -> None:
    names = local_names({"BenchmarkRunner", "BenchmarkBase", "_BenchmarkBase"})
    assert names["BenchmarkBase"] == "_BenchmarkBase_2"
    assert names["BenchmarkRegistry"] == "BenchmarkRegistry"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    )
)
def test_py_renders_json_values_as_python(value: Any) -> None:
    assert eval(py(value)) == value


def _loop_items(source: str) -> str:
    """What the only ``for`` of ``source`` iterates, progress bars removed (as code)."""
    from libcst.metadata import MetadataWrapper, QualifiedNameProvider

    from benchmig.codemods._unit_vocab import code, without_progress_bar

    class Loops(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (QualifiedNameProvider,)

        def __init__(self) -> None:
            self.found: list[str] = []

        def visit_For(self, node: cst.For) -> None:
            def resolve(target: cst.CSTNode) -> set[str]:
                return {q.name for q in self.get_metadata(QualifiedNameProvider, target, set())}

            self.found.append(code(without_progress_bar(node.iter, resolve)))

    loops = Loops()
    MetadataWrapper(cst.parse_module(source)).visit(loops)
    (found,) = loops.found
    return found


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from tqdm import tqdm\nfor b in tqdm(SIZES, desc='x'): pass\n", "SIZES"),
        ("import tqdm.auto\nfor b in tqdm.auto.tqdm(cfg.sizes): pass\n", "cfg.sizes"),
        ("from tqdm.auto import tqdm as bar\nfor b in bar(bar(S)): pass\n", "S"),
        ("from tqdm import trange\nfor i in trange(2, n, desc='warm-up'): pass\n", "range(2, n)"),
        ("from rich.progress import track\nfor b in track(S, total=3): pass\n", "S"),
        ("def track(s):\n    return s[::-1]\nfor b in track(S): pass\n", "track(S)"),
        ("from tqdm import tqdm\nfor b in tqdm(*groups): pass\n", "tqdm(*groups)"),
        ("from tqdm import tqdm\nfor b in tqdm(iterable=S): pass\n", "tqdm(iterable=S)"),
    ],
)
def test_progress_bars_around_a_loop_are_seen_through(source: str, expected: str) -> None:
    assert _loop_items(source) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("num += len(ids)", ["num"]),
        ("total = total + t\ncount += 1", ["total", "count"]),
        ("num = 0\nnum += 1", []),
        ("for num in range(3):\n    num += 1", []),
        ("self.num += 1\nout[i] += 1", []),
        ("x = y + 1", []),
    ],
)
def test_names_only_updated_from_their_own_value(code: str, expected: list[str]) -> None:
    assert updated_names(cst.parse_module(code).body) == expected
