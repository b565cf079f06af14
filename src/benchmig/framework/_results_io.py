"""Reading and writing ``results.json`` (schema in docs/schemas.md), old versions included.

The JSON shape of each record lives in :mod:`benchmig.framework._results`; this module adds the
file handling: atomic writes, validation with messages that name the file and the result, and the
upgrade functions that keep every older schema readable.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from benchmig._io import Upgrade, atomic_write_json, read_json_document, upgrade_document
from benchmig.errors import InputError
from benchmig.framework._results import (
    RESULTS_SCHEMA_VERSION,
    CaseResult,
    CaseStatus,
    RunResults,
)

__all__ = [
    "RESULTS_FILENAME",
    "RESULTS_KIND",
    "RESULTS_UPGRADES",
    "load_results",
    "results_from_document",
    "write_results",
]

logger = logging.getLogger(__name__)

RESULTS_KIND = "benchmig-results"
RESULTS_FILENAME = "results.json"

_STATUSES: frozenset[str] = frozenset(get_args(CaseStatus))
# Keys of a schema-0 result that are not metrics; every other number or object was a metric.
_V0_CASE_FIELDS = frozenset({"name", "params", "hardware", "status", "error", "category"})


def write_results(run: RunResults, out_dir: Path | str) -> Path:
    """Write ``out_dir/results.json`` atomically (creating the folder) and return its path."""
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the output folder {folder}: {exc.strerror or exc}; "
            "choose another --output-dir"
        ) from exc
    target = folder / RESULTS_FILENAME
    atomic_write_json(target, run.to_dict())
    logger.info("wrote %d results to %s", len(run.results), target)
    return target


def load_results(path: Path | str) -> RunResults:
    """Read a ``results.json`` (or a folder holding one), upgrading older schema versions."""
    source = Path(path)
    if source.is_dir():
        source = source / RESULTS_FILENAME
        if not source.is_file():
            raise InputError(f"{path} is a folder without a {RESULTS_FILENAME}; give the file")
    document = read_json_document(
        source, kind=RESULTS_KIND, current_version=RESULTS_SCHEMA_VERSION, upgrades=RESULTS_UPGRADES
    )
    return results_from_document(document, str(source))


def results_from_document(document: Mapping[str, Any], source: str) -> RunResults:
    """Build :class:`RunResults` from a parsed document, upgrading it if it is an older schema.

    ``source`` names where the document came from (a path, ``history:<run_id>``) for messages.
    """
    current = upgrade_document(
        document,
        source=source,
        kind=RESULTS_KIND,
        current_version=RESULTS_SCHEMA_VERSION,
        upgrades=RESULTS_UPGRADES,
    )
    results = current.get("results", [])
    if not isinstance(results, list):
        raise InputError(f"{source}: 'results' must be a list, got {type(results).__name__}")
    cases = tuple(_case_from_dict(item, index, source) for index, item in enumerate(results))
    try:
        run = RunResults.from_dict({**current, "results": []})
    except (TypeError, ValueError) as exc:
        raise InputError(f"{source}: malformed run metadata: {exc}") from exc
    return replace(run, results=cases)


def _case_from_dict(item: Any, index: int, source: str) -> CaseResult:
    where = f"{source}: results[{index}]"
    if not isinstance(item, Mapping):
        raise InputError(f"{where} must be an object, got {type(item).__name__}")
    status = item.get("status")
    if status not in _STATUSES:
        raise InputError(
            f"{where}: 'status' must be one of {', '.join(sorted(_STATUSES))}, got {status!r}"
        )
    try:
        return CaseResult.from_dict(item)
    except KeyError as exc:
        raise InputError(f"{where} is missing the field {exc.args[0]!r}") from exc
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{where} is malformed: {exc}") from exc


# -- upgrades -------------------------------------------------------------------------------


def _upgrade_0_to_1(document: dict[str, Any]) -> dict[str, Any]:
    """Schema 0 (pre-release) -> 1.

    Schema 0 named a result's benchmark ``"name"`` and put its metrics flat beside it
    (``"latency_ms": {...stats...}``, ``"peak_memory_mb": 12.0``); the run had one
    ``"timestamp"`` and no ``run_id``. The run id made here is a hash of the content, so loading
    the same old file twice gives the same id (and the history store records it once).
    """
    upgraded = {k: v for k, v in document.items() if k not in ("timestamp", "results")}
    timestamp = str(document.get("timestamp", ""))
    upgraded.setdefault("started_at", timestamp)
    upgraded.setdefault("finished_at", timestamp)
    if not upgraded.get("run_id"):
        digest = hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode())
        upgraded["run_id"] = f"v0-{digest.hexdigest()[:16]}"
    upgraded["kind"] = RESULTS_KIND
    upgraded["results"] = [_upgrade_case_0_to_1(case) for case in document.get("results", [])]
    return upgraded


def _upgrade_case_0_to_1(case: Mapping[str, Any]) -> dict[str, Any]:
    metrics = {
        key: value
        for key, value in case.items()
        if key not in _V0_CASE_FIELDS
        and isinstance(value, Mapping | int | float)
        and not isinstance(value, bool)
    }
    return {
        "benchmark": case["name"],
        "params": dict(case.get("params") or {}),
        "hardware": case.get("hardware", "cpu"),
        "category": case.get("category", "micro"),
        "status": case["status"],
        "metrics": metrics,
        "error": case.get("error"),
    }


RESULTS_UPGRADES: Mapping[int, Upgrade] = {0: _upgrade_0_to_1}
"""``RESULTS_UPGRADES[v]`` turns a results document of schema ``v`` into one of ``v + 1``."""
