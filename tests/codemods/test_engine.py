"""The apply engine through its library API: modes, bytes, safety, isolation of failures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from libcst.codemod import Codemod

import benchmig.codemods._transform as _transform
from benchmig.codemods import ApplyOptions, ApplyResult, apply_paths, report_document
from benchmig.codemods.replace_timers import ReplaceTimersCommand
from benchmig.errors import InputError
from tests.codemods.trees import (
    BENCH_A,
    AppendCommentCommand,
    BreakSyntaxCommand,
    InsertLfStringCommand,
    legacy_tree,
    tree_digest,
    write_tree,
)

MINE = ("remove-sys-path-hacks", "replace-timers", "orchestrator-to-suite")


def apply(root: Path, mode: str, **options: Any) -> ApplyResult:
    options.setdefault("codemods", MINE)
    return apply_paths(
        [root],
        ApplyOptions(mode=mode, jobs=1, use_cache=False, **options),  # type: ignore[arg-type]
    )


def by_path(result: ApplyResult) -> dict[str, Any]:
    return {f.path: f for f in result.files}


def use_command(monkeypatch: pytest.MonkeyPatch, command: type[Codemod]) -> None:
    """Make every planned codemod name run ``command`` (in-process runs only)."""
    monkeypatch.setattr(_transform, "codemod_classes", lambda names: dict.fromkeys(names, command))


def test_out_writes_the_whole_tree_with_untouched_bytes(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    before = tree_digest(root)
    out = tmp_path / "migrated"
    result = apply(root, "out", out_dir=out)
    assert tree_digest(root) == before, "--out must not touch the input tree"
    written = tree_digest(out)
    assert set(written) == set(before) | {"benchmarks/run_all.suite.json"}
    for untouched in ("README.md", "data/weights.bin", "benchmarks/notes.txt"):
        assert written[untouched] == before[untouched]
    helper = (out / "benchmarks" / "helpers.py").read_bytes()
    assert b"time.perf_counter()" in helper and b"time.time()" not in helper
    assert helper.count(b"\r\n") == helper.count(b"\n"), "a CRLF file must stay CRLF"
    sibling = (out / "benchmarks" / "bench_sibling.py").read_bytes()
    assert b"sys.path" not in sibling and b"from helpers import measure" in sibling
    files = by_path(result)
    assert files["benchmarks/helpers.py"].status == "changed"
    assert files["benchmarks/helpers.py"].strategy == "helper"
    assert files["benchmarks/run_all.py"].codemods == ("orchestrator-to-suite",)
    assert result.new_files == ("benchmarks/run_all.suite.json",)
    assert not result.errors and not result.problems


def test_diff_writes_nothing_and_shows_every_change(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    before = tree_digest(root)
    result = apply(root, "diff")
    assert tree_digest(root) == before
    assert "--- a/benchmarks/bench_sibling.py" in result.diff
    assert "-sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))" in result.diff
    assert "--- /dev/null\n+++ b/benchmarks/run_all.suite.json" in result.diff
    assert "+    start = time.perf_counter()\r\n" in result.diff


def test_check_finds_changes_and_a_migrated_tree_is_stable(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    before = tree_digest(root)
    assert apply(root, "check").changed
    assert tree_digest(root) == before
    out = tmp_path / "migrated"
    apply(root, "out", out_dir=out)
    again = apply(out, "check")
    assert again.changed == [], [f.path for f in again.changed]


def test_apply_never_imports_the_code(tmp_path: Path) -> None:
    marker = tmp_path / "imported"
    bomb = f"import time\nopen({str(marker)!r}, 'w').close()\nraise SystemExit(9)\n" + BENCH_A
    root = write_tree(tmp_path / "legacy", {"bomb.py": bomb, "other.py": BENCH_A})
    result = apply(root, "out", out_dir=tmp_path / "out")
    assert by_path(result)["bomb.py"].status == "changed"
    assert not marker.exists()


def test_a_failing_codemod_leaves_only_that_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class BoomThenTimers(ReplaceTimersCommand):
        def transform_module(self, tree: Any) -> Any:
            if "boom" in str(self.context.filename):
                raise RuntimeError("kaboom")
            return super().transform_module(tree)

    use_command(monkeypatch, BoomThenTimers)
    root = write_tree(tmp_path / "legacy", {"boom.py": BENCH_A, "fine.py": BENCH_A})
    out = tmp_path / "out"
    result = apply(root, "out", out_dir=out)
    files = by_path(result)
    assert files["boom.py"].status == "error"
    assert "kaboom" in (files["boom.py"].error or "")
    assert files["fine.py"].status == "changed"
    assert (out / "boom.py").read_text() == BENCH_A, "the failed file is copied unchanged"
    assert b"perf_counter" in (out / "fine.py").read_bytes()


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (AppendCommentCommand, "not idempotent"),
        (BreakSyntaxCommand, "does not compile"),
        (InsertLfStringCommand, "newline style from crlf to mixed"),
    ],
)
def test_unsafe_rewrites_are_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: type[Codemod], reason: str
) -> None:
    use_command(monkeypatch, command)
    source = BENCH_A.replace("\n", "\r\n").encode()
    root = write_tree(tmp_path / "legacy", {"bench.py": source})
    result = apply(root, "out", out_dir=tmp_path / "out")
    outcome = by_path(result)["bench.py"]
    assert outcome.status == "error"
    assert reason in (outcome.error or "")
    assert (tmp_path / "out" / "bench.py").read_bytes() == source


def test_parse_errors_are_reported_not_fatal(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "legacy", {"broken.py": "def f(:\n", "ok.py": BENCH_A})
    result = apply(root, "check")
    files = by_path(result)
    assert files["broken.py"].status == "skipped"
    assert files["broken.py"].strategy == "manual"
    assert "syntax" in (files["broken.py"].error or "")
    assert files["ok.py"].status == "changed"
    assert not result.errors


def test_report_document_is_versioned_and_complete(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    document = report_document(apply(root, "check"))
    assert document["schema_version"] == 1 and document["kind"] == "benchmig-apply-report"
    assert document["summary"]["files"] == len(document["files"]) == 4
    run_all = next(f for f in document["files"] if f["path"] == "benchmarks/run_all.py")
    assert run_all["new_files"] == ["benchmarks/run_all.suite.json"]
    assert any("bench_missing.py" in r for u in run_all["units"] for r in u["reasons"])


def test_options_are_checked(tmp_path: Path) -> None:
    root = legacy_tree(tmp_path / "legacy")
    with pytest.raises(InputError, match="inside the tree"):
        apply(root, "out", out_dir=root / "migrated")
    with pytest.raises(InputError, match="unknown codemod"):
        apply(root, "check", codemods=("no-such-codemod",))
    with pytest.raises(InputError, match="no such file"):
        apply(tmp_path / "missing", "check")


def test_a_legacy_file_that_never_compiled_is_skipped_not_failed(tmp_path: Path) -> None:
    # `f(a=1, a=2)` parses (ast, LibCST) but the compiler rejects it: the rewrite is not to blame
    source = BENCH_A + "print(dict(a=1, a=2))\n"
    root = write_tree(tmp_path / "legacy", {"bench.py": source})
    outcome = by_path(apply(root, "check"))["bench.py"]
    assert outcome.status == "skipped" and outcome.strategy == "manual"
    assert "does not compile either" in (outcome.error or "")
    assert "keyword argument repeated" in (outcome.error or "")
