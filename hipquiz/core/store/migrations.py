"""Bringing a store written by an older hipquiz up to ``SCHEMA_VERSION``.

Each step of :data:`MIGRATIONS` turns the files of schema N into the files of schema N + 1, in memory
(``{relative path: TinyDB tables, or bytes}``), so a new schema adds one function to the registry.
The result is written only once every step has run and validated its input; a read-only open
migrates in memory and changes nothing on disk.

* 1 -> 2: one ``progress.json`` becomes meta.json, card files and log files.
* 2 -> 3: the log's TinyDB files of 200 reviews (each review with both card states whole) become
  one compact line per review, a compressed file per past day (see ``layout`` and ``logline``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hipquiz.core.errors import RecordError, StoreError
from hipquiz.core.model import CardProgress
from hipquiz.core.store import files
from hipquiz.core.store.backends import Backend, FileBackend, MemoryBackend
from hipquiz.core.store.consistency import unapplied_reviews
from hipquiz.core.store.layout import (
    CARDS_DIR,
    INDEX_NAME,
    LOG_DIR,
    META_NAME,
    SCHEMA_VERSION,
    SHARD_FILE,
    TOTALS_NAME,
    V1_MIGRATED_NAME,
    V1_NAME,
    layout_files,
    remove_temp_files,
    shard_name,
    utc_day,
    v2_log_files,
)
from hipquiz.core.store.records import (
    by_id,
    card_from,
    cards_table,
    meta_from,
    review_from,
    reviews_table,
    v1_contents,
)

# A history larger than this (schema 2's log: about 2,000 reviews, a second or more to convert) is
# said to be converted before the conversion starts, rather than leaving a blank terminal.
LONG_HISTORY_BYTES = 2_000_000

Contents = dict[str, Any]  # relative path -> the file's TinyDB tables (or bytes, or its Path: read when used)
Migration = Callable[[Contents, Path], Contents]


def v1_to_v2(contents: Contents, data_dir: Path) -> Contents:
    """Schema 1 kept everything in one ``progress.json``; schema 2 has meta, card shards and log days."""
    cards, reviews, settings, aliases = v1_contents(data_dir / V1_NAME, contents[V1_NAME])
    v2: Contents = {META_NAME: {"meta": {"1": {"schema": 2, "app": "hipquiz"}},
                                "settings": {"1": dict(settings)},
                                "aliases": {"1": {k: list(v) for k, v in aliases.items()}}}}
    for progress in cards:
        table = v2.setdefault(shard_name(progress.card_id), {"cards": {}})["cards"]
        table[str(len(table) + 1)] = progress.to_dict()
    for review, after in reviews:
        table = v2.setdefault(f"{LOG_DIR}/{utc_day(review.reviewed_at)}.json", {"reviews": {}})["reviews"]
        table[str(len(table) + 1)] = {**review.to_dict(), **({"after": after} if after is not None else {})}
    return v2


def v2_to_v3(contents: Contents, data_dir: Path) -> Contents:
    """Schema 2's log files become compact lines; a review saved whose card was never updated (a
    crash between schema 2's two writes) is rolled forward on the way."""
    meta_path = data_dir / META_NAME
    _, settings, aliases = meta_from(meta_path, contents[META_NAME])
    cards: dict[str, CardProgress] = {}
    reviews = []
    for rel, tables in contents.items():
        path = data_dir / rel
        if rel.startswith(CARDS_DIR + "/"):
            for _, doc in by_id(cards_table(path, tables)):
                card = card_from(path, doc)
                cards[card.card_id] = card
        elif rel.startswith(LOG_DIR + "/"):
            if isinstance(tables, Path):  # (read one at a time: never the whole history's tables)
                tables = files.read_tables(tables)
            for doc_id, doc in by_id(reviews_table(path, tables)):
                entry = review_from(path, doc_id, doc)
                reviews.append((entry.review, entry.after))
    for card_id, (_review, after) in unapplied_reviews(cards, reviews).items():
        cards[card_id] = CardProgress.from_dict(after)
    return layout_files(sorted(cards.values(), key=lambda c: c.card_id), reviews, settings, aliases)


#: schema N -> the function that turns schema N's files into schema N + 1's.
MIGRATIONS: dict[int, Migration] = {1: v1_to_v2, 2: v2_to_v3}


def stored_schema(data_dir: Path) -> int | None:
    """The schema of a store that needs migrating (None for a current or new store)."""
    meta = data_dir / META_NAME
    if not meta.exists():
        return 1 if (data_dir / V1_NAME).exists() else None
    schema, _, _ = meta_from(meta, files.read_tables(meta))
    return schema if schema < SCHEMA_VERSION else None


def _read_schema(data_dir: Path, schema: int) -> Contents:
    if schema == 1:
        tables = files.read_tables(data_dir / V1_NAME)
        assert tables is not None
        return {V1_NAME: tables}
    if schema == 2:
        contents: Contents = {META_NAME: files.read_tables(data_dir / META_NAME)}
        shards = sorted(p.name for p in (data_dir / CARDS_DIR).iterdir()
                        if SHARD_FILE.match(p.name)) if (data_dir / CARDS_DIR).is_dir() else []
        for rel in [Path(CARDS_DIR) / n for n in shards]:
            contents[str(rel)] = files.read_tables(data_dir / rel)
        for rel in v2_log_files(data_dir):
            contents[str(rel)] = data_dir / rel  # read by v2_to_v3, one file at a time
        return contents
    raise AssertionError(f"no reader for schema {schema}")  # pragma: no cover - a new schema adds one


def _newest_review(contents: Contents) -> tuple[int, str | None]:
    """(how many reviews, the id of the last one) in the migrated log: what schema 2's totals
    name as their fingerprint."""
    count, last = 0, None
    for rel in sorted(r for r in contents if r.startswith(LOG_DIR + "/")):
        for line in files.unseal(Path(rel), contents[rel]).splitlines():
            doc = json.loads(line)
            if "id" in doc:
                count, last = count + 1, doc["id"]
    return count, last


def _carry_totals(data_dir: Path, schema_before: int, newest: tuple[int, str | None]) -> None:
    """Keep schema 2's statistics totals when they matched its log (its own fingerprint: the count
    and the newest review), saved with the new log's stamp; else drop them, to be counted again.
    A large history is then not read whole at the first start after the upgrade."""
    from hipquiz.core.history import ReviewHistory  # (only when migrating)

    path = data_dir / LOG_DIR / TOTALS_NAME
    try:
        old = files.read_cache(path) if schema_before == 2 else None
        totals = ReviewHistory.from_dict(old)
        if totals.fingerprint != newest:
            raise ValueError("stale")
    except (OSError, ValueError, StoreError, RecordError, RecursionError):
        path.unlink(missing_ok=True)
        return
    FileBackend(data_dir, False, "").save_totals({"stamp": FileBackend(data_dir, False, "").log_stamp(),
                                                  "totals": totals.to_dict()})


def _remove_v2_leftovers(data_dir: Path) -> None:
    """Schema 2's log files and caches, once meta.json says schema 3 (also after a crash that
    came between writing meta.json and removing them)."""
    for rel in v2_log_files(data_dir):
        (data_dir / rel).unlink(missing_ok=True)
    (data_dir / LOG_DIR / INDEX_NAME).unlink(missing_ok=True)  # last: the sign that some are left


def _history_bytes(data_dir: Path, schema: int) -> int:
    if schema == 1:
        return (data_dir / V1_NAME).stat().st_size
    return sum((data_dir / rel).stat().st_size for rel in v2_log_files(data_dir))


def migrate(data_dir: Path, read_only: bool, reason: str, now: Callable[[], datetime],
            notice: Callable[[str], None] = lambda _: None) -> Backend | None:
    """Migrate the store in ``data_dir`` when it is older than this hipquiz; None when it is not.

    Keeps a zip of the old files first (``backups/before-schema-3-DATE.zip``, see
    ``keep_before_migration``), writes the new files, meta.json last, and only then removes the old
    ones: a crash before meta.json leaves the old store (with new files it ignores; the migration
    is redone), a crash after it leaves old files the next open removes. ``notice`` is told where
    the copy is, and, before a long history is converted, that it is.
    """
    schema = stored_schema(data_dir)
    if schema is None:
        if not read_only and (data_dir / LOG_DIR / INDEX_NAME).exists():
            _remove_v2_leftovers(data_dir)
        return None
    if _history_bytes(data_dir, schema) > LONG_HISTORY_BYTES:
        notice(f"converting your history in {data_dir} to the new format"
               + (" (in memory: the folder cannot be changed now)" if read_only else " (done once)")
               + "...")
    contents = _read_schema(data_dir, schema)
    schema_before = schema
    while schema < SCHEMA_VERSION:
        contents = MIGRATIONS[schema](contents, data_dir)
        schema += 1
    if read_only:
        backend = MemoryBackend(True, reason)
        backend.load(contents)
        return backend
    remove_temp_files(data_dir)
    newest = _newest_review(contents)
    meta = contents.pop(META_NAME)
    try:
        from hipquiz.core.store.backups import keep_before_migration  # (only when migrating)

        kept = keep_before_migration(data_dir, SCHEMA_VERSION, now)
        for rel in ((data_dir / CARDS_DIR).iterdir() if (data_dir / CARDS_DIR).is_dir() else []):
            if SHARD_FILE.match(rel.name) and f"{CARDS_DIR}/{rel.name}" not in contents:
                rel.unlink()  # (every card is rewritten; a card file left with none goes)
        for rel, content in contents.items():
            data = content if isinstance(content, bytes) else files.encode_tables(content)
            files.atomic_write(data_dir / rel, data)
        if schema_before >= 2:  # the sign for _remove_v2_leftovers, should a crash come next
            files.atomic_write(data_dir / LOG_DIR / INDEX_NAME, b"{}")
        files.atomic_write(data_dir / META_NAME, files.encode_tables(meta))
        _remove_v2_leftovers(data_dir)
        _carry_totals(data_dir, schema_before, newest)
        if (data_dir / V1_NAME).exists():
            os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
    except OSError as exc:
        raise files.write_failed(data_dir, exc) from exc
    notice(f"converted {data_dir} to this hipquiz's format; the files as they were are kept in "
           f"{kept} ('hipquiz backup restore {kept.stem}' puts them back)")
    return FileBackend(data_dir, False, reason)
