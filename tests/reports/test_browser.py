"""The reports in real headless Chromium: no script errors, every file in the DOM after the
page's script ran, names still text, and a screenshot to look at."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmig.analyzer import analyze_paths
from benchmig.framework._compare import compare_runs
from benchmig.reports.analysis_html import render_analysis_html
from benchmig.reports.results_html import comparison_html_text
from tests.chromium import render, require_chromium
from tests.reports.factory import (
    IMG_DETAIL,
    SCRIPT_REASON,
    SVG_NAME,
    big_analysis,
    hostile_analysis,
    run,
)
from tests.reports.html_check import Markup

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"


@pytest.fixture(autouse=True)
def _chromium() -> None:
    require_chromium()


def _dom_text(dom: str) -> str:
    return " ".join(Markup.of(dom).text)


def test_analysis_of_the_legacy_corpus_renders_every_file(tmp_path: Path) -> None:
    analysis = analyze_paths([LEGACY], jobs=1, use_cache=False)
    page = tmp_path / "report.html"
    page.write_text(render_analysis_html(analysis), encoding="utf-8")
    shots = Path(os.environ.get("BENCHMIG_SCREENSHOTS") or tmp_path)  # CI keeps them
    shot = shots / "analysis-report.png"
    result = render(page, screenshot=shot, window=(1400, 2200))
    assert result.errors == ()
    text = _dom_text(result.dom)
    missing = [f.path for f in analysis.files if f.path not in text]
    assert missing == []
    assert f"{len(analysis.files)} of {len(analysis.files)} files" in text
    assert "Wave 1" in text  # the migration order was drawn by the script
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 50_000


def test_hostile_names_stay_text_after_scripts_ran(tmp_path: Path) -> None:
    html = render_analysis_html(hostile_analysis())
    # A test-only copy that opens two rows after load (our CSP would refuse the extra script).
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    opener = "<script>document.querySelectorAll('tr.dt-row')[0].click();</script></body>"
    page = tmp_path / "hostile.html"
    page.write_text(html.replace("</body>", opener), encoding="utf-8")
    result = render(page)
    assert result.errors == ()
    dom = Markup.of(result.dom)
    assert dom.handlers() == []
    assert not {"img", "b", "iframe"} & {e.tag for e in dom.elements}
    text = " ".join(dom.text)
    for needle in (SVG_NAME, f"{SVG_NAME}:3", SCRIPT_REASON, IMG_DETAIL):
        assert needle in text  # the expanded row lists blockers and idioms at path:line
    assert any(e.tag == "tr" and e.attrs.get("class") == "dt-detail" for e in dom.elements)


def test_big_tree_page_paginates_and_stays_quiet(tmp_path: Path) -> None:
    analysis = big_analysis(1500)
    page = tmp_path / "big.html"
    page.write_text(render_analysis_html(analysis), encoding="utf-8")
    result = render(page)
    assert result.errors == ()
    text = _dom_text(result.dom)
    assert "1,500 of 1,500 files" in text and "page 1 of 15" in text
    shown = [f.path for f in analysis.files if f.path in text]
    assert 100 <= len(shown) < 400  # one page of rows (plus paths named in the order panel)


def test_comparison_page_renders_without_errors(tmp_path: Path) -> None:
    baseline, current = run(), run(1.3, "run-b", seed=5)
    page = tmp_path / "compare.html"
    page.write_text(comparison_html_text(compare_runs(baseline, current), baseline, current))
    shot = tmp_path / "compare.png"
    result = render(page, screenshot=shot, window=(1300, 1200))
    assert result.errors == ()
    assert SVG_NAME in _dom_text(result.dom)
    assert shot.read_bytes().startswith(b"\x89PNG")
