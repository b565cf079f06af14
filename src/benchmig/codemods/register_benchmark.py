"""The main rewrite: legacy measured units become benchmarks registered with the framework.

For every measured unit of a file (a timing loop in a function, a ``*Benchmark`` class method, a
``__main__`` or module-level timed block, ``timeit``/``torch.utils.benchmark``/CUDA-event timing,
a call of a timing helper) it writes a ``BenchmarkBase`` subclass registered with
``BenchmarkRegistry.register``, in one of two tiers:

* **native**: ``setup()`` holds what the legacy code did before timing, ``execute()`` the timed
  operation only; warm-up and repeat counts become runner settings, the swept values the params
  grid, hardware checks ``self.hardware``;
* **adapter**: the legacy function is called whole and the numbers it returns are kept
  (``process_results``), with a warning saying why native was not safe.

Anything else is **manual**: left unchanged, with reasons (``path:line: what to do``) in the
:class:`~benchmig.codemods._outcome.UnitOutcome` records appended to
``context.scratch[OUTCOMES_KEY]``. The ``__main__`` block then runs the new benchmarks through
``benchmig.framework.run_legacy_main``. Already migrated files (a registration carrying
``legacy_source``) are skipped, so a second application changes nothing. The code is never
imported or run.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Collection
from typing import ClassVar

import libcst as cst
from libcst.codemod import SkipFile, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import PositionProvider, ProviderT, QualifiedNameProvider

from benchmig.analyzer import Analysis, FileFacts
from benchmig.codemods._generate import local_names
from benchmig.codemods._harness import HarnessIndex
from benchmig.codemods._outcome import OUTCOMES_KEY, UnitOutcome
from benchmig.codemods._support import (
    PATH_KEY,
    file_facts,
    file_report,
    imported_hardware,
    tree_analysis,
)
from benchmig.codemods._unit_apply import apply_plans, name_plans
from benchmig.codemods._unit_context import FileContext
from benchmig.codemods._unit_find import find_units, hidden_helper, plan_unit
from benchmig.codemods._unit_harness import plan_harness_sites
from benchmig.codemods._unit_index import indexed
from benchmig.codemods._unit_module import plan_module_units
from benchmig.codemods._unit_plan import Plan

__all__ = ["RegisterBenchmarkCommand", "already_migrated"]

logger = logging.getLogger(__name__)

NAME = "register-benchmark"


def already_migrated(module: cst.Module) -> bool:
    """True when the module holds a registration written by this codemod (``legacy_source=``)."""
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            for decorator in statement.decorators:
                call = decorator.decorator
                if isinstance(call, cst.Call) and any(
                    a.keyword is not None and a.keyword.value == "legacy_source" for a in call.args
                ):
                    return True
    return False


def _module_name(path: str) -> str:
    stem = re.sub(r"\.py$", "", path.replace("\\", "/")).strip("/")
    parts = [re.sub(r"\W", "_", p) for p in stem.split("/") if p not in {"", "."}]
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or "migrated"


class RegisterBenchmarkCommand(VisitorBasedCodemodCommand):
    """Rewrite legacy measured units into registered ``BenchmarkBase`` subclasses."""

    DESCRIPTION: str = (
        "Rewrite legacy benchmark units into BenchmarkBase classes registered with "
        "BenchmarkRegistry (native, adapter or manual)."
    )
    NAME = NAME
    METADATA_DEPENDENCIES: ClassVar[Collection[ProviderT]] = (
        QualifiedNameProvider,
        PositionProvider,
    )

    def _qualnames(self, node: cst.CSTNode) -> frozenset[str]:
        found = self.get_metadata(QualifiedNameProvider, node, set())
        return frozenset(q.name for q in found)

    def _line(self, node: cst.CSTNode) -> int:
        position = self.get_metadata(PositionProvider, node, None)
        return int(position.start.line) if position is not None else 0

    def _where(self) -> tuple[str, str]:
        """The file's root-relative path (the engine's, else the context's) and module name."""
        given = self.context.scratch.get(PATH_KEY)
        path = given if isinstance(given, str) else self.context.filename or "<unknown>"
        if os.path.isabs(path):
            relative = os.path.relpath(path)
            path = path if relative.startswith("..") else relative
        path = path.replace("\\", "/")
        module = self.context.full_module_name or _module_name(path)
        return path, module

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        """Plan every unit, record the outcomes, write the native/adapter ones."""
        if already_migrated(tree):
            raise SkipFile("already migrated: a registration carries legacy_source")
        path, module_name = self._where()
        with indexed(tree):
            ctx = FileContext.build(tree, self._qualnames, self._line, path, module_name)
            analysis = tree_analysis(self.context)
            facts = file_facts(self.context, tree)
            ctx.imported_hardware = imported_hardware(analysis, facts)
            plans: list[Plan] = []
            hidden: list[Plan] = []  # of timing helpers: shown only if nothing else is planned
            for unit in find_units(ctx):
                unit_plans = plan_unit(ctx, unit)
                (hidden if hidden_helper(ctx, unit, unit_plans) else plans).extend(unit_plans)
            module_plans = plan_module_units(ctx)
            if not plans and not module_plans and analysis is not None:
                plans.extend(self._delegated(ctx, analysis, facts))
            if not plans and not module_plans:
                plans.extend(hidden)
        plans.extend(p for p, _ in module_plans)
        name_plans(plans, module_name)
        if not any(p.tier != "manual" for p in plans):
            self._record(plans)
            return tree
        names = local_names(set(ctx.module_names))
        updated, used = apply_plans(ctx, tree, plans, module_plans, names)
        self._record(plans)  # after apply_plans: it warns about the entry point's manual calls
        for name in used:
            alias = names[name]
            AddImportsVisitor.add_needed_import(
                self.context, "benchmig.framework", name, alias if alias != name else None
            )
        for module in sorted({m for p in plans if p.tier != "manual" for m in p.imports}):
            AddImportsVisitor.add_needed_import(self.context, module)
        return updated

    def _delegated(self, ctx: FileContext, analysis: Analysis, facts: FileFacts) -> list[Plan]:
        """Plans for the harness calls of a benchmark file that times nothing itself."""
        report = file_report(self.context)
        if report is None or report.role != "benchmark":
            return []
        return plan_harness_sites(ctx, HarnessIndex(analysis, facts))

    def _record(self, plans: list[Plan]) -> None:
        outcomes = self.context.scratch.setdefault(OUTCOMES_KEY, [])
        for plan in plans:
            outcomes.append(
                UnitOutcome(
                    unit=plan.unit,
                    kind=plan.kind,
                    line=plan.line,
                    tier=plan.tier,
                    codemod=NAME,
                    benchmarks=(plan.name,) if plan.tier != "manual" else (),
                    params=dict(plan.params),
                    settings=dict(plan.settings),
                    reasons=tuple(plan.reasons),
                    warnings=tuple(plan.warnings),
                    simulated=plan.simulated,
                )
            )
            for message in (*plan.reasons, *plan.warnings):
                self.warn(message)
