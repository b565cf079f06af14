"""Property tests: whatever mix of legacy idioms a file holds, every codemod's output re-parses,
compiles, keeps the newline style, and a second application changes nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmig.analyzer import analyze_paths
from benchmig.codemods._registry import CODEMOD_ORDER
from benchmig.codemods._safety import newline_style
from benchmig.codemods._transform import run_chain

NAMES = st.sampled_from(["start", "t0", "begin", "tic", "load_start"])
INTS = st.integers(min_value=1, max_value=64)

HACKS = [
    "sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))\n",
    "sys.path.append(os.path.join(os.path.dirname(__file__), '..'))\n",
    "if os.path.dirname(__file__) not in sys.path:\n"
    "    sys.path.insert(0, os.path.dirname(__file__))\n",
    "sys.path.insert(0, os.environ.get('LIB', '.'))\n",
]


@st.composite
def timer_block(draw: st.DrawFn) -> str:
    name = draw(NAMES)
    stamp = draw(st.booleans())
    body = f"def timed_{name}(fn):\n    {name} = time.time()\n    fn()\n"
    if stamp:
        return body + f"    return {{'at': {name}, 'took': time.time() - {name}}}\n"
    return body + f"    return time.time() - {name}\n"


@st.composite
def argparse_block(draw: st.DrawFn) -> str:
    sizes = draw(st.lists(INTS, min_size=1, max_size=4))
    runs = draw(INTS)
    return (
        "def main():\n"
        "    parser = argparse.ArgumentParser()\n"
        f"    parser.add_argument('--batch-sizes', default='{','.join(map(str, sizes))}')\n"
        f"    parser.add_argument('--runs', type=int, default={runs})\n"
        "    parser.add_argument('--output-dir', default=None)\n"
        "    return parser.parse_args()\n"
    )


DEVICE_CLASS = (
    "from benchmig.framework import BenchmarkBase, BenchmarkRegistry\n\n\n"
    "@BenchmarkRegistry.register(name='prop_{n}')\n"
    "class Prop{n}(BenchmarkBase):\n"
    "    def setup(self):\n"
    "        self.device = 'cuda' if torch.cuda.is_available() else 'cpu'\n\n"
    "    def execute(self):\n"
    "        return self.config.get('batch_size')\n"
)

ORCHESTRATE = "def launch():\n    subprocess.run([sys.executable, 'helpers.py'], check=False)\n"


@st.composite
def legacy_module(draw: st.DrawFn) -> bytes:
    parts = ["import os\nimport subprocess\nimport sys\nimport time\nimport argparse\n"]
    parts.append("try:\n    import torch\nexcept ImportError:\n    torch = None\n")
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(HACKS)))
        parts.append("from helpers import helper\n")
    blocks = [draw(timer_block()), draw(argparse_block()), ORCHESTRATE]
    if draw(st.booleans()):
        blocks.append(DEVICE_CLASS.format(n=draw(INTS)))
    order = draw(st.permutations(blocks))
    text = "\n\n".join([*parts, *order])
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return text.replace("\n", newline).encode()


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(legacy_module())
def test_every_output_reparses_and_is_stable(source: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "benchmarks").mkdir()
        (root / "benchmarks" / "helpers.py").write_text("def helper():\n    return 1\n")
        target = root / "benchmarks" / "bench_prop.py"
        target.write_bytes(source)
        analysis = analyze_paths([root], jobs=1, use_cache=False)
        path = "benchmarks/bench_prop.py"
        first = run_chain(source, path, str(target), CODEMOD_ORDER, analysis)
        output = first.output
        cst.parse_module(output)
        compile(output, path, "exec", dont_inherit=True)
        assert newline_style(output) == newline_style(source)
        second = run_chain(output, path, str(target), CODEMOD_ORDER, analysis)
        assert second.output == output, second.changed_by
