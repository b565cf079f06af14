"""What calls mean in legacy benchmark code: clocks, device syncs, writers, loggers, hardware.

Everything matches qualified names (``from time import perf_counter as pc`` is
``time.perf_counter``) as resolved by LibCST's ``QualifiedNameProvider``; the resolver is passed
in as a function so these helpers stay free of metadata plumbing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import libcst as cst

from benchmig.analyzer._progress import progress_kind
from benchmig.codemods._unit_syntax import method_call

__all__ = [
    "CLOCKS",
    "DEVICE_NAMES",
    "QualNames",
    "code",
    "hardware_in_text",
    "is_clock_call",
    "is_cuda_event",
    "is_logging_call",
    "is_sync_call",
    "is_writer_call",
    "natural_param_name",
    "qualnames_of",
    "singular",
    "without_progress_bar",
]

QualNames = Callable[[cst.CSTNode], Collection[str]]
"""Resolver: a node -> the qualified names it may refer to."""

CLOCKS = frozenset(
    {
        "time.time",
        "time.perf_counter",
        "time.monotonic",
        "time.process_time",
        "time.time_ns",
        "time.perf_counter_ns",
        "time.monotonic_ns",
        "time.process_time_ns",
        "timeit.default_timer",
    }
)
_SYNCS = frozenset(
    {
        "torch.cuda.synchronize",
        "torch.mps.synchronize",
        "torch.xpu.synchronize",
        "torch_xla.core.xla_model.mark_step",
        "torch.cuda.current_stream",
    }
)
_WRITERS = frozenset(
    {
        "json.dump",
        "pickle.dump",
        "csv.writer",
        "csv.DictWriter",
        "duckdb.connect",
        "sqlite3.connect",
        "os.makedirs",
        "os.mkdir",
        "os.remove",
        "shutil.rmtree",
        "shutil.copy",
        "shutil.move",
        "numpy.save",
        "numpy.savez",
        "torch.save",
        "matplotlib.pyplot.savefig",
    }
)
_WRITER_METHODS = frozenset(
    {"to_csv", "to_json", "to_parquet", "to_sql", "savefig", "write_text", "write_bytes", "mkdir"}
)
_LOGGING = re.compile(
    r"^(print|pprint\.pprint|warnings\.warn|logging\.\w+|.*\blog(ger)?\.(debug|info|warning"
    r"|warn|error|exception|critical|log))$"
)
DEVICE_NAMES = frozenset({"device", "hardware", "hw", "dev", "device_name", "device_type"})
_HARDWARE_WORDS = {
    "cuda": "cuda",
    "gpu": "cuda",
    "mps": "mps",
    "rocm": "rocm",
    "hip": "rocm",
    "openvino": "openvino",
    "webgpu": "webgpu",
    "webnn": "webnn",
    "qnn": "qnn",
    "cpu": "cpu",
}
_ABBREVIATIONS = {
    "bs": "batch_size",
    "batch": "batch_size",
    "sl": "seq_len",
    "seq": "seq_len",
    "seqlen": "seq_len",
    "res": "resolution",
    "hw": "hardware",
    "n": "size",
    "d": "dim",
    "prec": "precision",
    "dtype": "precision",
}


def code(node: cst.CSTNode) -> str:
    """Source text of a node (no surrounding whitespace)."""
    return cst.Module([]).code_for_node(node).strip()


def qualnames_of(node: cst.CSTNode, resolve: QualNames) -> frozenset[str]:
    """Qualified names of a call's function (or of a name/attribute), plus its dotted spelling."""
    target = node.func if isinstance(node, cst.Call) else node
    names = set(resolve(target))
    dotted = _dotted(target)
    if dotted:
        names.add(dotted)
    return frozenset(names)


def without_progress_bar(node: cst.BaseExpression, resolve: QualNames) -> cst.BaseExpression:
    """What a loop iterates under a progress bar: ``tqdm(xs, desc=...)`` -> ``xs``,
    ``trange(1, n)`` -> ``range(1, n)`` (a new node); anything else as it is."""
    for _ in range(3):  # tqdm(tqdm(xs)) at most, in practice
        if not isinstance(node, cst.Call) or not node.args:
            return node
        if any(arg.star for arg in node.args) or node.args[0].keyword is not None:
            return node
        kind = progress_kind(qualnames_of(node, resolve))
        if kind == "items":
            node = node.args[0].value
        elif kind == "range":
            positional = [arg for arg in node.args if arg.keyword is None]
            last = len(positional) - 1
            args = [
                a.with_changes(comma=cst.MaybeSentinel.DEFAULT) if n == last else a
                for n, a in enumerate(positional)
            ]
            return cst.Call(func=cst.Name("range"), args=args)
        else:
            return node
    return node


def _dotted(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        owner = _dotted(node.value)
        return f"{owner}.{node.attr.value}" if owner else None
    return None


def is_clock_call(node: cst.CSTNode, resolve: QualNames) -> bool:
    """``time.time()``, ``perf_counter()`` (any alias), ``timeit.default_timer()``..."""
    if not isinstance(node, cst.Call) or node.args:
        return False
    return bool(set(resolve(node.func)) & CLOCKS)


def is_sync_call(node: cst.CSTNode, resolve: QualNames, local_syncs: Collection[str]) -> bool:
    """A device synchronisation: ``torch.cuda.synchronize()``, any argument-free
    ``.synchronize()`` (``get_accelerator().synchronize()``, a stream's or an event's), or a
    local sync-only helper."""
    if not isinstance(node, cst.Call):
        return False
    if method_call(node, "synchronize") and not node.args:
        return True
    names = qualnames_of(node, resolve)
    if names & _SYNCS:
        return True
    return any(n.rsplit(".", 1)[-1] in local_syncs for n in names)


def is_cuda_event(node: cst.CSTNode, resolve: QualNames) -> bool:
    """``torch.cuda.Event(enable_timing=True)``."""
    if not isinstance(node, cst.Call):
        return False
    return any(n.endswith("cuda.Event") for n in qualnames_of(node, resolve))


def is_logging_call(node: cst.CSTNode, resolve: QualNames) -> bool:
    """``print(...)``, ``logger.info(...)``, ``logging.warning(...)``, ``warnings.warn(...)``."""
    if not isinstance(node, cst.Call):
        return False
    return any(_LOGGING.match(n) for n in qualnames_of(node, resolve))


def is_writer_call(node: cst.CSTNode, resolve: QualNames) -> bool:
    """A call that writes files or databases (``open(.., "w")``, ``json.dump``, ``to_csv``...)."""
    if not isinstance(node, cst.Call):
        return False
    names = qualnames_of(node, resolve)
    if names & _WRITERS:
        return True
    if isinstance(node.func, cst.Attribute) and node.func.attr.value in _WRITER_METHODS:
        return True
    if "open" in names or "builtins.open" in names:
        modes = [a.value for a in node.args[1:2]] + [
            a.value for a in node.args if a.keyword and a.keyword.value == "mode"
        ]
        return any(
            isinstance(m, cst.SimpleString) and set(str(m.evaluated_value)) & set("wax+")
            for m in modes
        )
    return False


def hardware_in_text(text: str) -> list[str]:
    """Hardware names mentioned in a string literal or an identifier (``"cuda"``, ``mps``)."""
    words = re.findall(r"[a-z]+", text.lower())
    return [_HARDWARE_WORDS[w] for w in words if w in _HARDWARE_WORDS]


def singular(word: str) -> str:
    """``batch_sizes`` -> ``batch_size``; ``seq_lens`` -> ``seq_len``; ``kernels`` -> ``kernel``."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


_GENERIC_VARS = frozenset(
    {
        "name",
        "item",
        "value",
        "val",
        "key",
        "idx",
        "elem",
        "entry",
        "opt",
        "cfg",
        "config",
        "param",
        "arg",
        "option",
        "setting",
        "case",
        "spec",
    }
)


def natural_param_name(variable: str, iterable: str | None) -> str:
    """The param name of a swept loop variable: the variable itself when it says what it is,
    its expansion when abbreviated (``bs`` -> ``batch_size``), else the singular iterable."""
    name = variable.lower()
    if name in _ABBREVIATIONS:
        return _ABBREVIATIONS[name]
    if len(name) > 2 and name not in _GENERIC_VARS:
        return name
    if iterable:
        base = iterable.rsplit(".", 1)[-1].lower()
        if base.endswith("s") and base not in {"args", "kwargs", "options", "opts"}:
            return singular(base)
    return name
