"""Per-file facts the analyzer extracts, read by every later stage (graph, reports, codemods).

All records are frozen, picklable dataclasses, so a process pool can return them and the cache can
store them. ``to_dict``/``from_dict`` define their JSON form inside ``analysis.json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "IDIOM_KINDS",
    "FileError",
    "FileFacts",
    "FileStatus",
    "Idiom",
    "ImportRecord",
]

FileStatus = Literal["ok", "parse_error", "skipped"]

# The vocabulary of benchmark idioms (see docs/analyzer.md and ../shared/LEGACY_PATTERNS.md).
IDIOM_KINDS: tuple[str, ...] = (
    "timer",  # a clock read: time.time/perf_counter/monotonic/process_time(_ns), datetime.now
    "timed_region",  # a delta of two clock reads (`end - start`)
    "warmup_loop",  # a loop run before timing, not measured (`for _ in range(warmup)`)
    "repeat_loop",  # a timed loop that repeats the operation / collects samples
    "param_sweep",  # a loop over parameter values (batch sizes, seq lens, models, hardware)
    "device_sync",  # torch.cuda.synchronize(), torch.mps.synchronize(), xm.mark_step()
    "cuda_event",  # torch.cuda.Event(enable_timing=True) / start.elapsed_time(end)
    "timeit",  # timeit.timeit / timeit.repeat / timeit.Timer / default_timer
    "torch_benchmark",  # torch.utils.benchmark.Timer / Compare
    "context_timer",  # `with Timer(...)`-style context-manager timers
    "argparse_option",  # parser.add_argument("--x", default=...) (attrs: option, default, type)
    "absl_flag",  # flags.DEFINE_*(...)
    "main_guard",  # if __name__ == "__main__":
    "hardware_check",  # cuda/mps/rocm/openvino/webnn/webgpu/qnn checks, custom detect functions
    "memory_measurement",  # psutil RSS, torch.cuda.max_memory_allocated/reset_peak_memory_stats,
    # tracemalloc, resource.getrusage
    "statistics",  # np.mean/std/percentile/median, statistics.mean/median/stdev on samples
    "result_writer",  # json.dump, csv, duckdb, sqlite3, pandas to_*, plt.savefig, markdown/html
    "model_loading",  # from_pretrained, torch.load, torchvision/timm model constructors
    "sys_path_hack",  # sys.path.insert/append (attrs: relative_to_file, target)
    "optional_import",  # try: import x / except ImportError (attrs: modules)
    "concurrency",  # ThreadPoolExecutor, ProcessPoolExecutor, multiprocessing.Pool, asyncio/anyio
    "subprocess_launch",  # subprocess.run/Popen/os.system of a (python) script (attrs: target)
    "simulation",  # fabricated numbers (random/sleep) standing in for measurements
    "env_switch",  # behaviour switched by os.environ (DEPRECATE_JSON_OUTPUT, simulation flags)
)


@dataclass(frozen=True)
class Idiom:
    """One occurrence of a benchmark idiom in a file."""

    kind: str
    line: int
    col: int = 0
    end_line: int | None = None
    scope: str = "<module>"  # qualified name of the enclosing function/class, or "<module>"
    detail: str = ""  # short human description, e.g. "time.perf_counter()" or "--batch-sizes"
    attrs: Mapping[str, Any] = field(default_factory=dict)  # JSON-ready extra facts

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "kind": self.kind,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "scope": self.scope,
            "detail": self.detail,
            "attrs": dict(self.attrs),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Idiom:
        """Inverse of :meth:`to_dict`."""
        return cls(
            kind=data["kind"],
            line=int(data["line"]),
            col=int(data.get("col", 0)),
            end_line=data.get("end_line"),
            scope=data.get("scope", "<module>"),
            detail=data.get("detail", ""),
            attrs=dict(data.get("attrs") or {}),
        )


@dataclass(frozen=True)
class ImportRecord:
    """One imported module as written in the file (resolution to files happens in the graph)."""

    module: str  # absolute dotted name, or the relative name as written ("..utils")
    names: tuple[str, ...] = ()  # imported names for `from x import a, b`
    line: int = 0
    level: int = 0  # number of leading dots of a relative import
    guarded: bool = False  # inside try/except ImportError
    conditional: bool = False  # inside a function, if-block, or other non-top-level place
    after_sys_path_hack: bool = False  # made possible by an earlier sys.path insert/append

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "module": self.module,
            "names": list(self.names),
            "line": self.line,
            "level": self.level,
            "guarded": self.guarded,
            "conditional": self.conditional,
            "after_sys_path_hack": self.after_sys_path_hack,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportRecord:
        """Inverse of :meth:`to_dict`."""
        return cls(
            module=data["module"],
            names=tuple(data.get("names") or ()),
            line=int(data.get("line", 0)),
            level=int(data.get("level", 0)),
            guarded=bool(data.get("guarded", False)),
            conditional=bool(data.get("conditional", False)),
            after_sys_path_hack=bool(data.get("after_sys_path_hack", False)),
        )


@dataclass(frozen=True)
class FileError:
    """Why a file could not be analysed: a reason and, where there is one, ``line:col``."""

    reason: str  # machine-readable: syntax_error, python2, merge_conflict, binary, not_utf8,
    # empty, too_large, unreadable, symlink_loop, not_python
    message: str
    line: int | None = None
    col: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"reason": self.reason, "message": self.message, "line": self.line, "col": self.col}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FileError:
        """Inverse of :meth:`to_dict`."""
        return cls(data["reason"], data["message"], data.get("line"), data.get("col"))


@dataclass(frozen=True)
class FileFacts:
    """Everything the analyzer knows about one file, without having imported or run it."""

    path: str  # relative to the analysed root, POSIX style
    module: str  # dotted module name relative to the root ("a.b" for a/b.py)
    status: FileStatus
    sha256: str = ""
    size_bytes: int = 0
    lines: int = 0
    error: FileError | None = None
    imports: tuple[ImportRecord, ...] = ()
    definitions: tuple[str, ...] = ()  # top-level function and class names
    classes: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    idioms: tuple[Idiom, ...] = ()
    complexity: int = 0  # cyclomatic complexity of the whole file (sum over functions + module)
    max_function_complexity: int = 0
    has_main_guard: bool = False
    crlf: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def idioms_of(self, kind: str) -> list[Idiom]:
        """The idioms of one kind, in line order."""
        return [i for i in self.idioms if i.kind == kind]
