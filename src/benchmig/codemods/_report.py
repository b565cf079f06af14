"""The per-file report of ``migrate apply``: as text for people, as JSON for tools.

The JSON document (``kind: benchmig-apply-report``, ``schema_version`` 1) holds the run's
summary, each duplicate cluster once, and one record per file (its status, strategy, migrated
units with their benchmarks, params and reasons, the codemods that changed it, warnings, and
why it was left alone). docs/migration.md describes every field.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from benchmig import __version__
from benchmig._io import atomic_write_json
from benchmig.codemods._engine import ApplyResult
from benchmig.codemods._transform import NOTE_KINDS

__all__ = ["REPORT_KIND", "REPORT_SCHEMA_VERSION", "format_report", "report_document", "summary"]

REPORT_KIND = "benchmig-apply-report"
REPORT_SCHEMA_VERSION = 1
_STRATEGIES = ("native", "adapter", "manual", "migrated", "helper", "none")
_STATUSES = ("changed", "unchanged", "skipped", "error")


def summary(result: ApplyResult) -> dict[str, Any]:
    """Counts over the run: statuses, strategies, benchmarks, simulated units, clusters."""
    statuses = Counter(str(f.status) for f in result.files)
    strategies = Counter(str(f.strategy) for f in result.files)
    units = [u for f in result.files for u in f.units if u.kind not in NOTE_KINDS]
    return {
        "files": len(result.files),
        "transformed": result.stats.get("transformed", 0),
        **{status: statuses[status] for status in _STATUSES},
        "strategies": {s: strategies[s] for s in _STRATEGIES},
        "units": len(units),
        "benchmarks": sum(len(u.benchmarks) for u in units),
        "simulated_units": sum(1 for u in units if u.simulated),
        "new_files": len(result.new_files),
        "clusters": len(result.clusters),
        "problems": len(result.problems),
        "seconds": round(result.seconds, 3),
    }


def report_document(result: ApplyResult) -> dict[str, Any]:
    """The ``--report`` JSON document."""
    cluster_of = {m: c.id for c in result.clusters for m in c.members}
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "kind": REPORT_KIND,
        "tool": {"name": "benchmig", "version": __version__},
        "root": result.root,
        "mode": result.mode,
        "summary": summary(result),
        "clusters": [c.to_dict() for c in result.clusters],
        "files": [
            f.to_dict()
            | {
                "cluster": cluster_of.get(f.path),
                "new_files": list(result.created_by.get(f.path, ())),
            }
            for f in result.files
        ],
        "new_files": list(result.new_files),
        "problems": list(result.problems),
    }


def write_report(result: ApplyResult, path: Path) -> None:
    """Write the JSON report atomically (the folder is created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path, report_document(result))


def _file_lines(result: ApplyResult, verbose: bool) -> list[str]:
    lines = []
    for outcome in result.files:
        quiet = outcome.status == "unchanged" and outcome.strategy in ("none", "migrated")
        if quiet and not (verbose and outcome.warnings):
            continue
        codemods = f" [{', '.join(outcome.codemods)}]" if outcome.codemods else ""
        lines.append(f"{outcome.path}: {outcome.status}, {outcome.strategy}{codemods}")
        if outcome.error:
            lines.append(f"    left alone: {outcome.error}")
        for unit in outcome.units:
            if unit.kind in NOTE_KINDS and not verbose:
                continue
            names = ", ".join(unit.benchmarks) or "no benchmark"
            flag = " (SIMULATED: results marked simulated)" if unit.simulated else ""
            lines.append(f"    {unit.unit} ({unit.kind}, {unit.tier}): {names}{flag}")
            lines.extend(f"      why: {reason}" for reason in unit.reasons)
        limit = None if verbose else 5
        shown = outcome.warnings[:limit]
        lines.extend(f"    warning: {w}" for w in shown)
        if len(outcome.warnings) > len(shown):
            lines.append(f"    ... {len(outcome.warnings) - len(shown)} more warning(s) (-v)")
    return lines


def format_report(result: ApplyResult, *, verbose: bool = False) -> str:
    """The text report: changed and notable files, clusters, then the summary line."""
    lines = _file_lines(result, verbose)
    if result.clusters:
        lines.append("clusters (one decision each):")
        for cluster in result.clusters:
            fit = "all members fit" if not cluster.misfits else f"{len(cluster.misfits)} misfit(s)"
            lines.append(
                f"  {cluster.id}: {len(cluster.members)} files like {cluster.representative} "
                f"-> {cluster.strategy} ({fit})"
            )
            lines.extend(f"    misfit {path}: {why}" for path, why in cluster.misfits)
    for problem in result.problems:
        lines.append(f"not written: {problem}")
    counts = summary(result)
    statuses = ", ".join(f"{counts[s]} {s}" for s in _STATUSES)
    strategies = ", ".join(f"{k} {v}" for k, v in counts["strategies"].items() if v)
    lines.append(
        f"{counts['files']} files: {statuses}; strategies: {strategies or '-'}; "
        f"{counts['benchmarks']} benchmark(s) registered, {counts['simulated_units']} simulated "
        f"unit(s), {counts['new_files']} new file(s); {counts['seconds']:.1f} s"
    )
    return "\n".join(lines)
