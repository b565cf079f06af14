"""Safe file writing and versioned JSON documents, shared by every benchmig package.

Two promises hold for every file benchmig writes or reads:

* a write either lands whole or leaves the old file untouched (temp file in the same folder,
  ``fsync``, ``os.replace``), so an interrupted run never leaves half a ``results.json``;
* a JSON document carries ``schema_version`` (and usually ``kind``); older versions are upgraded
  step by step by small functions, newer ones are refused with a message that says to upgrade.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from benchmig.errors import InputError, SchemaVersionError

__all__ = [
    "Upgrade",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "read_json_document",
    "upgrade_document",
]

logger = logging.getLogger(__name__)

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]
"""Turns a document of schema ``v`` into one of schema ``v + 1``."""

_NEW_FILE_MODE = 0o666  # the process umask applies, exactly as for open(path, "w")


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically.

    The bytes go to a temp file in the same folder, are flushed to disk, then renamed over the
    target; an existing target keeps its permission bits. On any error the target is untouched
    and the temp file is removed. The folder must exist.
    """
    target = Path(path)
    tmp, fd = _create_temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_mode(target, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        _remove_quietly(tmp)
        raise InputError(
            f"cannot write {target}: {exc.strerror or exc}; check that the folder is writable "
            "and the disk is not full"
        ) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise
    _fsync_folder(target.parent)


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically (see :func:`atomic_write_bytes`).

    Newlines are written as given (no platform translation), so output is identical everywhere.
    """
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_json(path: Path | str, document: Mapping[str, Any]) -> None:
    """Write a JSON document atomically: two-space indent, UTF-8, key order kept, final newline."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    atomic_write_text(path, text + "\n")


def read_json_document(
    path: Path | str,
    *,
    kind: str,
    current_version: int,
    upgrades: Mapping[int, Upgrade],
) -> dict[str, Any]:
    """Read a versioned JSON document and upgrade it to ``current_version``.

    Errors are :class:`~benchmig.errors.InputError` naming the file (and ``line``/``col`` for
    invalid JSON); a document written by a newer benchmig raises
    :class:`~benchmig.errors.SchemaVersionError`. ``upgrades[v]`` turns schema ``v`` into ``v + 1``.
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source} is not UTF-8 text (byte {exc.start}): is it really a {kind} file?"
        ) from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is not valid JSON (line {exc.lineno}, col {exc.colno}): {exc.msg}; "
            "was it truncated?"
        ) from exc
    return upgrade_document(
        document, source=str(source), kind=kind, current_version=current_version, upgrades=upgrades
    )


def upgrade_document(
    document: Any,
    *,
    source: str,
    kind: str,
    current_version: int,
    upgrades: Mapping[int, Upgrade],
) -> dict[str, Any]:
    """Check ``kind`` and ``schema_version`` of a parsed document and upgrade it step by step.

    ``source`` names where the document came from, for messages. The input is not modified.
    """
    if not isinstance(document, dict):
        raise InputError(
            f"{source}: expected a JSON object at the top level, got {type(document).__name__}; "
            f"is it a {kind} file?"
        )
    found_kind = document.get("kind")
    if found_kind is not None and found_kind != kind:
        raise InputError(f"{source} is a {found_kind!r} document, not a {kind!r} one")
    version = _schema_version(document, source, kind)
    if version > current_version:
        raise SchemaVersionError(
            f"{source} was written by a newer benchmig (schema {version}, this one reads up to "
            f"{current_version}): upgrade benchmig"
        )
    upgraded = dict(document)
    for step in range(version, current_version):
        upgraded = _apply_upgrade(upgraded, step, source, kind, upgrades)
    return upgraded


def _schema_version(document: Mapping[str, Any], source: str, kind: str) -> int:
    if "schema_version" not in document:
        raise InputError(f"{source} has no 'schema_version' field: is it a {kind} file?")
    version = document["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise InputError(
            f"{source}: 'schema_version' must be a whole number >= 0, got {version!r}; "
            "the file was edited or is not a benchmig file"
        )
    return version


def _apply_upgrade(
    document: dict[str, Any], step: int, source: str, kind: str, upgrades: Mapping[int, Upgrade]
) -> dict[str, Any]:
    upgrade = upgrades.get(step)
    if upgrade is None:
        raise SchemaVersionError(
            f"{source}: {kind} schema {step} is too old for this benchmig (no upgrade from it); "
            "re-create the file with a current benchmig"
        )
    logger.debug("upgrading %s from %s schema %d to %d", source, kind, step, step + 1)
    try:
        upgraded = upgrade(document)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(
            f"{source}: cannot upgrade {kind} schema {step} to {step + 1}: malformed document "
            f"({type(exc).__name__}: {exc})"
        ) from exc
    upgraded["schema_version"] = step + 1
    return upgraded


def _create_temp_beside(target: Path) -> tuple[Path, int]:
    """Create and open a temp file next to ``target`` (same file system: ``os.replace`` works)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, _NEW_FILE_MODE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(
                f"cannot write {target}: {exc.strerror or exc}; check that {target.parent} "
                "exists and is writable"
            ) from exc
        return tmp, fd
    raise InputError(f"cannot create a temp file beside {target}: too many name collisions")


def _copy_mode(target: Path, tmp: Path) -> None:
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is already synced
    finally:
        os.close(fd)


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        logger.warning("could not remove temp file %s: %s", path, exc)
