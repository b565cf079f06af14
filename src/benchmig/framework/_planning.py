"""Plan a run: which (benchmark, params, hardware) cases, with which settings, loaded from where."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from benchmig.errors import InputError
from benchmig.framework._hardware import (
    HardwareInfo,
    available_hardware,
    hardware_matches,
    normalize_hardware,
)
from benchmig.framework._loader import LoadTarget, file_target, loaded_target
from benchmig.framework._registry import BenchmarkSpec
from benchmig.framework._settings import RunnerSettings

__all__ = ["PlannedCase", "plan_cases", "settings_for", "target_for_spec"]

_SETTING_NAMES = frozenset(f.name for f in fields(RunnerSettings))


@dataclass(frozen=True)
class PlannedCase:
    """One case the runner will measure (or record as skipped, with the reason)."""

    spec: BenchmarkSpec
    params: Mapping[str, Any]
    hardware: str
    settings: RunnerSettings
    skip_reason: str | None = None


def target_for_spec(spec: BenchmarkSpec) -> LoadTarget | None:
    """Where a worker process can import the spec's module from (None: only in this process)."""
    loaded = loaded_target(spec.module)
    if loaded is not None:
        return loaded
    if spec.module == "__main__" or spec.module.startswith("_benchmig_file_"):
        return file_target(Path(spec.source_file)) if spec.source_file else None
    if spec.source_file:
        target = file_target(Path(spec.source_file))
        if target.module == spec.module:
            return target
    return LoadTarget(module=spec.module)


def settings_for(
    spec: BenchmarkSpec,
    base: RunnerSettings,
    explicit: Mapping[str, Any],
    suite_overrides: Mapping[str, Any] | None = None,
) -> RunnerSettings:
    """Defaults < the benchmark's registration metadata < the suite entry < explicit CLI flags."""
    from_metadata = {k: v for k, v in spec.metadata.items() if k in _SETTING_NAMES}
    settings = base.with_overrides(from_metadata)
    if suite_overrides:
        settings = settings.with_overrides(suite_overrides)
    return settings.with_overrides(explicit)


def _check_json_params(spec: BenchmarkSpec, params: Mapping[str, Any]) -> None:
    try:
        json.dumps(dict(params))
    except TypeError as exc:
        raise InputError(
            f"{spec.location}: params of benchmark {spec.name!r} must be JSON values "
            f"(numbers, strings, booleans, lists): {exc}"
        ) from None


def _unavailable_reason(info: HardwareInfo, hardware: str) -> str:
    backend = info.backend(hardware.partition(":")[0])
    if backend is not None and backend.reason:
        return f"{hardware} is not available here: {backend.reason}"
    return f"{hardware} is not available here (see `migrate hardware`)"


def _missing_requirement(spec: BenchmarkSpec) -> str | None:
    """Why a benchmark cannot run here: a package named in its ``requires`` metadata is absent."""
    import importlib.util

    from benchmig.framework import _torch

    required = spec.metadata.get("requires") or ()
    for name in [required] if isinstance(required, str) else required:
        if name == "torch" and _torch.get_torch() is None:  # the one torch accessor
            return f"needs torch: {_torch.torch_import_error()}"
        if name != "torch" and importlib.util.find_spec(str(name)) is None:
            return f"needs the package {name!r}, which is not installed"
    return None


def plan_cases(
    spec: BenchmarkSpec,
    settings: RunnerSettings,
    info: HardwareInfo,
    *,
    requested_hardware: Sequence[str] | None = None,
    params_grid: Mapping[str, Sequence[Any]] | None = None,
) -> list[PlannedCase]:
    """Every case of one benchmark: its params grid times the hardware to run on.

    Without ``requested_hardware``, every hardware the benchmark declares is planned; declared
    hardware that is absent here becomes a skipped case with the reason.
    """
    if params_grid is not None:
        grid_spec = BenchmarkSpec(
            name=spec.name, cls=spec.cls, params={k: tuple(v) for k, v in params_grid.items()}
        )
        combos = grid_spec.cases()
    else:
        combos = spec.cases()
    if requested_hardware is None:
        hardware = [normalize_hardware(h) for h in spec.hardware]
    else:
        hardware = [h for h in requested_hardware if hardware_matches(spec.hardware, h)]
    present = available_hardware(info)
    missing = _missing_requirement(spec)
    planned: list[PlannedCase] = []
    for hw in hardware:
        skip = missing or (None if hw in present else _unavailable_reason(info, hw))
        for params in combos:
            _check_json_params(spec, params)
            planned.append(PlannedCase(spec, params, hw, settings, skip))
    return planned
