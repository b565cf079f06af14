"""`migrate report` and `migrate compare --html`: files written, formats, exit codes."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmig.analyzer._analysis import write_analysis
from benchmig.cli import main
from benchmig.cli._report import render_analysis_reports
from benchmig.framework._results_io import write_results
from tests.reports.factory import SVG_NAME, hostile_analysis, run


@pytest.fixture
def analysis_json(tmp_path: Path) -> Path:
    return write_analysis(hostile_analysis(), tmp_path / "saved")[0]


def test_report_renders_an_analysis_next_to_it(analysis_json: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(analysis_json)])
    assert result.exit_code == 0, result.output
    folder = analysis_json.parent
    assert result.output.split() == [str(folder / "report.html"), str(folder / "report.md")]
    assert html.escape(SVG_NAME) in (folder / "report.html").read_text()


def test_report_formats_and_out_folder(analysis_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["report", str(analysis_json), "--out", str(out), "--format", "dot,graphml,json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["analysis.json", "dependency-graph.dot", "dependency-graph.graphml"]
    again = json.loads((out / "analysis.json").read_text())
    assert again == json.loads(analysis_json.read_text())


def test_report_renders_results(tmp_path: Path) -> None:
    results = write_results(run(), tmp_path / "run")
    result = CliRunner().invoke(main, ["report", str(results), "--format", "html,md"])
    assert result.exit_code == 0, result.output
    assert "mlp_latency" in (tmp_path / "run" / "results.md").read_text()
    assert (tmp_path / "run" / "results.html").read_text().startswith("<!doctype html>")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"schema_version": 99, "kind": "benchmig-analysis"}, "newer benchmig (schema 99"),
        ({"schema_version": 99, "kind": "benchmig-results", "results": []}, "newer benchmig"),
        ({"schema_version": 1, "kind": "benchmig-suite"}, "is a 'benchmig-suite' document"),
        ({"schema_version": 1}, "'(no kind)' document"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_report_refuses_unknown_or_future_documents(
    tmp_path: Path, document: object, message: str
) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document))
    result = CliRunner().invoke(main, ["report", str(path)])
    assert result.exit_code == 2
    assert message in result.output


def test_report_refuses_bad_formats(analysis_json: Path, tmp_path: Path) -> None:
    bad = CliRunner().invoke(main, ["report", str(analysis_json), "--format", "html,pdf"])
    assert bad.exit_code == 2 and "unknown report format(s) pdf" in bad.output
    results = write_results(run(), tmp_path / "run")
    wrong = CliRunner().invoke(main, ["report", str(results), "--format", "dot"])
    assert wrong.exit_code == 2 and "do not apply to a benchmig-results" in wrong.output


def test_report_of_a_missing_or_broken_file(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["report", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"schema_version": 1, "kind": "benchmig-analysis", "files": [')
    result = CliRunner().invoke(main, ["report", str(broken)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_render_analysis_reports_for_migrate_analyze(tmp_path: Path) -> None:
    written = render_analysis_reports(hostile_analysis(), tmp_path / "r")
    assert [p.name for p in written] == ["report.html", "report.md", "dependency-graph.dot"]
    assert all(p.stat().st_size > 0 for p in written)


def test_compare_html_writes_the_comparison_page(tmp_path: Path) -> None:
    base = write_results(run(), tmp_path / "a")
    cur = write_results(run(1.3, "run-b", seed=5), tmp_path / "b")
    page = tmp_path / "cmp.html"
    result = CliRunner().invoke(main, ["compare", str(base), str(cur), "--html", str(page)])
    assert result.exit_code == 1  # the slowed case is a regression
    assert "regression" in page.read_text()
