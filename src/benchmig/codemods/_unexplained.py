"""Why a benchmark file that no codemod migrated stays manual, from what the analysis saw in it.

``register-benchmark`` records a reason for every measured unit it finds; a benchmark file in
which it finds none (its timing is done by an imported harness, or by a timing idiom that forms
no timed region: ``torch.utils.benchmark.Timer`` objects yielded to a runner, a profiler) would
otherwise be reported ``manual`` with nothing to say. :func:`explain_manual` adds one manual unit
to such a file, with the lines a person must look at. A file already on the framework (a
migrated file applied again) is not manual at all: :func:`mark_migrated` calls it ``migrated``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from benchmig.analyzer import Analysis, FileReport
from benchmig.analyzer._classify import MEASUREMENT_KINDS, in_test_scope
from benchmig.analyzer._facts import Idiom
from benchmig.codemods._harness import timing_names
from benchmig.codemods._outcome import FileOutcome, UnitOutcome
from benchmig.codemods._transform import NOTE_KINDS

__all__ = ["explain_manual", "mark_migrated"]

CODEMOD = "apply"  # the unit is the engine's note, not a codemod's decision
_SHOWN = 4  # lines listed per reason
_UNIT_KINDS = {"function": "function", "class": "class", "module": "module"}
# Reasons about clocks first; a loop is only a timing idiom with a clock around it.
_ORDER = {"torch_benchmark": 0, "timeit": 1, "cuda_event": 2, "timed_region": 3, "context_timer": 4}


def mark_migrated(outcome: FileOutcome, report: FileReport | None) -> FileOutcome:
    """``outcome`` as ``migrated`` when it is a manual file with no measured unit that imports
    benchmig already (a migrated file applied again); else ``outcome`` unchanged."""
    if outcome.strategy != "manual" or outcome.error is not None or report is None:
        return outcome
    if any(u.kind not in NOTE_KINDS for u in outcome.units):
        return outcome
    if any(r.module.split(".")[0] == "benchmig" for r in report.facts.imports):
        return replace(outcome, strategy="migrated")
    return outcome


def explain_manual(
    outcome: FileOutcome, report: FileReport | None, analysis: Analysis
) -> FileOutcome:
    """``outcome`` with one manual unit saying why, when it is a manual benchmark file that
    parsed, does not use benchmig already, and no codemod recorded any measured unit in it;
    else ``outcome`` unchanged."""
    if outcome.strategy != "manual" or outcome.error is not None or report is None:
        return outcome
    if report.facts.status != "ok" or any(u.kind not in NOTE_KINDS for u in outcome.units):
        return outcome
    measured = [i for i in report.facts.idioms if i.kind in MEASUREMENT_KINDS]
    blockers = tuple(f"{b.location}: {b.reason}" for b in report.migration.blockers)
    if measured:
        first = min(measured, key=lambda i: i.line)
        kind = _UNIT_KINDS.get(report.unit, "module")
        unit, line, reasons = first.scope, first.line, _unextracted(report.path, measured)
    else:
        kind, unit = "helper_call", "<module>"
        line, reasons = _delegated(report, analysis)
    return replace(
        outcome,
        units=(
            *outcome.units,
            UnitOutcome(
                unit=unit,
                kind=kind,
                line=line,
                tier="manual",
                codemod=CODEMOD,
                reasons=(*reasons, *blockers),
            ),
        ),
    )


def _lines(idioms: Sequence[Idiom]) -> str:
    lines = sorted({i.line for i in idioms})
    shown = ", ".join(str(n) for n in lines[:_SHOWN])
    return shown + (f" and {len(lines) - _SHOWN} more" if len(lines) > _SHOWN else "")


def _unextracted(path: str, measured: Sequence[Idiom]) -> tuple[str, ...]:
    """One reason per test scope that times code, then one per kind of timing idiom that formed
    no measured unit."""
    reasons = []
    tests = sorted({i.scope for i in measured if in_test_scope(i.scope)})
    for scope in tests:
        found = [i for i in measured if i.scope == scope]
        first = min(found, key=lambda i: i.line)
        reasons.append(
            f"{path}:{first.line}: {scope} is a test (pytest collects it) that times code "
            f"(line(s) {_lines(found)}): register-benchmark leaves tests to the test suite; "
            "move the timed code into a function the test calls, then apply again, or migrate "
            "it by hand"
        )
    measured = [i for i in measured if not in_test_scope(i.scope)]
    for kind in sorted({i.kind for i in measured}, key=lambda k: (_ORDER.get(k, 9), k)):
        found = [i for i in measured if i.kind == kind]
        first = min(found, key=lambda i: i.line)
        where = f"{path}:{first.line}: {first.detail} (line(s) {_lines(found)})"
        if kind == "torch_benchmark":
            reasons.append(
                f"{where}: the Timer is not run where a codemod can follow it (it is returned or "
                "yielded to a harness, or run in another scope): register each Timer's stmt as a "
                "benchmark by hand"
            )
        else:
            reasons.append(
                f"{where}: this {kind.replace('_', ' ')} forms no timed region a codemod can "
                "extract (that needs a clock read, or an event recorded, just before and just "
                "after the timed code in one scope): migrate it by hand, or restructure it that "
                "way and apply again"
            )
    return tuple(reasons)


def _delegated(report: FileReport, analysis: Analysis) -> tuple[int, tuple[str, ...]]:
    """The line and reason for a benchmark that times through code imported from the tree."""
    for record, resolution in zip(report.facts.imports, report.imports, strict=False):
        for target in resolution.targets:
            helper = analysis.by_path.get(target)
            if helper is None:
                continue
            timed = timing_names(helper)
            used = [n for n in record.names if n in timed] if record.names else sorted(timed)
            if not used:
                continue
            names = ", ".join(used)
            return record.line, (
                f"{report.path}:{record.line}: the timing is done by {target} (imported: "
                f"{names}), and no call of it here can be migrated (no call a codemod can "
                "follow, or none named as a timing harness): register the operation this "
                "file hands to it as a benchmark by hand",
            )
    return 1, (
        f"{report.path}: a benchmark entry point with no timed region any codemod recognises: "
        "migrate it by hand",
    )
