"""Where everything lives in a data folder, and the file contents of a complete store::

    data_dir/
      hipquiz.lock          single-writer lock (flock); holds the writer's pid
      meta.json             schema version, settings, aliases
      cards/00.json..63.json  card states, sharded by a hash of the card id: a checkpoint, written
                            when the writer closes (and at a new day, an undo, a suspend...)
      cards/index.tsv       where each card is in its card file and what decides whether it is due
                            (a cache written at close, checked against the card files' bytes at
                            open: a card file it does not describe is read whole; see ``cardindex``)
      log/YYYY-MM-DD.jsonl  the review log of one UTC day (of ``reviewed_at``), append-only: one
                            JSON document per line, each save appends one line and fsyncs once; a
                            torn last line (a crash mid-save) is dropped at the next open
      log/YYYY-MM-DD.jsonl.gz  a past day's log, compressed when the writer closes (a day may have
                            both: reviews logged late, with a clock behind, go to a new .jsonl)
      log/pending.json      the lines of one .jsonl file not yet in the card files (day, byte offset);
                            the next open replays them (absent: the card files hold everything)
      log/totals.json       running totals of the log per study day and deck, for the statistics
                            (a cache: rebuilt from the log when missing or stale)
      backups/YYYY-MM-DD.zip  daily compressed copies of the files above (the last ``backups_keep``)
                            (older versions kept ``YYYY-MM-DD/`` folders: still listed and restored)
      broken-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz doctor --repair``
      replaced-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz backup restore``

A log line (see ``logline``) holds the review and the card's state after it; the state before it
only as the fields that differ. Schema 2 kept TinyDB files of 200 reviews each,
``log/YYYY-MM-DD[.N].json``, rewritten whole on every save; ``migrations`` converts it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreError
from hipquiz.core.model import CardProgress, ReviewRecord
from hipquiz.core.store import files, logline
from hipquiz.core.store.files import TMP_SUFFIX

SCHEMA_VERSION = 3
SHARDS = 64

LOCK_NAME = "hipquiz.lock"
META_NAME = "meta.json"
V1_NAME = "progress.json"
V1_MIGRATED_NAME = "progress.json.migrated-v1"
CARDS_DIR = "cards"
LOG_DIR = "log"
INDEX_NAME = "index.json"  # schema 2's cache of review counts (removed by the migration)
CARD_INDEX = "cards/index.tsv"  # a cache: where each card is in its card file, and its brief
TOTALS_NAME = "totals.json"
PENDING_NAME = "pending.json"
BACKUPS_DIR = "backups"

LOG_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.jsonl(\.gz)?$")
SHARD_FILE = re.compile(r"^(\d{2})\.json$")
# Texts, for re.match (compiled by re when first used): schema 2's log files are read only to
# migrate them, backups only once the first screen is up.
V2_LOG_FILE = r"^(\d{4}-\d{2}-\d{2})(?:\.([2-9]|[1-9]\d+))?\.json$"
BACKUP_FOLDER = r"^\d{4}-\d{2}-\d{2}$"


def shard_name(card_id: str) -> str:
    import hashlib  # (here: a start whose cards are all in the card index needs no hashlib)

    digest = hashlib.sha1(card_id.encode("utf-8")).digest()
    return f"{CARDS_DIR}/{int.from_bytes(digest[:4], 'big') % SHARDS:02d}.json"


def plain_name(day: str) -> str:
    """The appendable log file of ``day``."""
    return f"{LOG_DIR}/{day}.jsonl"


def sealed_name(day: str) -> str:
    """The compressed log file of ``day`` (immutable once written)."""
    return f"{LOG_DIR}/{day}.jsonl.gz"


def log_day(name: str) -> str:
    """The UTC day of a log file name or relative path."""
    match = LOG_FILE.match(name.rsplit("/", 1)[-1])
    if match is None:
        raise ValueError(f"not a log file name: {name!r}")
    return match.group(1)


def v2_log_key(name: str) -> tuple[str, int]:
    """(day, chunk) of a schema-2 log file name: sorts in the order the reviews were logged."""
    match = re.match(V2_LOG_FILE, name.rsplit("/", 1)[-1])
    if match is None:
        raise ValueError(f"not a schema-2 log file name: {name!r}")
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
    for name in (META_NAME, V1_NAME, CARD_INDEX):
        path = root / name
        if (path.is_symlink() or path.exists()) and not _regular(path):
            found.append(Path(name))
    for folder, pattern in ((CARDS_DIR, SHARD_FILE), (LOG_DIR, LOG_FILE), (LOG_DIR, V2_LOG_FILE)):
        if (root / folder).is_dir() and not (root / folder).is_symlink():
            found.extend(Path(folder) / p.name for p in sorted((root / folder).iterdir())
                         if re.match(pattern, p.name) and not _regular(p))
    return found


def store_files(root: Path) -> list[Path]:
    """The files that make up a store (what backups copy and repair keeps), relative to ``root``."""
    found: list[Path] = []
    for name in (META_NAME, V1_NAME):
        if _regular(root / name):
            found.append(Path(name))
    for folder, pattern in ((CARDS_DIR, SHARD_FILE), (LOG_DIR, LOG_FILE)):
        if (root / folder).is_dir():
            found.extend(Path(folder) / name for name in sorted(
                p.name for p in (root / folder).iterdir() if pattern.match(p.name) and _regular(p)))
    if _regular(root / LOG_DIR / PENDING_NAME):
        found.append(Path(LOG_DIR) / PENDING_NAME)
    return found + v2_log_files(root)  # (a schema-2 store being migrated, repaired or backed up)


def v2_log_files(root: Path) -> list[Path]:
    """A schema-2 store's log files, in the order their reviews were logged."""
    folder = root / LOG_DIR
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if re.match(V2_LOG_FILE, p.name) and _regular(p)),
                   key=v2_log_key)
    return [Path(LOG_DIR) / name for name in names]


def layout_files(cards: Iterable[CardProgress], reviews: Iterable[tuple[ReviewRecord, dict | None]],
                 settings: dict[str, Any], aliases: dict[str, list[str]]) -> dict[str, Any]:
    """File name -> contents of a complete store (used by migration, repair and benchmarks): TinyDB
    tables for meta.json and the card files, bytes for the log (every day sealed: a .gz)."""
    contents: dict[str, Any] = {
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
    days: dict[str, list[bytes]] = {}
    for review, after in reviews:
        days.setdefault(utc_day(review.reviewed_at), []).append(logline.encode_review(review, after))
    for day, lines in days.items():
        contents[sealed_name(day)] = files.seal(b"".join(lines))
    return contents


def write_contents(data_dir: Path, contents: dict[str, Any], *, durable: bool = True) -> None:
    """Write what ``layout_files`` gives (meta.json last: the store exists once it does)."""
    meta = contents.get(META_NAME)
    for name, content in contents.items():
        if name != META_NAME:
            data = content if isinstance(content, bytes) else files.encode_tables(content)
            files.atomic_write(data_dir / name, data, durable=durable)
    if meta is not None:
        files.atomic_write(data_dir / META_NAME, files.encode_tables(meta))


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
    write_contents(data_dir, layout_files(cards, pairs, settings or {}, aliases or {}), durable=durable)


def refuse_blocked_backups(data_dir: Path) -> None:
    """Raise StoreError when a file stands where the backups folder goes: said at open (a stat),
    not discovered later in a worker where nobody would read it."""
    backups = Path(data_dir) / BACKUPS_DIR
    if backups.exists() and not backups.is_dir():
        raise StoreError(f"{backups} is a file where hipquiz keeps its backups folder: move it away")


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

