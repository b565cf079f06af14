"""The legacy corpus oracle: per-file status, error and idioms match ``EXPECTED.json``.

The oracle lists a subset of idioms per file; the extractor must report each (same kind, same
line) and may report more.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmig.analyzer._extract import extract_facts

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
ORACLE = CORPUS / "EXPECTED.json"

pytestmark = pytest.mark.skipif(not ORACLE.exists(), reason="the legacy corpus oracle is absent")

# Oracle attributes the extractor reports under the same name and meaning; other oracle keys
# describe the migration (canonical names, intent) and are not the extractor's to match.
CHECKED_ATTRS = frozenset(
    {
        "option",
        "default",
        "default_is_expression",
        "flag",
        "modules",
        "relative_to_file",
        "format",
        "parameter",
        "constant",
        "constructor_default",
        "single_shot",
        "alias_of",
        "executor",
    }
)


def _entries() -> list[dict[str, Any]]:
    if not ORACLE.exists():
        return []
    files: list[dict[str, Any]] = json.loads(ORACLE.read_text(encoding="utf-8"))["files"]
    return files


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: str(e["path"]))
def test_file_matches_oracle(entry: dict[str, Any]) -> None:
    path = entry["path"]
    facts = extract_facts(path, (CORPUS / path).read_bytes())
    assert facts.status == entry["status"], facts.error
    if entry["status"] != "ok":
        assert facts.error is not None
        assert facts.error.reason == entry["error_reason"], facts.error
        if entry.get("error_line") is not None:
            assert facts.error.line == entry["error_line"], facts.error
        return
    assert facts.crlf == entry.get("crlf", facts.crlf)
    found = {(i.kind, i.line) for i in facts.idioms}
    missing = [
        (idiom["kind"], idiom["line"])
        for idiom in entry.get("idioms", [])
        if (idiom["kind"], idiom["line"]) not in found
    ]
    assert not missing, f"{path}: idioms not found: {missing}"
    mismatched = []
    for idiom in entry.get("idioms", []):
        wanted = {k: v for k, v in idiom.items() if k in CHECKED_ATTRS}
        candidates = [i for i in facts.idioms_of(idiom["kind"]) if i.line == idiom["line"]]
        if wanted and not any(
            all(c.attrs.get(k) == v for k, v in wanted.items()) for c in candidates
        ):
            mismatched.append((idiom, [dict(c.attrs) for c in candidates]))
    assert not mismatched, f"{path}: attributes differ: {mismatched}"


@pytest.mark.parametrize(
    "entry",
    [e for e in _entries() if e["status"] == "ok" and e.get("importable") is False],
    ids=lambda e: str(e["path"]),
)
def test_hyphenated_files_are_flagged_not_importable(entry: dict[str, Any]) -> None:
    facts = extract_facts(entry["path"], (CORPUS / entry["path"]).read_bytes())
    assert facts.extra["importable"] is False
