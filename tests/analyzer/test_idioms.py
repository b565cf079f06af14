"""Idiom detection: one small snippet per idiom kind, aliases included."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from benchmig.analyzer import analyze_paths
from benchmig.analyzer._extract import extract_facts
from benchmig.analyzer._facts import IDIOM_KINDS, FileFacts, Idiom


def facts(source: str, path: str = "bench/snippet.py") -> FileFacts:
    result = extract_facts(path, textwrap.dedent(source).lstrip("\n").encode())
    assert result.status == "ok", result.error
    return result


def lines(result: FileFacts, kind: str) -> list[int]:
    return [i.line for i in result.idioms_of(kind)]


def only(result: FileFacts, kind: str) -> Idiom:
    found = result.idioms_of(kind)
    assert len(found) == 1, found
    return found[0]


def test_every_emitted_kind_is_in_the_vocabulary() -> None:
    result = facts(
        """
        import time, json, sys, os, subprocess, random
        sys.path.insert(0, os.path.dirname(__file__))
        start = time.time()
        for _ in range(3):
            t0 = time.perf_counter()
            elapsed = time.perf_counter() - t0
        json.dump({}, open("r.json", "w"))
        subprocess.run(["python", "x.py"])
        latency_ms = random.uniform(1, 2)
        """
    )
    assert {i.kind for i in result.idioms} <= set(IDIOM_KINDS)


# -- timers and timed regions ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("imports", "call", "clock"),
    [
        ("import time", "time.time()", "time.time"),
        ("import time as t", "t.perf_counter()", "time.perf_counter"),
        ("from time import perf_counter as pc", "pc()", "time.perf_counter"),
        ("from time import monotonic_ns", "monotonic_ns()", "time.monotonic_ns"),
        ("import time", "time.process_time()", "time.process_time"),
        ("from timeit import default_timer as timer", "timer()", "timeit.default_timer"),
        ("import timeit", "timeit.default_timer()", "timeit.default_timer"),
    ],
)
def test_timer_calls_resolve_aliases(imports: str, call: str, clock: str) -> None:
    result = facts(f"{imports}\nvalue = {call}\n")
    timer = only(result, "timer")
    assert (timer.line, timer.attrs["clock"]) == (2, clock)


def test_clock_bound_to_a_plain_alias_is_a_timer() -> None:
    result = facts(
        """
        import time
        clock = time.perf_counter
        a = clock()
        b = clock()
        d = b - a
        """
    )
    assert lines(result, "timer") == [3, 4]
    assert lines(result, "timed_region") == [5]


def test_timed_region_tracks_assignments_and_reports_both_ends() -> None:
    result = facts(
        """
        import time

        def run(model, x):
            start = time.time()
            model(x)
            end = time.time()
            return (end - start) * 1000
        """
    )
    region = only(result, "timed_region")
    assert region.line == 7
    assert region.scope == "run"
    assert region.attrs == {
        "clock": "time.time",
        "start_line": 4,
        "end_line": 6,
        "in_loop": False,
        "single_shot": True,
    }
    assert result.extra["timed_functions"] == ["run"]


def test_timed_region_with_an_inline_clock_and_self_attribute() -> None:
    result = facts(
        """
        from time import perf_counter

        class Bench:
            def start(self):
                self.t0 = perf_counter()

            def stop(self):
                return perf_counter() - self.t0
        """
    )
    region = only(result, "timed_region")
    assert (region.line, region.scope, region.attrs["start_line"]) == (8, "Bench.stop", 5)


def test_subtraction_of_unrelated_values_is_not_a_timed_region() -> None:
    result = facts(
        """
        import time
        start = 5
        x = time.time() - start
        y = 3 - 2
        """
    )
    assert lines(result, "timed_region") == []


def test_datetime_is_a_timer_only_when_subtracted() -> None:
    result = facts(
        """
        from datetime import datetime
        stamp = datetime.now()
        begin = datetime.now()
        work()
        took = (datetime.now() - begin).total_seconds()
        """
    )
    assert lines(result, "timer") == [3, 5]
    assert only(result, "timed_region").attrs["clock"] == "datetime.datetime.now"


def test_reassigned_variable_stops_being_a_timer() -> None:
    result = facts(
        """
        import time
        start = time.time()
        start = 0
        d = time.time() - start
        """
    )
    assert lines(result, "timed_region") == []


# -- loops ----------------------------------------------------------------------------------
def test_warmup_loops_by_name_and_by_comment() -> None:
    result = facts(
        """
        import time
        WARMUP = 5

        def bench(model, args, warmup_runs=3):
            for _ in range(warmup_runs):
                model()
            for _ in range(args.warmup):
                model()
            i = 0
            while i < self.config["warmup_iterations"]:
                i += 1
            # Warm up the caches
            for _ in range(10):
                model()
            for warmup_step in range(2):
                model()
        """
    )
    assert lines(result, "warmup_loop") == [5, 7, 10, 13, 15]
    first = result.idioms_of("warmup_loop")[0]
    assert first.attrs == {"count": "warmup_runs", "literal_count": None}
    assert result.idioms_of("warmup_loop")[3].attrs == {"count": "10", "literal_count": 10}


def test_repeat_loop_collects_samples() -> None:
    result = facts(
        """
        import time
        import numpy as np

        def bench(model, runs=10):
            latencies = []
            for _ in range(runs):
                start = time.perf_counter()
                model()
                latencies.append((time.perf_counter() - start) * 1000)
            return np.mean(latencies), np.percentile(latencies, 90)
        """
    )
    loop = only(result, "repeat_loop")
    assert loop.line == 6
    assert loop.attrs["count"] == "runs"
    assert loop.attrs["samples"] == "latencies"
    assert only(result, "timed_region").attrs["in_loop"] is True
    assert lines(result, "statistics") == [10, 10]


def test_repeat_loop_through_a_delta_variable_and_while_loop() -> None:
    result = facts(
        """
        import time
        times = []
        for i in range(20):
            t0 = time.time()
            f()
            dt = time.time() - t0
            times.append(dt)
        deadline = time.time()
        n = 0
        while time.time() - deadline < 2.0:
            n += 1
        """
    )
    assert lines(result, "repeat_loop") == [3, 10]
    assert result.idioms_of("repeat_loop")[0].attrs["samples"] == "times"
    assert result.idioms_of("repeat_loop")[0].attrs["literal_count"] == 20


def test_param_sweep_over_module_constants_defaults_and_argparse() -> None:
    result = facts(
        """
        import argparse
        import time

        BATCH_SIZES = [1, 2, 4, 8]
        MODELS = {"bert": 1, "gpt2": 2}

        def run_one(model, bs):
            t = time.time()
            model(bs)
            return time.time() - t

        def sweep(seq_lengths=(128, 512)):
            for name in MODELS:
                for bs in BATCH_SIZES:
                    run_one(name, bs)
            for seq_len in seq_lengths:
                run_one("bert", seq_len)

        def main():
            parser = argparse.ArgumentParser()
            parser.add_argument("--batch-sizes", default="1,16,64")
            args = parser.parse_args()
            for batch_size in args.batch_sizes:
                run_one("m", batch_size)
            for item in range(3):
                print(item)
        """
    )
    sweeps = {i.line: i.attrs for i in result.idioms_of("param_sweep")}
    assert sorted(sweeps) == [13, 14, 16, 23]
    assert sweeps[13]["values"] == ["bert", "gpt2"]
    assert sweeps[13]["values_source"] == "module_constant"
    assert sweeps[14]["values"] == [1, 2, 4, 8]
    assert sweeps[16]["values"] == [128, 512]
    assert sweeps[16]["values_source"] == "default"
    assert sweeps[23]["values"] == [1, 16, 64]
    assert sweeps[23]["values_source"] == "argparse"
    assert lines(result, "repeat_loop") == []


def test_progress_bars_around_loops_are_seen_through() -> None:
    result = facts(
        """
        import time
        from tqdm.auto import tqdm as bar, trange
        from rich.progress import track

        BATCH_SIZES = [1, 2, 4]
        SEQ_LENS = (128, 512)

        def main(args):
            for _ in trange(3, desc="warm-up"):
                op()
            for bs in bar(BATCH_SIZES, desc="batch sizes"):
                for seq_len in track(SEQ_LENS):
                    t0 = time.perf_counter()
                    for _ in bar(trange(2, 12, 2), leave=False):
                        op(bs, seq_len)
                    print(time.perf_counter() - t0)
            for size in bar(args.sizes):
                t0 = time.perf_counter()
                op(size)
                print(time.perf_counter() - t0)
        """
    )
    warmup = only(result, "warmup_loop")
    assert (warmup.line, warmup.attrs["count"], warmup.attrs["literal_count"]) == (9, "3", 3)
    repeat = only(result, "repeat_loop")
    assert (repeat.line, repeat.attrs["literal_count"]) == (14, 5)
    sweeps = {i.line: i.attrs for i in result.idioms_of("param_sweep")}
    assert sorted(sweeps) == [11, 12, 17]
    assert sweeps[11]["values"] == [1, 2, 4]
    assert sweeps[11]["iterable"] == "bar(BATCH_SIZES, desc='batch sizes')"  # as written
    assert sweeps[11]["constant"] == "BATCH_SIZES"
    assert sweeps[12]["values"] == [128, 512]
    assert sweeps[17]["values"] is None  # what the bar wraps is still unknown


def test_a_call_that_is_no_progress_bar_hides_the_values() -> None:
    result = facts(
        """
        import time

        BATCH_SIZES = [1, 2]

        def track(items):  # a local function, not rich.progress.track
            return reversed(items)

        for bs in track(BATCH_SIZES):
            t0 = time.time()
            op(bs)
            print(time.time() - t0)
        """
    )
    assert only(result, "param_sweep").attrs["values"] is None


def test_loop_over_parameters_without_timing_is_not_a_sweep() -> None:
    result = facts(
        """
        BATCH_SIZES = [1, 2]
        for bs in BATCH_SIZES:
            print(bs)
        """
    )
    assert lines(result, "param_sweep") == []


# -- device, events, timeit, torch benchmark, context timers ---------------------------------
def test_device_sync_variants() -> None:
    result = facts(
        """
        import torch
        import torch_xla.core.xla_model as xm
        import jax
        from torch.cuda import synchronize
        torch.cuda.synchronize()
        synchronize()
        torch.mps.synchronize()
        torch.xpu.synchronize()
        xm.mark_step()
        y = jax.block_until_ready(x)
        out.block_until_ready()
        end_event.synchronize()
        """
    )
    assert lines(result, "device_sync") == [5, 6, 7, 8, 9, 10, 11, 12]
    assert result.idioms_of("device_sync")[1].attrs["api"] == "torch.cuda.synchronize"


def test_cuda_events_and_elapsed_time() -> None:
    result = facts(
        """
        import torch
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        f()
        end.record()
        torch.cuda.synchronize()
        ms = start.elapsed_time(end)
        """
    )
    assert lines(result, "cuda_event") == [2, 3, 8]
    assert result.idioms_of("cuda_event")[0].attrs["enable_timing"] is True
    assert result.idioms_of("cuda_event")[2].attrs["start"] == "start"
    assert lines(result, "timed_region") == [8]


def test_thread_and_async_events_are_not_cuda_events() -> None:
    result = facts(
        """
        import threading, anyio, multiprocessing as mp
        import torch
        from deepspeed.accelerator import get_accelerator
        stop = threading.Event()
        ready = anyio.Event()
        shared = mp.get_context("spawn").Event()
        plain = torch.cuda.Event()
        timed = get_accelerator().Event(enable_timing=True)
        """
    )
    assert lines(result, "cuda_event") == [7, 8]


def test_timeit_and_torch_benchmark() -> None:
    result = facts(
        """
        import timeit
        from timeit import Timer
        import torch.utils.benchmark as benchmark
        from torch.utils import benchmark as tb

        timeit.timeit("f()", number=10)
        timeit.repeat("f()")
        t = Timer("f()")
        t.autorange()
        bt = benchmark.Timer(stmt="f(x)", globals={"x": 1})
        m = bt.blocked_autorange()
        tb.Compare([m]).print()
        """
    )
    assert lines(result, "timeit") == [6, 7, 8, 9]
    assert lines(result, "torch_benchmark") == [10, 11, 12]
    assert result.idioms_of("torch_benchmark")[0].attrs["api"] == "torch.utils.benchmark.Timer"


def test_context_timers_by_name_and_by_definition() -> None:
    result = facts(
        """
        import time
        from contextlib import contextmanager

        class Clock:
            def __enter__(self):
                self.start = time.perf_counter()
                return self
            def __exit__(self, *exc):
                self.elapsed = time.perf_counter() - self.start

        @contextmanager
        def measured(label):
            t = time.time()
            yield
            print(label, time.time() - t)

        with Timer("x"):
            pass
        with Clock() as c, open("f") as fh:
            pass
        with measured("y"):
            pass
        with torch.profiler.profile() as prof:
            pass
        """
    )
    found = {(i.line, bool(i.attrs.get("definition"))) for i in result.idioms_of("context_timer")}
    assert found == {(4, True), (12, True), (17, False), (19, False), (21, False), (23, False)}


# -- options ----------------------------------------------------------------------------------
def test_argparse_options_attributes_and_roles() -> None:
    result = facts(
        """
        import argparse
        p = argparse.ArgumentParser()
        p.add_argument("--batch-sizes", type=str, default="1,2,4,8", help="sizes")
        p.add_argument("-m", "--model", default="bert", choices=["bert", "gpt2"])
        p.add_argument("--db-path", default=None)
        p.add_argument("--runs", type=int, default=10)
        p.add_argument("--hardware", nargs="+", default=["cpu"])
        p.add_argument("--output-dir", dest="out", default="results")
        p.add_argument("--seq", type=lambda s: [int(x) for x in s.split(",")], default="8")
        p.add_argument("model_path")
        g = p.add_argument_group("x")
        g.add_argument("--verbose", action="store_true")
        """
    )
    options = {i.attrs["dest"]: i.attrs for i in result.idioms_of("argparse_option")}
    assert options["batch_sizes"]["is_list"] is True
    assert options["batch_sizes"]["list_values"] == [1, 2, 4, 8]
    assert options["batch_sizes"]["role"] == "param"
    assert options["model"]["choices"] == ["bert", "gpt2"]
    assert options["model"]["option"] == "--model"
    assert options["db_path"]["role"] == "storage"
    assert options["runs"] == options["runs"] | {"type": "int", "default": 10, "is_list": False}
    assert options["hardware"]["is_list"] is True
    assert options["out"]["role"] == "storage"
    assert options["seq"]["is_list"] is True
    assert options["model_path"]["positional"] is True
    assert options["verbose"]["role"] == "storage"
    assert result.extra["argparse_defaults"]["runs"] == 10
    assert lines(result, "argparse_option") == [3, 4, 5, 6, 7, 8, 9, 10, 12]


def test_absl_flags() -> None:
    result = facts(
        """
        from absl import flags
        flags.DEFINE_integer("batch_size", 32, "Batch size.")
        flags.DEFINE_list("models", ["a", "b"], "Models.")
        FLAGS = flags.FLAGS
        """
    )
    found = result.idioms_of("absl_flag")
    assert [(f.line, f.attrs["flag"], f.attrs["default"]) for f in found] == [
        (2, "batch_size", 32),
        (3, "models", ["a", "b"]),
    ]
    assert found[1].attrs["is_list"] is True


def test_main_guard_both_spellings() -> None:
    assert lines(facts('if __name__ == "__main__":\n    main()\n'), "main_guard") == [1]
    reversed_guard = facts("if '__main__' == __name__:\n    main()\n")
    assert reversed_guard.has_main_guard
    assert not facts("if __name__ == 'x':\n    pass\n").has_main_guard


# -- hardware, memory, statistics ----------------------------------------------------------------
def test_hardware_checks() -> None:
    result = facts(
        """
        import torch
        from openvino.runtime import Core

        def detect_hardware():
            return {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}

        if torch.version.hip is not None:
            pass
        if device == "cuda":
            pass
        if device in ("webgpu", "webnn"):
            pass
        core = Core()
        n = torch.cuda.device_count()
        if device.startswith("qnn"):
            pass
        """
    )
    by_line = {i.line: i.attrs for i in result.idioms_of("hardware_check")}
    assert sorted(by_line) == [4, 5, 7, 9, 11, 13, 14, 15]
    assert by_line[4]["definition"] is True
    assert by_line[4]["backends"] == ["cuda", "mps"]
    assert by_line[7]["backends"] == ["rocm"]
    assert by_line[11]["backends"] == ["webgpu", "webnn"]
    assert by_line[15]["backends"] == ["qnn"]


def test_memory_measurements() -> None:
    result = facts(
        """
        import psutil, torch, tracemalloc, resource
        rss = psutil.Process().memory_info().rss
        torch.cuda.reset_peak_memory_stats()
        peak = torch.cuda.max_memory_allocated()
        tracemalloc.start()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        proc = psutil.Process(os.getpid())
        mem = proc.memory_info()
        """
    )
    assert lines(result, "memory_measurement") == [2, 3, 4, 5, 6, 8]


def test_statistics() -> None:
    result = facts(
        """
        import numpy as np
        import statistics
        from statistics import median
        a = np.mean(xs)
        b = np.percentile(xs, 99)
        c = statistics.stdev(xs)
        d = median(xs)
        s = sorted(xs)
        p90 = s[int(len(s) * 0.9)]
        """
    )
    assert lines(result, "statistics") == [4, 5, 6, 7, 9]


# -- outputs, models, imports, processes -------------------------------------------------------
def test_result_writers() -> None:
    result = facts(
        """
        import json, csv, duckdb, sqlite3
        import matplotlib.pyplot as plt
        json.dump(results, fh)
        w = csv.DictWriter(fh, fieldnames=["a"])
        con = duckdb.connect("bench.duckdb")
        con.execute("INSERT INTO results VALUES (?)", [1])
        db = sqlite3.connect("x.db")
        df.to_csv("out.csv")
        plt.savefig("plot.png")
        with open(f"{out_dir}/report.md", "w") as fh:
            fh.write(json.dumps(results))
        open("data.json").read()
        """
    )
    found = [(i.line, i.attrs["format"]) for i in result.idioms_of("result_writer")]
    assert found == [
        (3, "json"),
        (4, "csv"),
        (5, "duckdb"),
        (6, "sql"),
        (7, "sqlite"),
        (8, "csv"),
        (9, "image"),
        (10, "markdown"),
        (11, "json"),
    ]


def test_model_loading() -> None:
    result = facts(
        """
        import torch, timm, torchvision
        import onnxruntime as ort
        from transformers import AutoModel
        m = AutoModel.from_pretrained("bert-base-uncased")
        s = torch.load("m.pt")
        r = torchvision.models.resnet50(weights=None)
        t = timm.create_model("vit_base")
        sess = ort.InferenceSession("m.onnx")
        j = torch.jit.load("m.pt")
        """
    )
    assert lines(result, "model_loading") == [4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    ("statement", "target", "relative"),
    [
        ("sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))", ".", True),
        ("sys.path.append(os.path.dirname(os.path.dirname(__file__)))", "..", True),
        ("sys.path.insert(0, str(Path(__file__).parent.parent))", "..", True),
        ("sys.path.insert(0, str(Path(__file__).resolve().parents[2]))", "../..", True),
        (
            "sys.path.append(os.path.join(os.path.dirname(__file__), '..', 'common'))",
            "../common",
            True,
        ),
        ("sys.path.insert(0, '/opt/project')", "/opt/project", False),
        ("sys.path[0:0] = [os.path.dirname(__file__)]", ".", True),
        ("site.addsitedir(os.path.dirname(__file__))", ".", True),
    ],
)
def test_sys_path_hacks(statement: str, target: str, relative: bool) -> None:
    result = facts(f"import os, sys, site\nfrom pathlib import Path\n{statement}\n")
    hack = only(result, "sys_path_hack")
    assert (hack.line, hack.attrs["target"], hack.attrs["relative_to_file"]) == (
        3,
        target,
        relative,
    )


def test_sys_path_hack_through_a_variable_marks_later_imports() -> None:
    result = facts(
        """
        import os
        import sys
        parent_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        sys.path.insert(0, parent_dir)
        from common import helpers
        """
    )
    assert only(result, "sys_path_hack").attrs["target"] == ".."
    assert [r.after_sys_path_hack for r in result.imports] == [False, False, True]


def test_optional_imports_and_flags() -> None:
    result = facts(
        """
        try:
            import torch
            HAS_TORCH = True
        except ImportError:
            HAS_TORCH = False
        try:
            from openvino.runtime import Core
        except (ImportError, OSError):
            Core = None
        try:
            import x
        except:
            pass
        try:
            value = compute()
        except ValueError:
            pass
        """
    )
    found = result.idioms_of("optional_import")
    assert [(i.line, i.attrs["modules"], i.attrs["flag"]) for i in found] == [
        (1, ["torch"], "HAS_TORCH"),
        (6, ["openvino.runtime"], "Core"),
        (10, ["x"], None),
    ]
    assert all(r.guarded and not r.conditional for r in result.imports)


def test_concurrency() -> None:
    result = facts(
        """
        import asyncio, anyio, threading
        from concurrent.futures import ThreadPoolExecutor
        import multiprocessing as mp
        with ThreadPoolExecutor(max_workers=4) as ex:
            pass
        pool = mp.Pool(2)
        threading.Thread(target=f).start()
        asyncio.run(main())
        anyio.run(main)
        """
    )
    assert lines(result, "concurrency") == [4, 6, 7, 8, 9]


def test_subprocess_launches() -> None:
    result = facts(
        """
        import os, subprocess, sys
        subprocess.run([sys.executable, "benchmarks/run_one.py", "--model", "bert"])
        cmd = ["python3", "tools/other.py"]
        subprocess.check_call(cmd)
        os.system("python legacy/bench.py --fast")
        subprocess.Popen(["nvidia-smi"])
        """
    )
    found = [
        (i.line, i.attrs["target"], i.attrs["launches_python"])
        for i in result.idioms_of("subprocess_launch")
    ]
    assert found == [
        (2, "benchmarks/run_one.py", True),
        (4, "tools/other.py", True),
        (5, "legacy/bench.py", True),
        (6, None, False),
    ]


def test_a_script_running_itself_again_launches_no_other_script() -> None:
    result = facts(
        """
        import os, subprocess, sys
        subprocess.run([sys.executable, __file__, "--child"], check=True)
        subprocess.run([sys.executable, os.path.abspath(__file__)])
        subprocess.run([sys.executable, sys.argv[0], "--case", "2"])
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "other.py")])
        cmd = [sys.executable, __file__] + sys.argv[1:]
        subprocess.run(cmd, check=True)
        """
    )
    found = [
        (i.line, i.attrs["target"], i.attrs["launches_self"])
        for i in result.idioms_of("subprocess_launch")
    ]
    assert found == [
        (2, None, True),
        (3, None, True),
        (4, None, True),
        (5, None, False),
        (7, None, True),
    ]


def test_simulation_random_metrics_and_switched_sleeps() -> None:
    result = facts(
        """
        import os, random, time
        import numpy as np
        SIMULATE = os.environ.get("WEBGPU_SIMULATION", "0") == "1"
        inputs = np.random.randn(4, 4)

        def run():
            if SIMULATE:
                time.sleep(0.01)
                latency_ms = random.uniform(10, 20)
            else:
                time.sleep(1)
            if not SIMULATE:
                time.sleep(2)
            else:
                time.sleep(3)
            return {"throughput": np.random.rand() * 100, "name": random.choice("ab")}
        """
    )
    found = {i.line: i.attrs for i in result.idioms_of("simulation")}
    assert sorted(found) == [8, 9, 15, 16]
    assert found[8]["switch"] == "SIMULATE"
    assert found[9]["target"] == "latency_ms"
    assert found[15]["switch"] == "not SIMULATE"
    assert found[16]["target"] == "throughput"


def test_env_switches() -> None:
    result = facts(
        """
        import os
        a = os.environ.get("DEPRECATE_JSON_OUTPUT", "1")
        b = os.getenv("BENCH_DB")
        c = os.environ["HOME"]
        if "CI" in os.environ:
            pass
        os.environ["X"] = "1"
        """
    )
    found = [(i.line, i.attrs["variable"]) for i in result.idioms_of("env_switch")]
    assert found == [(2, "DEPRECATE_JSON_OUTPUT"), (3, "BENCH_DB"), (4, "HOME"), (5, "CI")]


def test_idiom_scopes_name_the_enclosing_definition() -> None:
    result = facts(
        """
        import time
        class Runner:
            def run(self):
                def inner():
                    return time.time()
                return inner
        t = time.time()
        """
    )
    assert [(i.scope, i.line) for i in result.idioms_of("timer")] == [
        ("Runner.run.inner", 5),
        ("<module>", 7),
    ]


def _attrs_are_json(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _attrs_are_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_attrs_are_json(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


def test_attrs_are_json_ready() -> None:
    result = facts(
        """
        import argparse
        p = argparse.ArgumentParser()
        p.add_argument("--sizes", default=(1, 2), choices={1, 2, 3})
        p.add_argument("--blob", default=b"x")
        p.add_argument("--c", default=1j)
        """
    )
    assert all(_attrs_are_json(dict(i.attrs)) for i in result.idioms)


# -- loops timed from outside, and other library spellings --------------------------------------
def test_loop_timed_around_is_a_repeat_loop_and_single_shots_are_marked() -> None:
    result = facts(
        """
        import time
        import torch

        def around(f, n):
            start = time.perf_counter()
            for _ in range(n):
                f()
            return (time.perf_counter() - start) / n

        def events(f, n):
            s = torch.cuda.Event(enable_timing=True)
            e = torch.cuda.Event(enable_timing=True)
            s.record()
            for _ in range(n):
                f()
            e.record()
            torch.cuda.synchronize()
            return s.elapsed_time(e) / n

        def once(f):
            t0 = time.time()
            f()
            for _ in range(3):
                pass
            return time.time() - t0 if False else 0

        def single(f):
            t0 = time.time()
            f()
            return time.time() - t0
        """
    )
    loops = {i.line: i.attrs for i in result.idioms_of("repeat_loop")}
    assert sorted(loops) == [6, 14, 23]
    assert all(attrs["timed_around"] for attrs in loops.values())
    regions = {i.line: i.attrs for i in result.idioms_of("timed_region")}
    assert regions[8]["single_shot"] is False
    assert (regions[18]["start_line"], regions[18]["end_line"]) == (13, 16)
    assert regions[25]["single_shot"] is False
    assert regions[30]["single_shot"] is True


def test_timer_alias_is_reported() -> None:
    result = facts(
        "import time as t\nfrom time import perf_counter\na = t.time()\nb = perf_counter()\n"
    )
    assert [i.attrs.get("alias_of") for i in result.idioms_of("timer")] == [
        "time.time",
        "time.perf_counter",
    ]
    assert "alias_of" not in facts("import time\nx = time.time()\n").idioms[0].attrs


def test_other_harnesses_and_accelerator_events() -> None:
    result = facts(
        """
        import triton
        from deepspeed.accelerator import get_accelerator
        ms = triton.testing.do_bench(lambda: f(x))
        start = get_accelerator().Event(enable_timing=True)
        get_accelerator().synchronize()
        """
    )
    assert lines(result, "torch_benchmark") == [3]
    assert lines(result, "cuda_event") == [4]
    assert lines(result, "device_sync") == [5]


def test_hardware_probes_by_find_spec() -> None:
    result = facts(
        """
        import importlib.util
        has_ov = importlib.util.find_spec("openvino") is not None
        has_qnn = importlib.util.find_spec("qti.aisw") is not None
        has_np = importlib.util.find_spec("numpy") is not None
        """
    )
    assert [(i.line, i.attrs["backends"]) for i in result.idioms_of("hardware_check")] == [
        (2, ["openvino"]),
        (3, ["qnn"]),
    ]


def test_pools_built_from_variables_or_passed_as_arguments() -> None:
    result = facts(
        """
        import concurrent.futures
        from concurrent.futures import ThreadPoolExecutor

        def run_pool(executor_cls, workers):
            with executor_cls(max_workers=workers) as pool:
                for f in concurrent.futures.as_completed([pool.submit(g)]):
                    f.result()

        run_pool(ThreadPoolExecutor, 2)
        run_pool(concurrent.futures.ProcessPoolExecutor, 2)
        """
    )
    found = [(i.line, i.attrs.get("executor")) for i in result.idioms_of("concurrency")]
    assert found == [(5, None), (6, None), (9, "ThreadPoolExecutor"), (10, "ProcessPoolExecutor")]


def test_report_format_from_the_function_name() -> None:
    result = facts(
        """
        def write_markdown_report(path, rows):
            with open(path, "w") as f:
                f.write("# Report")

        def save(path):
            with open(path, "w") as f:
                f.write("x")
        """
    )
    assert [(i.line, i.attrs["format"]) for i in result.idioms_of("result_writer")] == [
        (2, "markdown")
    ]


def test_sweep_values_from_constructor_defaults_and_parameter_names() -> None:
    result = facts(
        """
        import time
        HIDDEN_SIZES = [256, 1024]
        SEQ_LENS = [32, 128]

        class Bench:
            def __init__(self, resolutions=(224, 384), seq_lens=None):
                self.resolutions = resolutions
                self.seq_lens = seq_lens or SEQ_LENS

            def run(self):
                for resolution in self.resolutions:
                    t = time.time(); f(); d = time.time() - t
                for seq_len in self.seq_lens:
                    t = time.time(); f(); d = time.time() - t
                for hidden in HIDDEN_SIZES:
                    t = time.time(); f(); d = time.time() - t
                for bs in [1, 2]:
                    t = time.time(); f(); d = time.time() - t
        """
    )
    sweeps = {i.line: i.attrs for i in result.idioms_of("param_sweep")}
    assert sweeps[11]["values"] == [224, 384]
    assert sweeps[11]["constructor_default"] == "resolutions"
    assert (sweeps[13]["values"], sweeps[13]["constant"]) == ([32, 128], "SEQ_LENS")
    assert (sweeps[15]["parameter"], sweeps[15]["constant"]) == ("hidden_size", "HIDDEN_SIZES")
    assert (sweeps[17]["parameter"], sweeps[17]["values_source"]) == ("batch_size", "literal")


def test_sweep_over_a_dict_with_tuple_keys() -> None:
    result = facts(
        """
        import time
        SHAPES = {(1, 2): "small", (4, 8): "large"}
        for shape in SHAPES:
            t = time.time(); f(shape); d = time.time() - t
        """
    )
    assert only(result, "param_sweep").attrs["values"] == ["[1, 2]", "[4, 8]"]


def test_odd_loop_counts_do_not_break_extraction() -> None:
    result = facts(
        """
        import time
        for _ in range(0, 10, 0):
            t = time.time(); d = time.time() - t
        for _ in range(10**30):
            t = time.time(); d = time.time() - t
        """
    )
    assert [i.attrs["literal_count"] for i in result.idioms_of("repeat_loop")] == [None, None]


def test_a_benchmark_that_reruns_itself_in_a_subprocess_is_no_orchestrator(tmp_path: Path) -> None:
    (tmp_path / "bench_topk.py").write_text(
        "import subprocess, sys, time\n\n\n"
        "def bench(runs=20):\n"
        "    start = time.perf_counter()\n"
        "    for _ in range(runs):\n"
        "        sorted(range(1000))\n"
        "    return (time.perf_counter() - start) / runs\n\n\n"
        'if __name__ == "__main__":\n'
        "    if len(sys.argv) > 1:\n"
        "        subprocess.run([sys.executable, __file__], check=True)\n"
        "    print(bench())\n"
    )
    (report,) = analyze_paths([tmp_path], jobs=1, use_cache=False).files
    assert (report.role, report.unit) == ("benchmark", "function")
