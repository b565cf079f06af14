"""A plain-text table of a run's results, for the terminal and for logs."""

from __future__ import annotations

from collections.abc import Sequence

from benchmig.framework import CaseResult, RunResults

__all__ = ["format_results_table"]


def _params(result: CaseResult) -> str:
    return " ".join(f"{k}={v}" for k, v in result.params.items()) or "-"


def _row(result: CaseResult) -> list[str]:
    latency = result.stats("latency_ms")
    throughput = result.stats("throughput_per_s")
    if latency is None:
        reason = (result.error or "").splitlines()[0][:60] if result.error else ""
        return [
            result.benchmark,
            _params(result),
            result.hardware,
            result.status,
            "",
            "",
            "",
            reason,
        ]
    lo, hi = latency.ci95
    memory = result.metrics.get("peak_memory_mb")
    return [
        result.benchmark,
        _params(result),
        result.hardware,
        result.status + (" (simulated)" if result.simulated else ""),
        f"{latency.median:.4g}",
        f"[{lo:.4g}, {hi:.4g}]",
        f"{throughput.median:.4g}" if throughput else "",
        f"n={latency.n}" + (f" rss={memory:.0f}MB" if isinstance(memory, float) else ""),
    ]


def _align(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def format_results_table(run: RunResults) -> str:
    """Benchmark, params, hardware, status, median latency with its 95% CI, throughput, notes."""
    header = [
        "benchmark",
        "params",
        "hardware",
        "status",
        "median_ms",
        "ci95_ms",
        "items/s",
        "notes",
    ]
    rows = [header] + [_row(r) for r in run.results]
    counts: dict[str, int] = {}
    for result in run.results:
        counts[result.status] = counts.get(result.status, 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no results"
    return "\n".join([*_align(rows), "", summary + (" (interrupted)" if run.interrupted else "")])
