"""`migrate analyze` through click: files written, summary printed, bad paths rejected."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from benchmig.cli import main


def _tree(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "timing.py").write_text("import time\n\ndef now():\n    return time.time()\n")
    (root / "bench_a.py").write_text(
        "import time\nfrom pkg.timing import now\n\n"
        "start = time.perf_counter()\nsum(range(1000))\n"
        "print(time.perf_counter() - start)\n"
    )
    (root / "broken.py").write_text("def f(:\n    pass\n")
    return root


def test_analyze_writes_analysis_and_graph(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "legacy")
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["analyze", str(tree), "--out", str(out), "--no-cache", "--jobs", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "4 files" in result.stdout and "1 parse errors" in result.stdout
    document = json.loads((out / "analysis.json").read_text())
    assert document["schema_version"] == 1
    paths = {f["path"]: f for f in document["files"]}
    assert paths["broken.py"]["status"] == "parse_error"
    assert paths["broken.py"]["error"]["line"] == 1
    assert {(e["source"], e["target"]) for e in document["graph"]["edges"]} >= {
        ("bench_a.py", "pkg/timing.py")
    }
    assert (out / "dependency-graph.graphml").exists()
    assert "bench_a.py" in (out / "report.md").read_text()
    assert (out / "report.html").read_text().lower().startswith("<!doctype html>")


def test_analyze_missing_path_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 2


def test_analyze_progress_off_a_terminal_is_one_final_line(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "legacy")
    args = ["analyze", str(tree), "--out", str(tmp_path / "report"), "--no-cache", "--jobs", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "/4 files" in line] == [
        "analysed 4/4 files"
    ]
