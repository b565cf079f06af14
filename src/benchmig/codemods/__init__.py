"""Rewrite legacy benchmark code onto the framework: LibCST codemods and the apply engine.

Each codemod is a ``VisitorBasedCodemodCommand`` in its own public module, so it also runs
alone: ``python -m libcst.tool codemod replace_timers.ReplaceTimersCommand PATH`` with
``modules: ["benchmig.codemods"]`` in ``.libcst.codemod.yaml``. ``migrate apply`` is a thin
wrapper over :func:`apply_paths`::

    result = apply_paths([Path("legacy")], ApplyOptions(mode="out", out_dir=Path("migrated")))
    print(format_report(result))
"""

from __future__ import annotations

from benchmig.codemods._clusters import ClusterOutcome as ClusterOutcome
from benchmig.codemods._engine import ApplyOptions as ApplyOptions
from benchmig.codemods._engine import ApplyResult as ApplyResult
from benchmig.codemods._engine import Mode as Mode
from benchmig.codemods._engine import apply_paths as apply_paths
from benchmig.codemods._outcome import ANALYSIS_KEY as ANALYSIS_KEY
from benchmig.codemods._outcome import FACTS_KEY as FACTS_KEY
from benchmig.codemods._outcome import OUTCOMES_KEY as OUTCOMES_KEY
from benchmig.codemods._outcome import FileOutcome as FileOutcome
from benchmig.codemods._outcome import UnitOutcome as UnitOutcome
from benchmig.codemods._registry import CODEMOD_ORDER as CODEMOD_ORDER
from benchmig.codemods._registry import codemod_class as codemod_class
from benchmig.codemods._registry import codemod_descriptions as codemod_descriptions
from benchmig.codemods._report import REPORT_KIND as REPORT_KIND
from benchmig.codemods._report import REPORT_SCHEMA_VERSION as REPORT_SCHEMA_VERSION
from benchmig.codemods._report import format_report as format_report
from benchmig.codemods._report import report_document as report_document
from benchmig.codemods._report import write_report as write_report
from benchmig.codemods._support import DECISION_KEY as DECISION_KEY
from benchmig.codemods._support import DONE_KEY as DONE_KEY
from benchmig.codemods._support import NEW_FILES_KEY as NEW_FILES_KEY
from benchmig.codemods._support import PATH_KEY as PATH_KEY
from benchmig.codemods._support import ClusterDecision as ClusterDecision

__all__ = [
    "ANALYSIS_KEY",
    "CODEMOD_ORDER",
    "DECISION_KEY",
    "DONE_KEY",
    "FACTS_KEY",
    "NEW_FILES_KEY",
    "OUTCOMES_KEY",
    "PATH_KEY",
    "REPORT_KIND",
    "REPORT_SCHEMA_VERSION",
    "ApplyOptions",
    "ApplyResult",
    "ClusterDecision",
    "ClusterOutcome",
    "FileOutcome",
    "Mode",
    "UnitOutcome",
    "apply_paths",
    "codemod_class",
    "codemod_descriptions",
    "format_report",
    "report_document",
    "write_report",
]
