"""Per-file fact extraction: bytes in, :class:`FileFacts` out.

:func:`extract_facts` is pure: it never touches the file system, never imports or runs the code
it reads, and never raises on bad input (an unparseable file becomes a ``parse_error`` with a
:class:`FileError`). It parses once with CPython's ``ast`` and walks the tree once; LibCST is
left to the codemods, where exact round-tripping matters and its cost is paid per migrated file.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from benchmig.analyzer._facts import FileError, FileFacts, Idiom
from benchmig.analyzer._loops import settle_sweeps
from benchmig.analyzer._source import count_lines, module_name, parse_source, precheck
from benchmig.analyzer._state import FileState
from benchmig.analyzer._walker import FactWalker

__all__ = ["DEFAULT_MAX_BYTES", "EXTRACTOR_VERSION", "extract_facts"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 8_000_000
# Bump whenever the facts extracted from the same bytes change: it keys the analysis cache.
EXTRACTOR_VERSION = "3"


def extract_facts(
    rel_path: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, sha256: str | None = None
) -> FileFacts:
    """Everything the analyzer can know about one file without importing or running it.

    ``rel_path`` is the POSIX path relative to the analysed root (it names the module);
    ``data`` the file's bytes. Files that are empty, larger than ``max_bytes`` or binary are
    ``skipped``; files that do not parse are ``parse_error``; both carry a :class:`FileError`.
    ``sha256`` is the bytes' hex digest when the caller has it already.
    """
    module, importable = module_name(rel_path)
    base: dict[str, Any] = {
        "path": rel_path,
        "module": module,
        "size_bytes": len(data),
        "crlf": b"\r\n" in data,
    }
    extra: dict[str, Any] = {"importable": importable}
    skip = precheck(data, max_bytes)
    if skip is not None:
        digest = (sha256 or hashlib.sha256(data).hexdigest()) if skip.reason != "too_large" else ""
        return FileFacts(status="skipped", sha256=digest, error=skip, extra=extra, **base)
    base["sha256"] = sha256 or hashlib.sha256(data).hexdigest()
    base["lines"] = count_lines(data)
    outcome = parse_source(rel_path, data)
    if outcome.tree is None:
        return FileFacts(status=outcome.status, error=outcome.error, extra=extra, **base)
    state = FileState(data)
    try:
        FactWalker(state).walk(outcome.tree)
        _finish(state)
    except RecursionError:
        # Statement nesting is capped by the parser; this guards pathological trees anyway.
        error = FileError("syntax_error", "too deeply nested to analyse statically")
        logger.warning("%s: too deeply nested to analyse", rel_path)
        return FileFacts(status="parse_error", error=error, extra=extra, **base)
    except Exception as exc:  # a bug here must cost one file's facts, never the whole run
        logger.warning("%s: internal error while extracting facts", rel_path, exc_info=True)
        message = (
            f"internal error while extracting facts: {type(exc).__name__}: {exc}; "
            "please report it with this file"
        )
        error = FileError("internal_error", message)
        return FileFacts(status="parse_error", error=error, extra=extra, **base)
    del outcome
    return _facts(state, base, extra)


def _finish(state: FileState) -> None:
    """Settle what needed the whole file: pending with-blocks and parameter sweeps."""
    for name, item, scope in state.pending_withs:
        if name in state.context_timer_names:
            expr = item.context_expr
            state.emit("context_timer", expr, f"with {name}(...)", {"name": name}, scope=scope)
            if scope != "<module>":
                state.timed_scopes.add(scope)
    settle_sweeps(state)


def _facts(state: FileState, base: dict[str, Any], extra: dict[str, Any]) -> FileFacts:
    functions = list(dict.fromkeys(state.functions))
    classes = list(dict.fromkeys(state.classes))
    defined = set(functions) | set(classes)
    defined |= {f"{cls}.{m}" for cls, methods in state.methods.items() for m in methods}
    local_graph = {
        caller: sorted(callees & defined)
        for caller, callees in sorted(state.call_graph.items())
        if callees & defined
    }
    complexity = state.complexity
    extra.update(
        {
            "methods": {cls: list(dict.fromkeys(ms)) for cls, ms in state.methods.items()},
            "function_complexity": complexity.functions(),
            "module_complexity": complexity.counts["<module>"],
            "timed_functions": sorted(state.timed_scopes),
            "calls_local": sorted({c for cs in local_graph.values() for c in cs}),
            "local_call_graph": local_graph,
            "argparse_defaults": dict(state.argparse_defaults),
        }
    )
    idioms: list[Idiom] = sorted(state.idioms, key=lambda i: (i.line, i.col, i.kind))
    return FileFacts(
        status="ok",
        imports=tuple(state.imports),
        definitions=tuple(dict.fromkeys(state.definitions)),
        classes=tuple(classes),
        functions=tuple(functions),
        idioms=tuple(idioms),
        complexity=complexity.total,
        max_function_complexity=complexity.max_function,
        has_main_guard=state.has_main_guard,
        extra=extra,
        **base,
    )
