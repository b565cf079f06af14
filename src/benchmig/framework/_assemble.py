"""Turn the per-process outcomes of one case into its :class:`CaseResult`."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Any

from benchmig.framework._isolation import CaseOutcome
from benchmig.framework._machine import SAMPLE_PROBE_KEY
from benchmig.framework._measure import CaseMeasurement
from benchmig.framework._planning import PlannedCase
from benchmig.framework._results import CaseResult, SampleStats
from benchmig.framework._stats import summarize

__all__ = ["assemble_case"]


def _failed(planned: PlannedCase, outcome: CaseOutcome, simulated: bool) -> CaseResult:
    error = outcome.error or "failed"
    if outcome.details:
        error = f"{error}\n{outcome.details}"
    return CaseResult(
        benchmark=planned.spec.name,
        params=dict(planned.params),
        hardware=planned.hardware,
        status=outcome.status,
        category=planned.spec.category,
        settings=planned.settings.to_dict(),
        error=error,
        simulated=simulated,
    )


def _sample_probes(measurements: Sequence[CaseMeasurement]) -> list[float]:
    """The probes parallel to the merged latency samples; empty unless every round has one each."""
    if any(len(m.sample_probe_us) != len(m.latency_ms) for m in measurements):
        return []
    return [p for m in measurements for p in m.sample_probe_us]


def assemble_case(
    planned: PlannedCase, rounds: Sequence[CaseOutcome], *, interrupted: bool = False
) -> CaseResult:
    """Merge the rounds of a case: samples with their process index, statistics, memory."""
    spec = planned.spec
    simulated = bool(getattr(spec.cls, "simulated", False) or spec.metadata.get("simulated"))
    base: dict[str, Any] = {
        "benchmark": spec.name,
        "params": dict(planned.params),
        "hardware": planned.hardware,
        "category": spec.category,
        "simulated": simulated,
    }
    if planned.skip_reason is not None:
        return CaseResult(
            **base, status="skipped", error=planned.skip_reason, settings=planned.settings.to_dict()
        )
    bad = next((o for o in rounds if o.status != "ok"), None)
    if bad is not None:
        return _failed(planned, bad, simulated)
    measurements = [o.measurement for o in rounds if o.measurement is not None]
    latency: list[float] = []
    groups: list[int] = []
    for index, m in enumerate(measurements):
        latency.extend(m.latency_ms)
        groups.extend([index] * len(m.latency_ms))
    metrics: dict[str, SampleStats | float] = {"latency_ms": summarize(latency)}
    samples: dict[str, tuple[float, ...]] = {"latency_ms": tuple(latency)}
    items = measurements[0].items_per_call
    if items:
        throughput = tuple(items * 1000.0 / x for x in latency if x > 0)
        metrics["throughput_per_s"] = summarize(throughput)
        samples["throughput_per_s"] = throughput
    peaks = [m.peak_rss_mb for m in measurements if m.peak_rss_mb is not None]
    if peaks:
        metrics["peak_memory_mb"] = max(peaks)
    for key in sorted({k for m in measurements for k in m.device_memory}):
        metrics[key] = max(m.device_memory[key] for m in measurements if key in m.device_memory)
    for key in sorted({k for m in measurements for k in m.extra_metrics}):
        values = [m.extra_metrics[key] for m in measurements if key in m.extra_metrics]
        metrics[key] = statistics.median(values)
    settings = planned.settings.to_dict() | {
        "processes_completed": len(measurements),
        "inner_loops": [m.inner_loops for m in measurements],
        "warmup_calls": [m.warmup_calls for m in measurements],
        "items_per_call": items,
        "machine_probe_ms": [p for m in measurements for p in m.machine_probe_ms],
        "cpu_share": [m.cpu_share for m in measurements if m.cpu_share is not None],
        SAMPLE_PROBE_KEY: _sample_probes(measurements),
        "interrupted": interrupted,
    }
    return CaseResult(
        **base,
        status="ok",
        metrics=metrics,
        samples=samples,
        sample_groups=tuple(groups),
        settings=settings,
    )
