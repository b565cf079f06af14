"""Property: for any combination of legacy idioms, the output parses, compiles and is stable.

Scripts are assembled from templates (clock spelling, warm-up style, repeat style, where the
parameter values come from, how the script is started, line endings); whatever tier the codemod
picks, it must never produce broken code, and a second application must change nothing.
"""

from __future__ import annotations

import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.codemods.register_benchmark_support import migrate

CLOCKS = {
    "time": ("import time\n", "time.time()"),
    "perf_counter": ("import time\n", "time.perf_counter()"),
    "alias": ("from time import perf_counter as pc\n", "pc()"),
    "timeit": ("import timeit\n", "timeit.default_timer()"),
}
OPS = ["np.dot(a, a)", "a.sum()", "np.sort(a, axis=None)", "sorted(data)"]
WARMUPS = {
    "none": "",
    "loop": "    for _ in range(warmup):\n        {op}\n",
    "single": "    {op}\n",
}


def _body(clock: str, op: str, warmup: str, repeat: str) -> str:
    lines = [
        "    a = np.random.rand(size, size)\n",
        "    data = list(range(size))\n",
        WARMUPS[warmup].format(op=op),
    ]
    if repeat == "around":
        lines.append(
            "    times = []\n"
            "    for _ in range(runs):\n"
            f"        start = {clock}\n"
            f"        {op}\n"
            f"        times.append({clock} - start)\n"
            "    return min(times)\n"
        )
    elif repeat == "inside":
        lines.append(
            f"    start = {clock}\n"
            "    for _ in range(runs):\n"
            f"        {op}\n"
            f"    return ({clock} - start) / runs\n"
        )
    else:
        lines.append(f"    start = {clock}\n    {op}\n    return {clock} - start\n")
    return "".join(lines)


@st.composite
def scripts(draw: st.DrawFn) -> bytes:
    clock_import, clock = CLOCKS[draw(st.sampled_from(sorted(CLOCKS)))]
    op = draw(st.sampled_from(OPS))
    warmup = draw(st.sampled_from(sorted(WARMUPS)))
    repeat = draw(st.sampled_from(["around", "inside", "single"]))
    source = draw(st.sampled_from(["constant", "argparse", "default"]))
    entry = draw(st.sampled_from(["guard", "bare", "none"]))
    header = (
        f'"""Generated legacy benchmark."""\nimport argparse\n{clock_import}\nimport numpy as np\n'
    )
    header += "SIZES = [8, 16]\n\n\n"
    signature = "def bench(size, warmup=2, runs=5):\n"
    if source == "default":
        signature = "def bench(size=8, warmup=2, runs=5):\n"
    text = header + signature + _body(clock, op, warmup, repeat) + "\n\n"
    if source == "argparse":
        driver = (
            "def main():\n"
            "    parser = argparse.ArgumentParser()\n"
            '    parser.add_argument("--sizes", default="8,16")\n'
            '    parser.add_argument("--runs", type=int, default=5)\n'
            "    args = parser.parse_args()\n"
            '    for size in [int(s) for s in args.sizes.split(",")]:\n'
            "        print(size, bench(size, runs=args.runs))\n"
        )
    else:
        driver = "def main():\n    for size in SIZES:\n        print(size, bench(size))\n"
    if source == "default":
        driver = "def main():\n    print(bench())\n"
    text += driver
    text += {
        "guard": '\n\nif __name__ == "__main__":\n    main()\n',
        "bare": "\n\nmain()\n",
        "none": "",
    }[entry]
    crlf = draw(st.booleans())
    return text.replace("\n", "\r\n").encode() if crlf else text.encode()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_any_combination_parses_compiles_and_is_stable(source: bytes) -> None:
    first = migrate(source, "generated")
    module = cst.parse_module(first.output)
    assert module.bytes == first.output
    compile(first.output, "generated.py", "exec")
    assert {o.tier for o in first.outcomes} <= {"native", "adapter", "manual"}
    if b"\r\n" in source:
        assert first.output.count(b"\r\n") == first.output.count(b"\n")
    second = migrate(first.output, "generated")
    assert second.output == first.output


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_generated_scripts_become_native_benchmarks(source: bytes) -> None:
    result = migrate(source, "generated")
    assert [o.tier for o in result.outcomes] == ["native"], [o.reasons for o in result.outcomes]
    (outcome,) = result.outcomes
    if outcome.params:
        assert set(outcome.params) == {"size"}
