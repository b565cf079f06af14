"""Compare two runs case by case and decide, per metric, whether performance changed.

A verdict accounts for run-to-run noise, not only for within-run jitter. On shared machines the
same code run twice drifts 13-17%; a rank test on thousands of samples calls such drift
"significant" every time. So a change is a ``regression`` only when it is significant (Mann-Whitney
U, ``p < alpha``), beyond the threshold, and beyond the threshold *plus twice the between-run noise*
(measured from the worker groups of each run, or from the history store). Significant changes
that the noise can explain are ``inconclusive``: CI should rerun, not fail.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from scipy import stats as sps

from benchmig.errors import InputError
from benchmig.framework._machine import (
    machine_drift,
    probe_fit,
    probe_reference,
    speed_corrected_samples,
)
from benchmig.framework._results import CaseResult, RunResults, SampleStats
from benchmig.framework._stats import DRIFT_FLOOR, group_samples, run_noise

__all__ = [
    "COMPARISON_SCHEMA_VERSION",
    "Comparison",
    "ComparisonRow",
    "Direction",
    "Verdict",
    "compare_runs",
    "format_comparison_table",
    "machine_drift",
    "metric_direction",
]

logger = logging.getLogger(__name__)

COMPARISON_SCHEMA_VERSION = 1

Direction = Literal["lower", "higher"]
Verdict = Literal[
    "regression",
    "improvement",
    "inconclusive",
    "unchanged",
    "info",
    "missing_baseline",
    "missing_current",
    "not_comparable",
]

# Rates and scores: better when higher. A rate is "<x>_per_<time unit>" or "<size unit>_s";
# "time_per_step_ms" is not a rate (per step, in ms), so "per_s" must end a token.
_HIGHER = re.compile(
    r"(^|_)(throughput|ops|[kmgtp]?flops|bandwidth|speedup|accuracy|qps|fps|saved|meets)(_|$)"
    r"|fraction_of_peak"
    r"|(^|_)per_(s|sec|secs|second|seconds)(_|$)|(^|_)[kmgt]i?b_s(_|$)|items_per"
)
# Times, memory and sizes: better when lower.
_LOWER = re.compile(
    r"latency|time|duration|memory|elapsed|seconds|bytes|(^|_)(lost|errors|failures)(_|$)"
    r"|(^|_)(ms|us|ns|s|sec|secs|kb|mb|gb|kib|mib|gib)(_|$)"
)


def metric_direction(name: str) -> Direction | None:
    """Which way is better for metric ``name``: ``"lower"``, ``"higher"`` or ``None`` (unknown).

    Rate words win over unit words (``items_per_s`` is a throughput even though it ends in a time
    unit). Unknown metrics are reported but never get a regression/improvement verdict.
    """
    normalized = re.sub(r"[^a-z0-9]+", "_", name.lower())
    if _HIGHER.search(normalized):
        return "higher"
    if _LOWER.search(normalized):
        return "lower"
    return None


@dataclass(frozen=True)
class ComparisonRow:
    """One (case, metric) line of a comparison; case-level rows have ``metric == ""``.

    ``change`` is ``current / baseline - 1`` of the medians; ``noise`` is the relative run-to-run
    noise the verdict allowed for.
    """

    key: str
    benchmark: str
    params: Mapping[str, Any]
    hardware: str
    metric: str
    direction: Direction | None
    baseline: float | None
    current: float | None
    change: float | None
    p_value: float | None
    noise: float | None
    verdict: Verdict
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON form (non-finite numbers become ``null``)."""
        return {
            "key": self.key,
            "benchmark": self.benchmark,
            "params": dict(self.params),
            "hardware": self.hardware,
            "metric": self.metric,
            "direction": self.direction,
            "baseline": _finite(self.baseline),
            "current": _finite(self.current),
            "change": _finite(self.change),
            "p_value": _finite(self.p_value),
            "noise": _finite(self.noise),
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare_runs`: one row per (case, metric) and the settings used."""

    rows: tuple[ComparisonRow, ...]
    threshold: float
    alpha: float

    @property
    def has_regression(self) -> bool:
        """Whether any row is a regression (the CLI exits 1 then)."""
        return any(row.verdict == "regression" for row in self.rows)

    def counts(self) -> dict[str, int]:
        """Number of rows per verdict (only verdicts that occur)."""
        return dict(Counter(row.verdict for row in self.rows))

    def to_dict(self) -> dict[str, Any]:
        """JSON form, ``{"schema_version": 1, "kind": "benchmig-comparison", ...}``."""
        return {
            "schema_version": COMPARISON_SCHEMA_VERSION,
            "kind": "benchmig-comparison",
            "threshold": self.threshold,
            "alpha": self.alpha,
            "has_regression": self.has_regression,
            "counts": self.counts(),
            "rows": [row.to_dict() for row in self.rows],
        }


@dataclass(frozen=True)
class _Settings:
    threshold: float
    alpha: float
    history_noise: Mapping[str, float]
    drift_floor: float


def compare_runs(
    baseline: RunResults,
    current: RunResults,
    *,
    threshold: float = 0.05,
    alpha: float = 0.01,
    history_noise: Mapping[str, float] | None = None,
    drift_floor: float = DRIFT_FLOOR,
) -> Comparison:
    """Compare ``current`` against ``baseline``, matching cases by :attr:`CaseResult.key`.

    ``threshold`` is the smallest relative change that matters (a factor ``1 + threshold`` either
    way); ``alpha`` the significance level of the rank test. ``history_noise`` maps a case key to
    the run-to-run noise the history store measured: the stdev of ``log(run median)`` over past
    runs (per run, like :func:`~benchmig.framework._stats.relative_noise` over run medians). It
    widens the margin when it exceeds what this pair of runs shows, never narrows it.
    ``drift_floor`` is the per-run drift assumed invisible to worker groups (see
    :data:`~benchmig.framework._stats.DRIFT_FLOOR`). Raises :class:`InputError` for bad settings
    or for a run that holds one case twice.
    """
    if not 0.0 <= threshold < 10.0 or not 0.0 < alpha < 1.0 or not 0.0 <= drift_floor < 1.0:
        msg = (
            f"threshold {threshold!r} must be in [0, 10), alpha {alpha!r} in (0, 1) and "
            f"drift_floor {drift_floor!r} in [0, 1); pass fractions (0.05 for 5%)"
        )
        raise InputError(msg)
    settings = _Settings(threshold, alpha, history_noise or {}, drift_floor)
    base_cases, cur_cases = _index(baseline, "baseline"), _index(current, "current")
    rows: list[ComparisonRow] = []
    for key in dict.fromkeys([*base_cases, *cur_cases]):
        rows.extend(_compare_case(base_cases.get(key), cur_cases.get(key), settings))
    return Comparison(rows=tuple(rows), threshold=threshold, alpha=alpha)


def _index(run: RunResults, side: str) -> dict[str, CaseResult]:
    cases: dict[str, CaseResult] = {}
    for case in run.results:
        if case.key in cases:
            msg = (
                f"the {side} run {run.run_id!r} holds case {case.key} twice; "
                "compare results files written by one `migrate run` each"
            )
            raise InputError(msg)
        cases[case.key] = case
    return cases


def _row(case: CaseResult, verdict: Verdict, **fields: Any) -> ComparisonRow:
    values: dict[str, Any] = dict.fromkeys(
        ("direction", "baseline", "current", "change", "p_value", "noise")
    )
    values.update(metric="", note="")
    values.update(fields)
    return ComparisonRow(
        key=case.key,
        benchmark=case.benchmark,
        params=case.params,
        hardware=case.hardware,
        verdict=verdict,
        **values,
    )


def _compare_case(
    base: CaseResult | None, cur: CaseResult | None, settings: _Settings
) -> list[ComparisonRow]:
    if base is None:
        assert cur is not None
        return [_row(cur, "missing_baseline", note="case only in the current run")]
    if cur is None:
        return [_row(base, "missing_current", note="case only in the baseline run")]
    if base.status != "ok" or cur.status != "ok":
        note = f"baseline {_status(base)}, current {_status(cur)}"
        return [_row(cur, "not_comparable", note=note)]
    # The union of metric names in first-seen order (raw samples may lack a summary).
    names = dict.fromkeys([*base.metrics, *base.samples, *cur.metrics, *cur.samples])
    return [_compare_metric(base, cur, name, settings) for name in names]


def _status(case: CaseResult) -> str:
    return case.status if case.error is None else f"{case.status} ({case.error})"


def _compare_metric(
    base: CaseResult, cur: CaseResult, name: str, settings: _Settings
) -> ComparisonRow:
    direction = metric_direction(name)
    b_val, c_val = _level(base, name), _level(cur, name)
    change = None if b_val is None or c_val is None or b_val == 0.0 else c_val / b_val - 1.0
    known = {"metric": name, "direction": direction, "baseline": b_val, "current": c_val}
    if b_val is None or c_val is None:
        verdict: Verdict = "missing_baseline" if b_val is None else "missing_current"
        return _row(cur, verdict, note="metric recorded on one side only", **known)
    b_samples, c_samples = base.samples.get(name, ()), cur.samples.get(name, ())
    if not b_samples or not c_samples:
        return _row(cur, "info", change=change, note="scalar metric: reported, not tested", **known)
    if min(*b_samples, *c_samples) <= 0.0:
        note = "non-positive samples: ratio tests do not apply"
        return _row(cur, "info", change=change, note=note, **known)
    if direction is None:
        p_value = _p_value(b_samples, c_samples)
        noise = _comparison_noise(base, cur, (b_samples, c_samples), settings, None)
        row = _row(cur, "info", change=change, p_value=p_value, noise=noise, **known)
        return replace(row, note="unknown direction: reported, no verdict")
    evidence = _evidence(base, cur, name, settings)
    row = _row(cur, "info", change=change, p_value=evidence.p_value, noise=evidence.noise, **known)
    row = _verdict(row, evidence.log_ratio, direction, settings)
    if evidence.corrected and row.verdict in ("regression", "improvement", "inconclusive"):
        corrected = (
            f"judged on samples corrected for the machine's speed: "
            f"{math.expm1(evidence.log_ratio):+.1%} (raw {change:+.1%})"
        )
        row = replace(row, note=f"{corrected}; {row.note}" if row.note else corrected)
    return row


@dataclass(frozen=True)
class _Evidence:
    """What a verdict rests on: the change (``log``), its p-value and its noise."""

    log_ratio: float
    p_value: float
    noise: float
    corrected: bool


def _p_value(b_samples: tuple[float, ...], c_samples: tuple[float, ...]) -> float:
    return float(sps.mannwhitneyu(b_samples, c_samples, alternative="two-sided").pvalue)


def _evidence(base: CaseResult, cur: CaseResult, name: str, settings: _Settings) -> _Evidence:
    """The raw comparison, or the one corrected for the machine's speed where the samples
    follow the probe within their runs and the correction leaves less noise."""
    b_samples, c_samples = base.samples[name], cur.samples[name]
    fit = probe_fit(base, cur, name)
    weight = None if fit is None else fit.drift_weight
    raw_noise = _comparison_noise(base, cur, (b_samples, c_samples), settings, weight)
    raw = _Evidence(
        _log_ratio(b_samples, c_samples), _p_value(b_samples, c_samples), raw_noise, False
    )
    reference = probe_reference(base, cur, name)
    if fit is None or not fit.corrects or reference is None:
        return raw
    sides = [speed_corrected_samples(c, name, fit.slope, reference) for c in (base, cur)]
    if sides[0] is None or sides[1] is None:
        return raw
    pair = (sides[0], sides[1])
    noise = _comparison_noise(base, cur, pair, settings, 0.0, use_history=False)
    if noise >= raw.noise:
        return raw
    return _Evidence(_log_ratio(*pair), _p_value(*pair), noise, corrected=True)


def _log_ratio(b_samples: tuple[float, ...], c_samples: tuple[float, ...]) -> float:
    return math.log(float(np.median(c_samples))) - math.log(float(np.median(b_samples)))


def _verdict(
    row: ComparisonRow, log_ratio: float, direction: Direction, settings: _Settings
) -> ComparisonRow:
    # log_ratio is a difference of logs, not the log of a quotient: swapping the runs negates it
    # exactly, so the verdict is antisymmetric even at the boundaries.
    assert row.p_value is not None and row.noise is not None
    worse = log_ratio if direction == "lower" else -log_ratio
    limit = math.log1p(settings.threshold)
    beyond_noise = abs(worse) - 2.0 * row.noise > limit
    if abs(worse) <= limit or (row.p_value >= settings.alpha and not beyond_noise):
        return replace(row, verdict="unchanged")
    if row.p_value >= settings.alpha:
        # Only with very few samples (3 against 3 cannot reach p < 0.05): a large change that the
        # test cannot confirm is not "unchanged".
        note = f"change {math.expm1(log_ratio):+.1%} is not significant (p={row.p_value:.3g}); "
        return replace(row, verdict="inconclusive", note=note + "collect more samples")
    if beyond_noise:
        return replace(row, verdict="regression" if worse > 0 else "improvement")
    note = (
        f"change {math.expm1(log_ratio):+.1%} is significant but within the run-to-run "
        f"noise (±{row.noise:.1%}, margin {math.expm1(limit + 2.0 * row.noise):.1%}); rerun"
    )
    return replace(row, verdict="inconclusive", note=note)


def _comparison_noise(
    base: CaseResult,
    cur: CaseResult,
    samples: tuple[tuple[float, ...], tuple[float, ...]],
    settings: _Settings,
    probe_weight: float | None,
    *,
    use_history: bool = True,
) -> float:
    """Relative noise of ``log(current / baseline)``: the two runs' noises in quadrature.

    Plus the machine's own drift between the runs (:func:`machine_drift`): a whole machine that
    got slower is noise to allow for, not a regression of the benchmark, in as far as the probe's
    speed reaches it (``probe_weight``; 0 for samples already corrected for it). The history
    store's noise (of raw run medians, the machine's speed changes included) applies to raw
    samples only (``use_history``).
    """
    noise = math.hypot(
        _run_noise(base, samples[0], settings), _run_noise(cur, samples[1], settings)
    )
    noise = math.hypot(noise, machine_drift(base, cur, probe_weight=probe_weight))
    history = settings.history_noise.get(cur.key) if use_history else None
    # The history figure is per run; the difference of two such runs has sqrt(2) times its spread.
    return noise if history is None else max(noise, math.sqrt(2.0) * history)


def _run_noise(case: CaseResult, samples: tuple[float, ...], settings: _Settings) -> float:
    groups: dict[int, list[float]] = {}
    if len(case.sample_groups) == len(samples):
        groups = group_samples(samples, case.sample_groups)
    elif case.sample_groups:
        logger.warning("%s: a metric has no group label per sample; noise unknown", case.key)
    return run_noise(groups, drift_floor=settings.drift_floor)


def _level(case: CaseResult, name: str) -> float | None:
    """The median of the raw samples (what the test compares), else the recorded value."""
    samples = case.samples.get(name)
    if samples:
        return float(np.median(samples))
    value = case.metrics.get(name)
    return value.median if isinstance(value, SampleStats) else value


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def format_comparison_table(comparison: Comparison) -> str:
    """An aligned plain-text table of every row plus a one-line summary (for terminals and CI)."""
    header = (
        "benchmark",
        "params",
        "hardware",
        "metric",
        "baseline",
        "current",
        "change",
        "verdict",
    )
    lines = [header, *(_table_cells(row) for row in comparison.rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    ]
    notes = [
        f"  {row.benchmark} {_params(row.params)} {row.metric}: {row.note}"
        for row in comparison.rows
        if row.note and row.verdict == "inconclusive"
    ]
    counts = ", ".join(f"{n} {verdict}" for verdict, n in sorted(comparison.counts().items()))
    summary = (
        f"{len(comparison.rows)} rows: {counts or 'nothing to compare'} "
        f"(threshold {comparison.threshold:.1%}, alpha {comparison.alpha:g})"
    )
    return "\n".join([*out, *notes, summary])


def _table_cells(row: ComparisonRow) -> tuple[str, ...]:
    change = "-" if row.change is None else f"{row.change:+.1%}"
    return (
        row.benchmark,
        _params(row.params),
        row.hardware,
        row.metric or "-",
        _num(row.baseline),
        _num(row.current),
        change,
        row.verdict,
    )


def _params(params: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in params.items()) or "-"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
