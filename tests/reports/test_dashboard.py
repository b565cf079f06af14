"""The history dashboard (HTML, in headless Chromium) and the history and dashboard commands."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from benchmig.cli import main
from benchmig.errors import InputError
from benchmig.framework._history import HistoryPoint, SqliteHistoryStore
from benchmig.framework._results import CaseResult, RunResults
from benchmig.reports.dashboard import (
    case_trends,
    collect_dashboard,
    render_dashboard,
    write_dashboard,
)
from tests.chromium import render, require_chromium
from tests.framework.test_results_io import make_stats
from tests.framework.test_steps import series_with_steps

# Hostile names: if any of them ever ran as script or markup, the DOM would show it.
HOSTILE = "</script><script>document.body.dataset.pwned='1'</script>"
HOSTILE_PARAM = "<img src=x onerror=\"document.body.dataset.pwned='2'\">"
RUNS = 24
STEP_AT = 12


def _run(index: int, rng: np.random.Generator) -> RunResults:
    def ok(name: str, params: dict[str, object], level: float) -> CaseResult:
        median = level * math.exp(rng.normal(0.0, 0.01))
        return CaseResult(name, params, "cpu", "ok", metrics={"latency_ms": make_stats(median)})

    cases = [
        ok("matmul", {"n": 64}, 2.0 * (1.3 if index >= STEP_AT else 1.0)),
        ok("matmul", {"n": 128}, 9.0),
        ok(HOSTILE, {"x": HOSTILE_PARAM}, 0.5),
        CaseResult("matmul", {"n": 64}, "cuda", "skipped", error="no cuda"),
    ]
    if index == 5:
        cases[1] = CaseResult("matmul", {"n": 128}, "cpu", "failed", error="boom")
    return RunResults(
        f"run-{index:03d}",
        f"2026-03-{1 + index // 24:02d}T{index % 24:02d}:00:00+00:00",
        "",
        {"git": {"commit": f"c0ffee{index:02d}"}},
        tuple(cases),
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> SqliteHistoryStore:
    """A store the tests only read: RUNS runs, a 30% step in one case, a failure in another."""
    history = SqliteHistoryStore(tmp_path_factory.mktemp("dash") / "history.sqlite")
    rng = np.random.default_rng(1)
    for index in range(RUNS):
        history.record_run(_run(index, rng))
    return history


def test_collect_builds_one_trend_per_case_and_finds_the_step(store: SqliteHistoryStore) -> None:
    data = collect_dashboard(store, store_name="h.sqlite")
    assert len(data.runs) == RUNS and data.runs[0].run_id == "run-000"  # oldest first
    keys = [(t.benchmark, dict(t.params), t.hardware) for t in data.trends]
    assert keys == [
        (HOSTILE, {"x": HOSTILE_PARAM}, "cpu"),
        ("matmul", {"n": 128}, "cpu"),
        ("matmul", {"n": 64}, "cpu"),  # the always-skipped cuda case has no trend
    ]
    hostile, wide, stepped = data.trends
    assert hostile.steps == () and wide.steps == ()
    assert [s.index for s in stepped.steps] == [STEP_AT]
    assert stepped.steps[0].change == pytest.approx(0.3, abs=0.05)
    assert wide.points[5].status == "failed" and len(wide.points) == RUNS


def test_limit_keeps_the_latest_runs(store: SqliteHistoryStore) -> None:
    data = collect_dashboard(store, store_name="h", limit=5)
    assert [r.run_id for r in data.runs] == [f"run-{i:03d}" for i in range(RUNS - 5, RUNS)]


def test_names_cannot_break_out_of_the_page(store: SqliteHistoryStore) -> None:
    html = render_dashboard(collect_dashboard(store, store_name="h"))
    assert HOSTILE not in html and HOSTILE_PARAM not in html
    assert html.count("</script>") == 2  # the data and the filter script, nothing injected
    match = re.search(r'<script type="application/json" id="dashboard-index">(.*?)</script>', html)
    assert match is not None and "<" not in match.group(1)
    index = json.loads(match.group(1))
    assert HOSTILE.lower() in index[0]["search"]


def test_csp_allows_exactly_the_page_script(store: SqliteHistoryStore) -> None:
    html = render_dashboard(collect_dashboard(store, store_name="h"))
    script = html.rsplit("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert "default-src 'none'" in html


def test_empty_store_is_an_input_error(tmp_path: Path) -> None:
    empty = SqliteHistoryStore(tmp_path / "none.sqlite")
    with pytest.raises(InputError, match="holds no runs"):
        write_dashboard(collect_dashboard(empty, store_name="none"), tmp_path / "out")


def test_dashboard_in_chromium(store: SqliteHistoryStore, tmp_path: Path) -> None:
    require_chromium()
    page = write_dashboard(collect_dashboard(store, store_name="h"), tmp_path / "dash")
    shot = tmp_path / "dashboard.png"
    result = render(page, screenshot=shot, window=(1400, 1200))
    assert result.errors == () and result.console == ()
    assert "data-pwned" not in result.dom  # the text is shown, never run
    titles = re.findall(r"<h3>(.*?)</h3>", result.dom)
    assert titles == ["&lt;/script&gt;&lt;script&gt;document.body.dataset.pwned='1'&lt;/script&gt;",
                      "matmul", "matmul"]  # fmt: skip
    assert result.dom.count('class="dot"') == 3 * RUNS - 1  # one failed run has no dot
    assert result.dom.count('<g class="step worse">') == 1 and ">+30" in result.dom
    assert "3 of 3 cases shown" in result.dom  # the filter script ran
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_filter_script_and_csp_in_chromium(store: SqliteHistoryStore, tmp_path: Path) -> None:
    """Type into the filter (a test script the CSP is told to allow); an injected one is blocked."""
    require_chromium()
    html = render_dashboard(collect_dashboard(store, store_name="h"))
    typing = (
        "var f = document.getElementById('filter'); f.value = 'matmul n=64';"
        "f.dispatchEvent(new Event('input'));"
    )
    digest = base64.b64encode(hashlib.sha256(typing.encode()).digest()).decode()
    html = html.replace("script-src '", f"script-src 'sha256-{digest}' '", 1)
    injected = "<script>document.body.dataset.injected = '1';</script>"
    html = html.replace("</body>", f"<script>{typing}</script>{injected}</body>")
    page = tmp_path / "filter.html"
    page.write_text(html)
    dom = render(page).dom
    assert "1 of 3 cases shown" in dom
    visible = re.findall(r'<article class="[^"]*" id="(case-\d)">', dom)
    hidden = re.findall(r'<article class="[^"]*" id="(case-\d)" hidden="">', dom)
    assert visible == ["case-2"] and sorted(hidden) == ["case-0", "case-1"]
    assert "data-injected" not in dom


# -- the commands ---------------------------------------------------------------------------------


def test_dashboard_command_writes_the_page(store: SqliteHistoryStore, tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = CliRunner().invoke(main, ["dashboard", "--store", str(store.path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(out / "index.html")
    assert "1 step changes" in done.stderr
    assert "matmul" in (out / "index.html").read_text()
    empty = CliRunner().invoke(
        main, ["dashboard", "--store", str(tmp_path / "x.sqlite"), "--out", str(out)]
    )
    assert empty.exit_code == 2 and "holds no runs" in empty.output


def test_history_lists_runs(store: SqliteHistoryStore) -> None:
    runner = CliRunner()
    done = runner.invoke(main, ["history", "--store", str(store.path), "--limit", "3"])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["run", "started", "commit", "cases"]
    assert [line.split()[0] for line in lines[1:]] == ["run-023", "run-022", "run-021"]
    assert "3 ok, 1 skipped" in lines[1]
    as_json = runner.invoke(main, ["history", "--history", str(store.path), "--json"])
    document = json.loads(as_json.stdout)
    assert document["kind"] == "benchmig-history-runs" and len(document["runs"]) == 20


def test_history_of_one_case_marks_the_step(store: SqliteHistoryStore) -> None:
    runner = CliRunner()
    args = ["history", "matmul", "--store", str(store.path), "--params", '{"n": 64}']
    done = runner.invoke(main, [*args, "--hardware", "cpu", "--limit", "50"])
    assert done.exit_code == 0, done.output
    marked = [line for line in done.stdout.splitlines() if "<- step" in line]
    assert len(marked) == 1 and marked[0].startswith(f"run-{STEP_AT:03d}")
    assert "1 step change(s)" in done.stdout
    document = json.loads(runner.invoke(main, [*args, "--limit", "50", "--json"]).stdout)
    (case,) = document["cases"]
    assert case["params"] == {"n": 64} and len(case["points"]) == RUNS
    assert [s["run_id"] for s in case["steps"]] == [f"run-{STEP_AT:03d}"]


def test_history_errors_exit_2(store: SqliteHistoryStore) -> None:
    runner = CliRunner()
    base = ["history", "--store", str(store.path)]
    unknown = runner.invoke(main, [*base, "nope"])
    assert unknown.exit_code == 2 and "no recorded run of benchmark 'nope'" in unknown.output
    bad_json = runner.invoke(main, [*base, "matmul", "--params", "{n: 1}"])
    assert bad_json.exit_code == 2 and "--params" in bad_json.output
    not_object = runner.invoke(main, [*base, "matmul", "--params", "[1]"])
    assert not_object.exit_code == 2
    orphan = runner.invoke(main, [*base, "--hardware", "cpu"])
    assert orphan.exit_code == 2 and "need a BENCHMARK" in orphan.output


# -- trends -------------------------------------------------------------------------------------


def _point(run: int, key: str, median: float | None, status: str = "ok") -> HistoryPoint:
    return HistoryPoint(
        f"run-{run}", f"2026-03-01T{run:02d}:00:00+00:00", None, key, key.split("|")[0],
        {"n": 1}, "cpu", status, median, None if median is None else median * 0.99,
        None if median is None else median * 1.01,
    )  # fmt: skip


def test_case_trends_group_by_case_and_find_each_ones_steps() -> None:
    flat = series_with_steps(24, 0.02, {}, seed=10)
    stepped = series_with_steps(24, 0.02, {12: 1.4}, seed=11)
    points = []
    for run in range(24):
        points.append(_point(run, "b|x|cpu", stepped[run]))
        points.append(_point(run, "a|x|cpu", flat[run], "failed" if run == 5 else "ok"))
    trends = case_trends(points, metric="latency_ms")
    assert [t.key for t in trends] == ["a|x|cpu", "b|x|cpu"]
    assert [len(t.points) for t in trends] == [24, 24]
    assert trends[0].steps == ()
    assert [s.index for s in trends[1].steps] == [12]
    assert trends[1].metric == "latency_ms" and trends[1].benchmark == "b"
    assert trends[0].points[5].status == "failed"
