"""Where everything lives in a data folder, and the file contents of a complete store::

    data_dir/
      hipquiz.lock          single-writer lock (flock); holds the writer's pid
      meta.json             schema version, settings, aliases
      cards/00.json..63.json  card states, sharded by a hash of the card id
      log/YYYY-MM-DD.json   the review log, by UTC day of ``reviewed_at``: the day's first
      log/YYYY-MM-DD.2.json   200 reviews, then the next 200, ... (``LOG_CHUNK`` per file, so
                            one save never rewrites more than 200 reviews, however busy the day)
      log/index.json        a cache of review counts per log file (safe to delete)
      log/totals.json       running totals of the log per study day and deck, for the statistics
                            (a cache like index.json: rebuilt from the log when missing or stale)
      backups/YYYY-MM-DD.zip  daily compressed copies of the files above (the last ``backups_keep``);
                            ``.snap-YYYY-MM-DD/`` is today's, hard-linked at open until it is zipped
                            (older versions kept ``YYYY-MM-DD/`` folders: still listed and restored)
      broken-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz doctor --repair``
      replaced-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz backup restore``

One save rewrites one small file, whatever the history size.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreError
from hipquiz.core.model import CardProgress, ReviewRecord
from hipquiz.core.store import files
from hipquiz.core.store.files import TMP_SUFFIX

SCHEMA_VERSION = 2
SHARDS = 64
LOG_CHUNK = 200  # reviews per log file; a busy day continues in YYYY-MM-DD.2.json, .3.json, ...

LOCK_NAME = "hipquiz.lock"
META_NAME = "meta.json"
V1_NAME = "progress.json"
V1_MIGRATED_NAME = "progress.json.migrated-v1"
CARDS_DIR = "cards"
LOG_DIR = "log"
INDEX_NAME = "index.json"
TOTALS_NAME = "totals.json"
BACKUPS_DIR = "backups"

LOG_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([2-9]|[1-9]\d+))?\.json$")
SHARD_FILE = re.compile(r"^(\d{2})\.json$")
BACKUP_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def shard_name(card_id: str) -> str:
    digest = hashlib.sha1(card_id.encode("utf-8")).digest()
    return f"{CARDS_DIR}/{int.from_bytes(digest[:4], 'big') % SHARDS:02d}.json"


LogKey = tuple[str, int]  # (UTC day, chunk number from 1): one log file


def log_name(day: str, chunk: int = 1) -> str:
    """The log file holding chunk ``chunk`` of ``day``: ``log/DAY.json``, then ``log/DAY.2.json``..."""
    return f"{LOG_DIR}/{day}.json" if chunk == 1 else f"{LOG_DIR}/{day}.{chunk}.json"


def day_name(day: str) -> str:
    """The first log file of ``day``."""
    return log_name(day)


def log_key(name: str) -> LogKey:
    """(day, chunk) of a log file name or relative path; sorts in the order the reviews were logged."""
    match = LOG_FILE.match(name.rsplit("/", 1)[-1])
    if match is None:
        raise ValueError(f"not a log file name: {name!r}")
    return match.group(1), int(match.group(2) or 1)


def utc_day(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("reviewed_at must be timezone-aware")
    return moment.astimezone(timezone.utc).date().isoformat()


def _regular(path: Path) -> bool:
    """A regular file and not a link: links and special files are never copied or read as ours."""
    return path.is_file() and not path.is_symlink()


def strangers(root: Path) -> list[Path]:
    """Entries named like store files that are links, FIFOs, devices or folders (doctor names them,
    repair moves them aside)."""
    found: list[Path] = []
    for name in (META_NAME, V1_NAME):
        path = root / name
        if (path.is_symlink() or path.exists()) and not _regular(path):
            found.append(Path(name))
    for folder, pattern in ((CARDS_DIR, SHARD_FILE), (LOG_DIR, LOG_FILE)):
        if (root / folder).is_dir() and not (root / folder).is_symlink():
            found.extend(Path(folder) / p.name for p in sorted((root / folder).iterdir())
                         if pattern.match(p.name) and not _regular(p))
    return found


def store_files(root: Path) -> list[Path]:
    """The files that make up a store (what backups copy and repair keeps), relative to ``root``."""
    found: list[Path] = []
    for name in (META_NAME, V1_NAME):
        if _regular(root / name):
            found.append(Path(name))
    for folder, pattern in ((CARDS_DIR, SHARD_FILE), (LOG_DIR, LOG_FILE)):
        if (root / folder).is_dir():
            names = sorted((p.name for p in (root / folder).iterdir()
                            if pattern.match(p.name) and _regular(p)),
                           key=log_key if folder == LOG_DIR else None)
            found.extend(Path(folder) / name for name in names)
    return found


def layout_files(cards: Iterable[CardProgress], reviews: Iterable[tuple[ReviewRecord, dict | None]],
                 settings: dict[str, Any], aliases: dict[str, list[str]]) -> dict[str, dict]:
    """File name -> TinyDB tables for a complete store (used by migration, repair and benchmarks)."""
    contents: dict[str, dict] = {
        META_NAME: {
            "meta": {"1": {"schema": SCHEMA_VERSION, "app": "hipquiz"}},
            "settings": {"1": dict(settings)},
            "aliases": {"1": {k: list(v) for k, v in aliases.items()}},
        }
    }
    shards: dict[str, dict[str, Any]] = {}
    for progress in cards:
        table = shards.setdefault(shard_name(progress.card_id), {})
        table[str(len(table) + 1)] = progress.to_dict()
    for name, table in shards.items():
        contents[name] = {"cards": table}
    days: dict[str, list[dict[str, Any]]] = {}
    for review, after in reviews:
        doc = review.to_dict()
        if after is not None:
            doc["after"] = after
        days.setdefault(utc_day(review.reviewed_at), []).append(doc)
    for day, docs in days.items():
        for start in range(0, len(docs), LOG_CHUNK):
            chunk = docs[start:start + LOG_CHUNK]
            contents[log_name(day, start // LOG_CHUNK + 1)] = {
                "reviews": {str(i + 1): doc for i, doc in enumerate(chunk)}}
    return contents


def write_store(data_dir: Path, cards: Iterable[CardProgress],
                reviews: Iterable[tuple[ReviewRecord, CardProgress | None]], *,
                settings: dict[str, Any] | None = None, aliases: dict[str, list[str]] | None = None,
                durable: bool = True) -> None:
    """Bulk-write a complete new store into an empty ``data_dir`` (benchmarks, imports, tests).

    ``reviews`` pairs each review with the card's state after it (or None). Not for a folder that
    already holds a store: it refuses one.
    """
    data_dir = Path(data_dir)
    if (data_dir / META_NAME).exists() or (data_dir / V1_NAME).exists():
        raise StoreError(f"{data_dir} already holds a hipquiz store; write_store only fills new folders")
    pairs = ((r, a.to_dict() if a is not None else None) for r, a in reviews)
    contents = layout_files(cards, pairs, settings or {}, aliases or {})
    meta = contents.pop(META_NAME)
    for name, tables in contents.items():
        files.atomic_write(data_dir / name, files.encode_tables(tables), durable=durable)
    files.atomic_write(data_dir / META_NAME, files.encode_tables(meta))  # last: the store exists once it does


def index_key(key: LogKey) -> str:
    """A log file's name without ``.json``: its key in ``log/index.json``."""
    return log_name(*key)[len(LOG_DIR) + 1:-len(".json")]


def remove_temp_files(data_dir: Path) -> None:
    """Temporary files left by a process killed mid-write (the real files are intact)."""
    for folder in (data_dir, data_dir / CARDS_DIR, data_dir / LOG_DIR):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(TMP_SUFFIX):
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass
    backups = data_dir / BACKUPS_DIR
    if backups.is_dir():
        for child in backups.iterdir():
            if child.name.startswith(".tmp-"):
                shutil.rmtree(child, ignore_errors=True)

