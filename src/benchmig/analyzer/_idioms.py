"""The idiom vocabulary as lookup tables: which qualified call means which idiom.

Calls are matched by qualified name first (``time.perf_counter``, however it was imported), then
by prefix (``torch.utils.benchmark.*``), then by method name on objects whose type a static pass
cannot know (``x.synchronize()``, ``df.to_csv(...)``). Behaviour that needs more than a name
(argparse options, ``sys.path`` targets, timed regions, loops) lives in the walker.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import Any

from benchmig.analyzer._literals import words

__all__ = [
    "HARDWARE_MODULES",
    "HARDWARE_STRINGS",
    "METRIC_NAME_RE",
    "RANDOM_PREFIXES",
    "RULE_ROOTS",
    "SIMULATION_SWITCH_RE",
    "SLEEP_CALLS",
    "STRONG_CLOCKS",
    "WEAK_CLOCKS",
    "CallRule",
    "classify_call",
    "hardware_strings",
    "is_hardware_function",
    "open_result_format",
]

CallRule = tuple[str, dict[str, Any]]

STRONG_CLOCKS = words(
    "time.time time.perf_counter time.monotonic time.process_time time.thread_time "
    "time.time_ns time.perf_counter_ns time.monotonic_ns time.process_time_ns "
    "time.thread_time_ns timeit.default_timer"
)
# Wall-clock reads that are timers only when subtracted (they are also used as timestamps).
WEAK_CLOCKS = words(
    "datetime.datetime.now datetime.datetime.utcnow datetime.datetime.today datetime.now "
    "datetime.utcnow"
)
SLEEP_CALLS = frozenset({"time.sleep", "asyncio.sleep", "anyio.sleep", "trio.sleep"})
RANDOM_PREFIXES = ("random.", "numpy.random.", "torch.rand", "secrets.")
METRIC_NAME_RE = re.compile(
    r"latenc|throughput|memory|mem_|_mem\b|\bmem\b|duration|elapsed|_time\b|time_ms|time_s\b|"
    r"_ms\b|_sec\b|per_sec|per_second|speed|fps|qps|tokens_per|bandwidth|flops|power|"
    r"runtime|exec_time|inference_time|ttft|tpot",
    re.IGNORECASE,
)
SIMULATION_SWITCH_RE = re.compile(r"simulat|mock|fake|dry_?run|dummy", re.IGNORECASE)
HARDWARE_STRINGS = frozenset(
    {"cuda", "mps", "rocm", "hip", "openvino", "webnn", "webgpu", "qnn", "xpu", "tpu", "npu"}
)

# Importable runtimes whose presence means a hardware backend (probed with find_spec).
HARDWARE_MODULES = {
    "openvino": "openvino",
    "qti": "qnn",
    "qnn": "qnn",
    "torch_xla": "tpu",
    "tensorrt": "cuda",
    "onnxruntime": "onnxruntime",
    "intel_extension_for_pytorch": "xpu",
    "habana_frameworks": "hpu",
    "coremltools": "mps",
    "tflite_runtime": "tflite",
    "torch_directml": "directml",
}

_EXACT: dict[str, CallRule] = {}


def _add(kind: str, names: str, **attrs: Any) -> None:
    for name in names.split():
        _EXACT[name] = (kind, {**attrs, "api": name})


for _clock in STRONG_CLOCKS:
    _EXACT[_clock] = ("timer", {"clock": _clock})
_add("device_sync", "torch.cuda.synchronize torch.mps.synchronize torch.xpu.synchronize")
_add("device_sync", "torch.npu.synchronize torch.accelerator.synchronize torch.cpu.synchronize")
_add("device_sync", "torch_xla.core.xla_model.mark_step torch_xla.sync jax.block_until_ready")
_add("device_sync", "torch.cuda.current_stream().synchronize")
_add("cuda_event", "torch.cuda.Event torch.Event torch.xpu.Event torch.mps.Event")
_add("cuda_event", "torch.mps.event.Event torch.cuda.event.Event")
_add("timeit", "timeit.timeit timeit.repeat timeit.Timer")
_add(
    "memory_measurement",
    "torch.cuda.max_memory_allocated torch.cuda.memory_allocated torch.cuda.memory_reserved "
    "torch.cuda.max_memory_reserved torch.cuda.reset_peak_memory_stats torch.cuda.memory_stats "
    "torch.cuda.reset_max_memory_allocated torch.cuda.mem_get_info torch.cuda.memory_summary "
    "torch.mps.current_allocated_memory torch.mps.driver_allocated_memory "
    "torch.xpu.max_memory_allocated torch.xpu.memory_allocated torch.xpu.reset_peak_memory_stats "
    "tracemalloc.start tracemalloc.get_traced_memory tracemalloc.take_snapshot "
    "tracemalloc.reset_peak resource.getrusage psutil.virtual_memory memory_profiler.memory_usage",
)
_add(
    "statistics",
    "numpy.mean numpy.median numpy.std numpy.var numpy.percentile numpy.quantile numpy.average "
    "numpy.nanmean numpy.nanmedian numpy.nanstd numpy.nanpercentile numpy.nanquantile "
    "statistics.mean statistics.fmean statistics.median statistics.median_low "
    "statistics.median_high statistics.stdev statistics.pstdev statistics.variance "
    "statistics.pvariance statistics.quantiles statistics.geometric_mean "
    "statistics.harmonic_mean scipy.stats.describe scipy.stats.sem scipy.stats.t.interval "
    "torch.std_mean torch.quantile",
)
_add("result_writer", "json.dump", format="json")
_add("result_writer", "pickle.dump", format="pickle")
_add("result_writer", "yaml.dump yaml.safe_dump", format="yaml")
_add("result_writer", "csv.writer csv.DictWriter", format="csv")
_add("result_writer", "duckdb.connect", format="duckdb")
_add("result_writer", "sqlite3.connect", format="sqlite")
_add("result_writer", "matplotlib.pyplot.savefig", format="image")
_add("result_writer", "numpy.savetxt", format="text")
_add(
    "model_loading",
    "torch.load torch.jit.load torch.hub.load torch.export.load timm.create_model "
    "onnxruntime.InferenceSession tensorflow.keras.models.load_model keras.models.load_model "
    "keras.saving.load_model tensorflow.saved_model.load transformers.pipeline "
    "diffusers.DiffusionPipeline.from_pretrained openvino.runtime.Core().read_model",
)
_add("sys_path_hack", "sys.path.insert sys.path.append sys.path.extend site.addsitedir")
_add(
    "concurrency",
    "concurrent.futures.ThreadPoolExecutor concurrent.futures.ProcessPoolExecutor "
    "multiprocessing.Pool multiprocessing.Process multiprocessing.pool.Pool "
    "multiprocessing.pool.ThreadPool threading.Thread asyncio.gather asyncio.run asyncio.wait "
    "asyncio.create_task asyncio.as_completed anyio.run anyio.create_task_group "
    "torch.multiprocessing.spawn torch.multiprocessing.Pool torch.multiprocessing.Process "
    "trio.run",
)
_add(
    "subprocess_launch",
    "subprocess.run subprocess.call subprocess.check_call subprocess.check_output "
    "subprocess.Popen subprocess.getoutput subprocess.getstatusoutput os.system os.popen "
    "os.execv os.execvp os.execl os.execlp os.spawnv os.spawnl "
    "asyncio.create_subprocess_exec asyncio.create_subprocess_shell anyio.run_process "
    "anyio.open_process",
)
_add("concurrency", "concurrent.futures.as_completed concurrent.futures.wait")
_add("env_switch", "os.environ.get os.getenv os.environ.setdefault os.environ.pop")
_add(
    "hardware_check",
    "torch.cuda.is_available torch.cuda.device_count torch.cuda.get_device_name "
    "torch.cuda.get_device_properties torch.cuda.get_device_capability torch.cuda.is_initialized "
    "torch.backends.mps.is_available torch.backends.mps.is_built torch.backends.cudnn.is_available "
    "torch.xpu.is_available torch.xpu.device_count torch.mps.is_available "
    "openvino.Core openvino.runtime.Core openvino.inference_engine.IECore "
    "onnxruntime.get_available_providers onnxruntime.get_device "
    "tensorflow.config.list_physical_devices jax.devices jax.device_count "
    "torch_xla.core.xla_model.xla_device",
)

_PREFIXES: tuple[tuple[str, CallRule], ...] = (
    ("torch.utils.benchmark.", ("torch_benchmark", {})),
    ("triton.testing.do_bench", ("torch_benchmark", {})),  # do_bench, do_bench_cudagraph
    ("torchvision.models.", ("model_loading", {})),
    ("timm.models.", ("model_loading", {})),
)

_PREFIX_HEADS = tuple(prefix for prefix, _ in _PREFIXES)

_METHODS: dict[str, CallRule] = {
    "synchronize": ("device_sync", {}),
    "mark_step": ("device_sync", {}),
    "block_until_ready": ("device_sync", {}),
    "elapsed_time": ("cuda_event", {}),
    "Event": ("cuda_event", {}),  # get_accelerator().Event(enable_timing=True) (DeepSpeed)
    "autorange": ("timeit", {}),
    "blocked_autorange": ("torch_benchmark", {}),
    "adaptive_autorange": ("torch_benchmark", {}),
    "memory_info": ("memory_measurement", {}),
    "memory_full_info": ("memory_measurement", {}),
    "max_memory_allocated": ("memory_measurement", {}),
    "reset_peak_memory_stats": ("memory_measurement", {}),
    "get_traced_memory": ("memory_measurement", {}),
    "from_pretrained": ("model_loading", {}),
    "read_model": ("model_loading", {}),
    "to_csv": ("result_writer", {"format": "csv"}),
    "to_json": ("result_writer", {"format": "json"}),
    "to_parquet": ("result_writer", {"format": "parquet"}),
    "to_sql": ("result_writer", {"format": "sql"}),
    "to_excel": ("result_writer", {"format": "excel"}),
    "to_markdown": ("result_writer", {"format": "markdown"}),
    "to_html": ("result_writer", {"format": "html"}),
    "savefig": ("result_writer", {"format": "image"}),
    "write_html": ("result_writer", {"format": "html"}),
    "write_image": ("result_writer", {"format": "image"}),
}
# First names of every qualified rule: a call on anything else (``self.run()``) can only
# match by method name, so its full name need not be built.
RULE_ROOTS = frozenset(
    {name.split(".", 1)[0] for name in _EXACT}
    | {prefix.split(".", 1)[0] for prefix, _ in _PREFIXES}
    | {name.split(".", 1)[0] for name in SLEEP_CALLS}
    | {prefix.split(".", 1)[0] for prefix in RANDOM_PREFIXES}
    | {"flags", "absl", "open", "io", "builtins", "codecs", "concurrent", "multiprocessing"}
)


def classify_call(qualified: str | None, method: str | None) -> CallRule | None:
    """The idiom a call means, by qualified name, prefix, then bare method name."""
    if qualified is not None:
        rule = _EXACT.get(qualified)
        if rule is not None:
            return rule
        if qualified.startswith(_PREFIX_HEADS):
            for prefix, prefix_rule in _PREFIXES:
                # A method of a returned object (``Compare(...).print``) is not the API itself.
                if qualified.startswith(prefix) and "()" not in qualified:
                    return prefix_rule[0], {"api": qualified}
    if method is not None:
        return _METHODS.get(method)
    return None


_SEQUENCES = frozenset({ast.List, ast.Tuple, ast.Set})


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                yield element.value


def hardware_strings(nodes: list[ast.expr]) -> list[str]:
    """Hardware backend names among string literals compared against (``device == "cuda"``)."""
    found: list[str] = []
    for node in nodes:
        cls = node.__class__
        if cls is not ast.Constant and cls not in _SEQUENCES:
            continue  # most operands: names, calls, attributes
        for text in _strings(node):
            key = text.lower().split(":", 1)[0]
            if key in HARDWARE_STRINGS and key not in found:
                found.append(key)
    return found


_HW_VERBS = words(
    "detect check get find probe query select choose available list optimal best init "
    "initialize setup determine identify is has supported pick"
)
_HW_NOUNS = words(
    "hardware device devices backend backends accelerator accelerators gpu gpus cuda mps "
    "rocm openvino webnn webgpu qnn xpu tpu npu hip"
)


_HW_FUNCTIONS: dict[str, bool] = {}  # function names repeat across a tree: split each once
_HW_FUNCTIONS_MAX = 100_000


def is_hardware_function(name: str) -> bool:
    """``detect_hardware``, ``get_device``, ``check_cuda_hardware``, ``available_devices``..."""
    found = _HW_FUNCTIONS.get(name)
    if found is None:
        tokens = set(name.lower().strip("_").split("_"))
        found = bool(tokens & _HW_VERBS) and bool(tokens & _HW_NOUNS)
        if len(_HW_FUNCTIONS) >= _HW_FUNCTIONS_MAX:
            _HW_FUNCTIONS.clear()
        _HW_FUNCTIONS[name] = found
    return found


_FILE_FORMATS = {
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".csv": "csv",
    ".jsonl": "json",
    ".tsv": "csv",
}


_FORMAT_WORDS = {
    "md": "markdown",
    "markdown": "markdown",
    "csv": "csv",
    "json": "json",
    "jsonl": "json",
    "html": "html",
    "report": "text",
    "results": "text",
}


def open_result_format(call: ast.Call, function_name: str = "") -> str | None:
    """The report format of ``open(path, "w")``: from the path's suffix, else from the words of
    the path's names and of the enclosing function (``write_markdown_report(path)``)."""
    mode_node = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "mode":
            mode_node = keyword.value
    if not (isinstance(mode_node, ast.Constant) and isinstance(mode_node.value, str)):
        return None
    if not call.args or not any(flag in mode_node.value for flag in "wax"):
        return None
    names = [function_name]
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            fmt = _suffix_format(node.value)
            if fmt is not None:
                return fmt
        elif isinstance(node, ast.Name | ast.Attribute):
            names.append(node.id if isinstance(node, ast.Name) else node.attr)
    tokens = (token for name in names for token in name.lower().split("_"))
    return next((_FORMAT_WORDS[t] for t in tokens if t in _FORMAT_WORDS), None)


def _suffix_format(path: str) -> str | None:
    lowered = path.lower()
    return next((fmt for suffix, fmt in _FILE_FORMATS.items() if lowered.endswith(suffix)), None)
