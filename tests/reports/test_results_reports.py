"""Results and comparison reports: medians with CIs, verdicts, charts, hostile names."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmig.framework._compare import Comparison, compare_runs
from benchmig.framework._results import RunResults
from benchmig.reports.results_html import (
    comparison_html_text,
    render_comparison_html,
    render_results_html,
)
from benchmig.reports.results_markdown import render_comparison_markdown, render_results_markdown
from benchmig.reports.svg_charts import Bar, bar_chart
from tests.reports.factory import MARKUP_MODULE, SCRIPT_REASON, SVG_NAME, run
from tests.reports.html_check import Markup, check_golden

UPDATE = os.environ.get("BENCHMIG_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def runs() -> tuple[RunResults, RunResults, Comparison]:
    baseline, current = run(), run(1.3, "run-b", seed=5)
    return baseline, current, compare_runs(baseline, current)


def _safe(page: str) -> Markup:
    markup = Markup.of(page)
    assert markup.handlers() == []
    assert not any(e.tag in ("img", "iframe", "object", "b") for e in markup.elements)
    assert [a for a, _ in markup.scripts] == [{}]  # only our own script
    return markup


def test_results_page_shows_medians_cis_and_escaped_names() -> None:
    page = render_results_html(run())
    markup = _safe(page)
    text = " ".join(markup.text)
    for needle in (SVG_NAME, f"x={MARKUP_MODULE}", SCRIPT_REASON, "2.504", "[2.498, 2.511]"):
        assert needle in text
    charts = [e for e in markup.elements if e.tag == "svg" and e.attrs.get("class") == "chart"]
    assert len(charts) == 2  # latency and throughput
    bars = [e for e in markup.elements if e.tag == "rect" and "bar" in (e.attrs["class"] or "")]
    assert len(bars) == 4  # three latency cases, one throughput case


def test_comparison_page_has_verdicts_and_charts(
    runs: tuple[RunResults, RunResults, Comparison],
) -> None:
    baseline, current, comparison = runs
    markup = _safe(comparison_html_text(comparison, baseline, current))
    cells = [e for e in markup.elements if e.tag == "td" and e.attrs.get("class") == "v-regression"]
    assert len(cells) == 2  # latency and throughput of the slowed case
    dots = [e for e in markup.elements if e.tag == "circle"]
    assert {d.attrs["class"] for d in dots} == {"dot regression", "dot unchanged"}
    assert "mlp_latency [batch_size=8] cpu · latency_ms" in " ".join(markup.text)


def test_render_comparison_html_writes_the_file(
    tmp_path: Path, runs: tuple[RunResults, RunResults, Comparison]
) -> None:
    baseline, current, comparison = runs
    path = render_comparison_html(comparison, baseline, current, tmp_path / "sub" / "cmp.html")
    assert path.read_text().startswith("<!doctype html>")


def test_results_markdown_matches_golden(runs: tuple[RunResults, RunResults, Comparison]) -> None:
    baseline, _, comparison = runs
    check_golden("results.md", render_results_markdown(baseline), UPDATE)
    text = render_comparison_markdown(comparison)
    check_golden("comparison.md", text, UPDATE)
    assert text.index("| **regression** |") < text.index("| unchanged |")


def test_bar_chart_switches_to_log_scale_for_wide_ranges() -> None:
    narrow = str(bar_chart([Bar("a", 1.0), Bar("b", 2.0)], "ms"))
    wide = str(bar_chart([Bar("a", 0.01, 0.009, 0.011), Bar("b", 50.0)], "ms"))
    assert "log scale" not in narrow and "log scale" in wide
    widths = [float(w) for w in re.findall(r'class="bar[^"]*"[^>]*width="([\d.]+)"', wide)]
    assert widths[0] > 1 and widths[1] > widths[0]  # the small value stays visible
