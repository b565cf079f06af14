"""The reason a manual unit reports is the legacy path's, not a shorter caller chain's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst

from benchmig.codemods import ApplyOptions, apply_paths
from benchmig.codemods._unit_finish import dead_code
from tests.codemods.register_benchmark_support import migrate

SCRIPT = b"""\
import time


def bench(size, runs=5):
    data = list(range(size))
    start = time.perf_counter()
    for _ in range(runs):
        sorted(data)
    return (time.perf_counter() - start) / runs


def main():
    with open("log.txt", "w") as log:
        log.write("start")
    for size in [10, 100]:
        print(bench(size))


if __name__ == "__main__":
    main()
"""


def test_a_manual_unit_reports_what_blocks_the_legacy_path() -> None:
    (unit,) = migrate(SCRIPT, "reasons_path").outcomes
    assert unit.tier == "manual"
    assert all("has no value" not in r for r in unit.reasons), unit.reasons
    assert any("reasons_path.py:13" in r and "writes files" in r for r in unit.reasons)


def test_dead_code_drops_assignments_rebound_before_any_read() -> None:
    module = cst.parse_module(
        "hw = self.hardware\nhw = self.hardware\nx = 1\nx = x + 1\nhw = self.hardware\nf(x, hw)\n"
    )
    kept: list[Any] = dead_code(list(module.body), set())
    assert cst.Module(kept).code == "x = 1\nx = x + 1\nhw = self.hardware\nf(x, hw)\n"


OPTION_SET = b"""\
import argparse
import os
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--scripts-dir", default=None)
    args = parser.parse_args()
    if not args.scripts_dir:
        args.scripts_dir = os.path.dirname(os.path.abspath(__file__))
    data = list(range(args.size))
    start = time.perf_counter()
    for _ in range(5):
        sorted(data)
    print((time.perf_counter() - start) / 5, args.scripts_dir)


if __name__ == "__main__":
    main()
"""


def test_setting_an_option_at_run_time_is_a_reason_not_a_crash() -> None:
    result = migrate(OPTION_SET, "option_set")
    (unit,) = result.outcomes
    assert unit.tier == "manual"
    assert any("option_set.py:12" in r and "sets the option" in r for r in unit.reasons)
    assert result.output == OPTION_SET


UNPACKING = b"""\
import itertools
import time

SIZES = [16, 32]


def bench(pairs):
    for m, n in pairs:
        start = time.perf_counter()
        sorted(range(m * n))
        print(time.perf_counter() - start)


def bench_product(sizes):
    for m, n in itertools.product(sizes, SIZES):
        start = time.perf_counter()
        sorted(range(m * n))
        print(time.perf_counter() - start)


if __name__ == "__main__":
    bench(load_pairs())
    bench_product(load_sizes())
"""


def test_an_unpacking_loop_over_unknown_values_names_the_loop_or_the_unknown_part() -> None:
    first, second = migrate(UNPACKING, "unpacking_unknown").outcomes
    assert first.tier == second.tier == "manual"
    assert any("the values of `for m, n in pairs` cannot be known" in r for r in first.reasons), (
        first.reasons
    )
    assert any(
        "the values of `sizes` in `for m, n in itertools.product(sizes, SIZES)`" in r
        for r in second.reasons
    ), second.reasons


def test_a_device_paired_with_other_values_is_not_a_params_axis() -> None:
    script = b"""\
import time


def main():
    for device, bs in [("cpu", 1), ("cuda", 8)]:
        start = time.perf_counter()
        sorted(range(bs))
        print(device, time.perf_counter() - start)


if __name__ == "__main__":
    main()
"""
    (unit,) = migrate(script, "unpacking_device").outcomes
    assert unit.tier != "native"
    assert any("pairs the device `device` with other values" in r for r in unit.warnings), unit


STAR_ARGS = """\
import torch
import torch.utils.benchmark as benchmark


def time_call(func, *args, runs=10, label="", **kwargs):
    timer = benchmark.Timer(stmt="func(*args)", globals={"func": func, "args": args})
    return timer, timer.timeit(runs)


for size in [64, 128]:
    x = torch.randn(size, size)
    result = time_call(torch.matmul, x, x, label="mm", runs=3)[1]
    print(size, result.mean)
"""


def test_a_helper_given_the_callable_and_its_star_args_is_migrated(tmp_path: Path) -> None:
    # Positional arguments beyond the named parameters go to *args (this was a KeyError in the
    # adapter, reported as the file's error); bound as a tuple, the helper's unit is native.
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "bench_star.py").write_text(STAR_ARGS)
    options = ApplyOptions(mode="check", jobs=1, use_cache=False, codemods=("register-benchmark",))
    (record,) = apply_paths([tmp_path], options).files
    assert record.status == "changed" and record.error is None, record
    (unit,) = record.units
    assert (unit.tier, unit.params, unit.settings) == (
        "native",
        {"size": [64, 128]},
        {"repeats": 3},
    )


def test_a_driver_loop_whose_names_a_function_reads_stays() -> None:
    script = b"""\
import time


def bench(size):
    start = time.perf_counter()
    sorted(range(size))
    return time.perf_counter() - start


for size in [10, 100]:
    timing = bench(size)


def report():
    print("last", timing)
"""
    output = migrate(script, "driver_read_later").output
    assert b"for size in [10, 100]:\n    timing = bench(size)\n" in output
    assert b'if __name__ == "__main__":' in output


def test_script_lines_that_call_or_report_what_drivers_did_go_with_them() -> None:
    script = b"""\
import time

import numpy as np

lin = np.random.rand(64, 64)


def completion(rows, runs=20):
    x = np.random.rand(rows, 64)
    t0 = time.perf_counter()
    for _ in range(runs):
        y = x @ lin
    print(rows, time.perf_counter() - t0)
    return float(y.sum())


rows = 4
completion(rows)
result = completion(rows)
print("result", result)

rows = 64
result = completion(rows)
print("result", result)
"""
    result = migrate(script, "script_calls")
    output = result.output.decode()
    assert [o.params for o in result.outcomes] == [{"rows": [4]}, {"rows": [4]}, {"rows": [64]}]
    assert "result = completion" not in output and 'print("result"' not in output
    body, guard = output.split('if __name__ == "__main__":')
    assert "rows = 4\n\nrows = 64\n\n\n@BenchmarkRegistry.register(" in body
    assert "completion(" not in guard.replace("script_calls.completion", "")


def test_a_top_level_block_that_defines_a_function_is_no_driver() -> None:
    script = b"""\
import sys
import time


def bench(size):
    start = time.perf_counter()
    sorted(range(size))
    return time.perf_counter() - start


if sys.version_info >= (3, 8):
    def report(size):
        print(size, bench(size))

for size in [10, 100]:
    print(size, bench(size))
"""
    output = migrate(script, "driver_defines").output
    assert b"    def report(size):\n" in output
    assert b"for size in [10, 100]:" not in output
    compile(output, "driver_defines.py", "exec")


def test_the_guard_replacing_a_driver_loop_right_after_code_is_spaced_by_two_blank_lines() -> None:
    script = b"""\
import time


def bench(size):
    start = time.perf_counter()
    sorted(range(size))
    return time.perf_counter() - start


results = {}
for size in [10, 100]:
    results[size] = bench(size)
"""
    output = migrate(script, "driver_after_code").output
    assert b'        return sorted(range(self.size))\n\n\nif __name__ == "__main__":\n' in output


def test_a_scope_timing_operations_one_after_the_other_gives_a_benchmark_each() -> None:
    script = b"""\
import time

import numpy as np


def bench(n=256, runs=50):
    a = np.random.rand(n, n)
    start = time.perf_counter()
    for _ in range(runs):
        np.sort(a)
    print("sort", (time.perf_counter() - start) / runs)
    start = time.perf_counter()
    for _ in range(runs):
        b = a @ a
    print("matmul", (time.perf_counter() - start) / runs)


if __name__ == "__main__":
    bench()
"""
    result = migrate(script, "two_timings")
    assert [(o.tier, o.benchmarks) for o in result.outcomes] == [
        ("native", ("benchmarks.two_timings.bench",)),
        ("native", ("benchmarks.two_timings.bench_2",)),
    ]
    output = result.output.decode()
    first, second = output.split("\nclass ")[1:3]
    assert "return np.sort(self.a)" in first and "@" not in first.split("def execute")[0]
    assert "return self.a @ self.a" in second and "np.sort" not in second


def test_a_timing_in_another_block_is_named_in_a_warning() -> None:
    script = b"""\
import time

import numpy as np


def bench(n=256, runs=50, check=True):
    a = np.random.rand(n, n)
    start = time.perf_counter()
    for _ in range(runs):
        np.sort(a)
    print("sort", (time.perf_counter() - start) / runs)
    if check:
        start = time.perf_counter()
        for _ in range(runs):
            a @ a
        print("matmul", (time.perf_counter() - start) / runs)


if __name__ == "__main__":
    bench()
"""
    result = migrate(script, "branch_timing")
    (outcome,) = result.outcomes
    assert outcome.tier == "native"
    (warning,) = [w for w in outcome.warnings if "also times other code" in w]
    assert warning.startswith("benchmarks/branch_timing.py:8: ") and "(line(s) 8);" in warning


def test_timing_inside_a_pytest_test_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "benchmarking").mkdir()
    (tmp_path / "benchmarking" / "matmul_timing.py").write_text(
        "import time\n\nimport numpy as np\n\n\n"
        "def test_bench_matmul():\n"
        "    a = np.random.rand(64, 64)\n"
        "    t0 = time.time()\n"
        "    for _ in range(10):\n"
        "        a @ a\n"
        '    print("matmul", time.time() - t0)\n'
    )
    options = ApplyOptions(mode="check", jobs=1, use_cache=False)
    (record,) = apply_paths([tmp_path], options).files
    (unit,) = [u for u in record.units if u.tier == "manual"]
    (reason,) = unit.reasons[:1]
    assert reason.startswith("benchmarking/matmul_timing.py:9: test_bench_matmul is a test")
    assert "no timed region" not in " ".join(unit.reasons)


OPTION_WITHOUT_DEFAULT = b"""\
import argparse
import time

import numpy as np


def bench(args, runs=10):
    {check}
    np.random.seed(args.seed)
    a = np.random.rand(args.size, args.size)
    start = time.perf_counter()
    for _ in range(runs):
        a @ a
    print((time.perf_counter() - start) / runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=None)
    bench(parser.parse_args())
"""


def test_an_option_without_default_read_by_the_benchmark_is_named_in_a_warning() -> None:
    # bench(parser.parse_args()) binds the namespace (before: `args = parser.parse_args()` in
    # setup, where `parser` does not exist)
    result = migrate(OPTION_WITHOUT_DEFAULT.replace(b"{check}", b"pass"), "no_default")
    (outcome,) = result.outcomes
    assert (outcome.tier, outcome.params) == ("native", {"size": [64]})
    assert any("option --seed has no default" in w for w in outcome.warnings)
    assert b"parse_args" not in result.output.split(b"class ", 1)[1].split(b"__main__")[0]


def test_an_assert_that_fails_at_the_option_defaults_is_not_migrated() -> None:
    script = OPTION_WITHOUT_DEFAULT.replace(b"{check}", b"assert args.seed is not None")
    (outcome,) = migrate(script, "required_option").outcomes
    assert outcome.tier == "manual"
    assert any("`assert args.seed is not None` fails" in r for r in outcome.reasons)


def test_a_repeat_loop_that_logs_its_index_is_still_a_repeat_loop() -> None:
    script = b"""\\
import time

import numpy as np


def bench(trials=8):
    a = np.random.rand(64, 64)
    times = []
    for i in range(trials):
        start = time.perf_counter()
        a @ a
        end = time.perf_counter()
        times.append(end - start)
        print(f"trial {i}: {end - start:.6f}s")
    return sorted(times)[len(times) // 2]


if __name__ == "__main__":
    bench()
"""
    (outcome,) = migrate(script, "logged_trials").outcomes
    assert (outcome.tier, outcome.settings, outcome.params) == ("native", {"repeats": 8}, {})


def test_an_accelerator_sync_is_a_sync_not_the_operation() -> None:
    script = b"""\\
import time

import numpy as np
from deepspeed.accelerator import get_accelerator


def bench(trials=8):
    a = np.random.rand(64, 64)
    for _ in range(trials):
        get_accelerator().synchronize()
        start = time.perf_counter()
        a @ a
        get_accelerator().synchronize()
        end = time.perf_counter()
        print(end - start)


if __name__ == "__main__":
    bench()
"""
    result = migrate(script, "accelerator_sync")
    (outcome,) = result.outcomes
    assert (outcome.tier, outcome.settings) == ("native", {"repeats": 8})
    execute = result.output.split(b"def execute(self):", 1)[1].split(b"\n\n", 1)[0]
    assert execute.strip() == b"return self.a @ self.a"


def test_a_timing_helper_left_manual_says_why_when_the_file_has_nothing_else() -> None:
    script = b"""\\
import timeit

import numpy as np


def run_benchmark(func):
    for size in [1024, 4096]:
        x = np.random.rand(size)
        with open(f"{size}.raw", "wb") as f:
            f.write(x.tobytes())
        start = timeit.default_timer()
        for _ in range(10):
            func(x)
        print(func.__name__, size, timeit.default_timer() - start)


def load_sum(x):
    return x.sum()


if __name__ == "__main__":
    run_benchmark(load_sum)
"""
    result = migrate(script, "helper_writes")
    (outcome,) = result.outcomes
    assert outcome.tier == "manual"
    assert "the code before the timed region writes files" in outcome.reasons[0]


def test_cuda_events_given_as_parameters_form_a_region() -> None:
    script = b"""\\
import torch


def timed_op(x, start_event, end_event, trials):
    start_event.record()
    for _ in range(trials):
        torch.matmul(x, x)
    end_event.record()
    torch.cuda.synchronize()
    print(start_event.elapsed_time(end_event) / trials)


def run(trials=10):
    x = torch.randn(256, 256, device="cuda")
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    timed_op(x, start, end, trials)


if __name__ == "__main__":
    run()
"""
    result = migrate(script, "given_events")
    (outcome,) = result.outcomes
    assert (outcome.tier, outcome.kind, outcome.settings) == (
        "native",
        "cuda_event",
        {"repeats": 10},
    )
    assert (
        b'hardware=["cuda"]' in result.output and b"Event(" not in result.output.split(b"class ")[1]
    )


def test_a_timing_context_manager_is_no_unit_and_backward_on_a_setup_graph_is_unsafe() -> None:
    script = b"""\\
import contextlib

import torch


class Accelerator:
    def Event(self, enable_timing=True):
        return torch.cuda.Event(enable_timing=enable_timing)


@contextlib.contextmanager
def cuda_timer(results):
    start = Accelerator().Event(enable_timing=True)
    end = Accelerator().Event(enable_timing=True)
    start.record()
    yield
    end.record()
    results.append(start.elapsed_time(end))


def benchmark():
    fw, bw = [], []
    for batch in [1, 2]:
        x = torch.randn(batch, 64, requires_grad=True)
        with cuda_timer(fw):
            out = (x * 2).sum()
        with cuda_timer(bw):
            out.backward()
    print(fw, bw)


if __name__ == "__main__":
    benchmark()
"""
    outcomes = migrate(script, "context_timer_helper").outcomes
    assert [o.unit for o in outcomes] == ["benchmark", "benchmark"]
    forward, backward = outcomes
    assert forward.tier == "native"
    assert backward.tier == "adapter"  # the scope's primary region: the adapter times it whole
    assert "`out.backward()` on a graph built in setup" in backward.warnings[0]


def test_a_nested_timing_helper_given_a_lambda_is_a_timing_call() -> None:
    script = b"""\\
import timeit

import numpy as np


def main(it=100):
    def avg_time(f, it):
        return timeit.Timer(f).timeit(it) / it

    a = np.random.rand(64, 64)
    print(avg_time(lambda: a @ a, it) * 1000, "ms")


if __name__ == "__main__":
    main()
"""
    result = migrate(script, "nested_helper")
    (outcome,) = result.outcomes
    assert (outcome.tier, outcome.kind, outcome.settings) == (
        "native",
        "helper_call",
        {"repeats": 100},
    )
    assert b"return self.a @ self.a" in result.output


def test_a_large_constant_comprehension_is_not_written_out_as_a_literal() -> None:
    script = b"""\\
import time

import numpy as np


def bench(runs=10):
    features = [[0.1 for _ in range(80)] for _ in range(3000)]
    small = [i * 2 for i in range(4)]
    a = np.array(features) + small[0]
    start = time.perf_counter()
    for _ in range(runs):
        a.sum()
    print(time.perf_counter() - start)


if __name__ == "__main__":
    bench()
"""
    output = migrate(script, "big_comprehension").output
    assert b"features = [[0.1 for _ in range(80)] for _ in range(3000)]" in output
    assert len(output) < 5000


MIXED_SCRIPT = b"""\
import time


def bench_sort(size=100):
    data = list(range(size, 0, -1))
    times = []
    for _ in range(10):
        start = time.perf_counter()
        sorted(data)
        times.append(time.perf_counter() - start)
    print(min(times))


def bench_eval(runs=10):
    start = time.perf_counter()
    for _ in range(runs):
        eval("1 + 1")
    print((time.perf_counter() - start) / runs)


bench_sort()
for runs in (5, 10):
    bench_eval(runs)
for size in (10, 20):
    bench_sort(size)
    bench_eval(size)
"""


def test_a_script_without_a_guard_keeps_running_its_manual_units() -> None:
    result = migrate(MIXED_SCRIPT, "mixed_drivers")
    tiers = {o.unit: o.tier for o in result.outcomes}
    assert tiers == {"bench_sort": "native", "bench_eval": "manual"}
    module = cst.parse_module(result.output)
    (guard,) = [s for s in module.body if isinstance(s, cst.If)]
    body = module.code_for_node(guard)
    # The driver that only runs the manual unit moves into the guard, after the benchmarks;
    # the one that also runs the migrated bench_sort (its legacy measurement) does not.
    assert "for runs in (5, 10):\n        bench_eval(runs)" in body
    assert "for size in (10, 20)" not in result.output.decode()
    assert body.index("run_legacy_main(") < body.index("bench_eval(runs)")
    assert body.rstrip().endswith("raise SystemExit(exit_status)")
    (manual,) = [o for o in result.outcomes if o.tier == "manual"]
    kept, dropped = manual.warnings
    assert "mixed_drivers.py:22: `for runs in (5, 10):` stays in the new `__main__`" in kept
    assert "mixed_drivers.py:24: `for size in (10, 20):`" in dropped
    assert "no longer run by the script: it also runs a migrated unit" in dropped
    assert migrate(result.output, "mixed_drivers").skipped


def test_a_manual_entry_function_that_runs_a_migrated_unit_is_not_kept() -> None:
    source = MIXED_SCRIPT.replace(
        b"bench_sort()\n", b"def main():\n    bench_sort()\n    bench_eval()\n\n\nmain()\n"
    ).replace(b"for size in (10, 20):\n    bench_sort(size)\n    bench_eval(size)\n", b"")
    result = migrate(source, "mixed_main")
    tiers = {o.unit: o.tier for o in result.outcomes}
    assert tiers["bench_sort"] == "native" and tiers["bench_eval"] == "manual"
    text = result.output.decode()
    assert "\nmain()" not in text and "    main()" not in text  # it would rerun bench_sort()
    assert "    for runs in (5, 10):\n        bench_eval(runs)" in text
    (manual,) = [o for o in result.outcomes if o.tier == "manual"]
    assert any(
        "`main()` (which runs `bench_eval`, left manual) is no longer run by the script: it also "
        "runs a migrated unit" in warning
        for warning in manual.warnings
    )


def test_a_manual_entry_point_that_parses_the_command_line_is_not_kept() -> None:
    source = MIXED_SCRIPT.replace(b"import time\n", b"import argparse\nimport sys\nimport time\n")
    source = source.split(b"\nbench_sort()\n")[0] + (
        b"\ndef main():\n"
        b"    parser = argparse.ArgumentParser()\n"
        b'    parser.add_argument("--runs", type=int, default=5)\n'
        b"    bench_eval(parser.parse_args().runs)\n"
        b"    return 0\n\n\n"
        b'if __name__ == "__main__":\n'
        b"    bench_sort()\n"
        b"    sys.exit(main())\n"
    )
    result = migrate(source, "entry_point")
    assert {o.unit: o.tier for o in result.outcomes}["bench_sort"] == "native"
    assert b"sys.exit(main())" not in result.output  # it would parse run_legacy_main's flags
    warnings = [w for o in result.outcomes for w in o.warnings]
    assert any(
        "`sys.exit(main())`" in w and "it is the script's own entry point" in w for w in warnings
    )


def test_top_level_driver_calls_beside_a_guard_leave_the_module() -> None:
    source = MIXED_SCRIPT.split(b"\nbench_sort()\n")[0] + (
        b'\nbench_sort()\nbench_eval(3)\n\nif __name__ == "__main__":\n    print("done")\n'
    )
    result = migrate(source, "beside_guard")
    module = cst.parse_module(result.output)
    top_level = [module.code_for_node(s).strip() for s in module.body]
    # Importing the migrated module must not run the legacy measurement of bench_sort().
    assert "bench_sort()" not in top_level and "bench_eval(3)" not in top_level
    guard = top_level[-1]
    assert guard.startswith('if __name__ == "__main__":')
    assert guard.index("run_legacy_main(") < guard.index("bench_eval(3)")
