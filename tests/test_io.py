"""Tests of benchmig._io: atomic writes and versioned JSON documents."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmig._io import (
    atomic_write_bytes,
    atomic_write_json,
    atomic_write_text,
    read_json_document,
    upgrade_document,
)
from benchmig.errors import EXIT_USAGE, InputError, SchemaVersionError

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- atomic writes ----------------------------------------------------------------------------


@given(data=st.binary(max_size=4096))
def test_atomic_write_bytes_round_trips_any_bytes(tmp_path_factory: Any, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("w")
    target = folder / "out.bin"
    atomic_write_bytes(target, data)
    assert target.read_bytes() == data
    assert _leftovers(folder) == []


def test_atomic_write_text_keeps_newlines_and_encoding(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    atomic_write_text(target, "a\r\nb\nç\n")
    assert target.read_bytes() == "a\r\nb\nç\n".encode()
    atomic_write_text(target, "é", encoding="latin-1")
    assert target.read_bytes() == b"\xe9"


def test_atomic_write_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old content that is longer")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"


@posix_only
def test_atomic_write_preserves_permissions_of_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    target.write_text("old")
    os.chmod(target, 0o640)
    atomic_write_text(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


@posix_only
def test_atomic_write_new_file_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "x.txt", "new")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o640


def test_failed_write_leaves_target_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.txt"
    target.write_text("precious")

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(InputError, match=r"cannot write .*x\.txt: No space left on device"):
        atomic_write_text(target, "half")
    assert target.read_text() == "precious"
    assert _leftovers(tmp_path) == []


def test_interrupted_write_removes_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(tmp_path / "x.txt", "data")
    assert list(tmp_path.iterdir()) == []


def test_write_into_missing_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing"):
        atomic_write_text(tmp_path / "missing" / "x.txt", "data")


def test_atomic_write_json_layout(tmp_path: Path) -> None:
    target = tmp_path / "doc.json"
    atomic_write_json(target, {"b": 1, "a": ["é"]})
    text = target.read_text(encoding="utf-8")
    assert text == '{\n  "b": 1,\n  "a": [\n    "é"\n  ]\n}\n'


# -- versioned documents ----------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path, **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"kind": "thing", "current_version": 2, "upgrades": {}}
    options.update(overrides)
    return read_json_document(path, **options)


def test_reads_current_version(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"schema_version": 2, "kind": "thing", "x": 1}')
    assert _read(path) == {"schema_version": 2, "kind": "thing", "x": 1}


def test_kind_is_optional_but_checked_when_present(tmp_path: Path) -> None:
    assert _read(_write(tmp_path, '{"schema_version": 2}')) == {"schema_version": 2}
    with pytest.raises(InputError, match=r"is a 'other' document, not a 'thing' one"):
        _read(_write(tmp_path, '{"schema_version": 2, "kind": "other"}'))


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, '{\n  "schema_version": 2,\n  "x": ,\n}')
    with pytest.raises(InputError) as info:
        _read(path)
    message = str(info.value)
    assert str(path) in message
    assert "is not valid JSON (line 3, col 8)" in message
    assert "was it truncated?" in message
    assert info.value.exit_code == EXIT_USAGE


def test_truncated_json_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"schema_version": 2, "results": [1, 2')
    with pytest.raises(InputError, match=r"not valid JSON \(line 1, col \d+\).*truncated"):
        _read(path)


def test_missing_file_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        _read(tmp_path / "absent.json")
    path = tmp_path / "bin.json"
    path.write_bytes(b'{"a": "\xff"}')
    with pytest.raises(InputError, match="not UTF-8"):
        _read(path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[1, 2]", "expected a JSON object at the top level, got list"),
        ('{"kind": "thing"}', "has no 'schema_version' field"),
        ('{"schema_version": "1"}', "must be a whole number >= 0, got '1'"),
        ('{"schema_version": true}', "must be a whole number >= 0, got True"),
        ('{"schema_version": -1}', "must be a whole number >= 0, got -1"),
        ('{"schema_version": 1.0}', "must be a whole number >= 0, got 1.0"),
    ],
)
def test_bad_schema_version(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        _read(_write(tmp_path, text))


def test_future_version_asks_for_an_upgrade(tmp_path: Path) -> None:
    path = _write(tmp_path, '{"schema_version": 7}')
    with pytest.raises(SchemaVersionError) as info:
        _read(path)
    assert (
        "written by a newer benchmig (schema 7, this one reads up to 2): upgrade benchmig"
        in str(info.value)
    )
    assert info.value.exit_code == EXIT_USAGE


def test_old_versions_are_upgraded_step_by_step(tmp_path: Path) -> None:
    steps: list[int] = []

    def zero_to_one(doc: dict[str, Any]) -> dict[str, Any]:
        steps.append(doc["schema_version"])
        old = doc.pop("old")
        return {**doc, "renamed": old}

    def one_to_two(doc: dict[str, Any]) -> dict[str, Any]:
        steps.append(doc["schema_version"])
        return {**doc, "added": True}

    path = _write(tmp_path, '{"schema_version": 0, "old": 5}')
    doc = _read(path, upgrades={0: zero_to_one, 1: one_to_two})
    assert steps == [0, 1]
    assert doc == {"schema_version": 2, "renamed": 5, "added": True}


def test_missing_upgrade_step_is_a_schema_error() -> None:
    with pytest.raises(SchemaVersionError, match="schema 0 is too old"):
        upgrade_document(
            {"schema_version": 0}, source="s", kind="thing", current_version=1, upgrades={}
        )


def test_upgrade_of_malformed_document_is_an_input_error() -> None:
    def needs_field(doc: dict[str, Any]) -> dict[str, Any]:
        return {"value": doc["field"]}

    with pytest.raises(InputError, match=r"s: cannot upgrade thing schema 0 to 1.*'field'"):
        upgrade_document(
            {"schema_version": 0},
            source="s",
            kind="thing",
            current_version=1,
            upgrades={0: needs_field},
        )


def test_upgrade_does_not_modify_the_input() -> None:
    original = {"schema_version": 0, "a": 1}
    upgrade_document(
        original,
        source="s",
        kind="thing",
        current_version=1,
        upgrades={0: lambda d: {**d, "a": 2}},
    )
    assert original == {"schema_version": 0, "a": 1}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)


@given(payload=st.dictionaries(st.text(max_size=8), json_values, max_size=5))
def test_written_documents_read_back_identical(tmp_path_factory: Any, payload: Any) -> None:
    document = {**payload, "schema_version": 1, "kind": "thing"}
    path = tmp_path_factory.mktemp("doc") / "doc.json"
    atomic_write_json(path, document)
    assert read_json_document(path, kind="thing", current_version=1, upgrades={}) == document
    assert json.loads(path.read_text(encoding="utf-8")) == document
