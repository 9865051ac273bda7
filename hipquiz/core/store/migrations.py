"""Bringing a store written by an older hipquiz up to ``SCHEMA_VERSION``.

Each step of :data:`MIGRATIONS` turns the files of schema N into the files of schema N + 1, in memory
(``{relative path: TinyDB tables}``), so a new schema adds one function to the registry. The result
is written only once every step has run and validated its input; a read-only open migrates in memory
and changes nothing on disk.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hipquiz.core.store import files
from hipquiz.core.store.backends import Backend, FileBackend, MemoryBackend
from hipquiz.core.store.backups import backups_keep, make_daily_backup
from hipquiz.core.store.layout import (
    CARDS_DIR,
    LOG_DIR,
    META_NAME,
    SCHEMA_VERSION,
    V1_MIGRATED_NAME,
    V1_NAME,
    layout_files,
    remove_temp_files,
    store_files,
)
from hipquiz.core.store.records import v1_contents

Contents = dict[str, dict[str, dict[str, Any]]]  # relative path -> the file's TinyDB tables
Migration = Callable[[Contents, Path], Contents]


def v1_to_v2(contents: Contents, data_dir: Path) -> Contents:
    """Schema 1 kept everything in one ``progress.json``; schema 2 has meta, card shards and log days."""
    cards, reviews, settings, aliases = v1_contents(data_dir / V1_NAME, contents[V1_NAME])
    return layout_files(cards, reviews, settings, aliases)


#: schema N -> the function that turns schema N's files into schema N + 1's.
MIGRATIONS: dict[int, Migration] = {1: v1_to_v2}


def stored_schema(data_dir: Path) -> int | None:
    """The schema of a store that needs migrating (None for a current or new store)."""
    if not (data_dir / META_NAME).exists() and (data_dir / V1_NAME).exists():
        return 1
    return None


def _read_schema(data_dir: Path, schema: int) -> Contents:
    if schema == 1:
        tables = files.read_tables(data_dir / V1_NAME)
        assert tables is not None
        return {V1_NAME: tables}
    raise AssertionError(f"no reader for schema {schema}")  # pragma: no cover - a new schema adds one


def migrate(data_dir: Path, read_only: bool, reason: str,
            now: Callable[[], datetime]) -> Backend | None:
    """Migrate the store in ``data_dir`` when it is older than this hipquiz; None when it is not.

    Writes the new files (meta.json last) after a daily backup, then sets the old file aside; files
    from an earlier, interrupted migration are rebuilt from scratch.
    """
    schema = stored_schema(data_dir)
    if schema is None:
        return None
    contents = _read_schema(data_dir, schema)
    while schema < SCHEMA_VERSION:
        contents = MIGRATIONS[schema](contents, data_dir)
        schema += 1
    if read_only:
        backend = MemoryBackend(True, reason)
        backend.load(contents)
        return backend
    remove_temp_files(data_dir)
    meta = contents.pop(META_NAME)
    make_daily_backup(data_dir, now=now, keep=backups_keep(meta["settings"]["1"]))
    for rel in store_files(data_dir):
        if rel.parts[0] in (CARDS_DIR, LOG_DIR):
            (data_dir / rel).unlink()
    try:
        for rel, tables in contents.items():
            files.atomic_write(data_dir / rel, files.encode_tables(tables))
        files.atomic_write(data_dir / META_NAME, files.encode_tables(meta))
        os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
    except OSError as exc:
        raise files.write_failed(data_dir, exc) from exc
    return FileBackend(data_dir, False, reason)
