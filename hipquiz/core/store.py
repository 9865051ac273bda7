"""The progress store: card states, the review log, settings and aliases, kept in TinyDB files.

This is the only module that imports TinyDB. What it guarantees, and how:

* **Atomic, durable writes.** :class:`AtomicJSONStorage` keeps a file's data in memory after the first
  read and writes a whole new file beside the old one (flush, fsync), renames it over the old one and
  fsyncs the folder. A failed write leaves the old file as it was and raises :class:`StoreError`.
* **Bounded files.** One save rewrites one small file, whatever the history size::

      data_dir/
        hipquiz.lock          single-writer lock (flock); holds the writer's pid
        meta.json             schema version, settings, aliases
        cards/00.json..63.json  card states, sharded by a hash of the card id
        log/YYYY-MM-DD.json   the review log, by UTC day of ``reviewed_at``: the day's first
        log/YYYY-MM-DD.2.json   200 reviews, then the next 200, ... (``LOG_CHUNK`` per file, so
                              one save never rewrites more than 200 reviews, however busy the day)
        log/index.json        a cache of review counts per log file (safe to delete)
        backups/YYYY-MM-DD/   daily full copies of the files above (the last ``backups_keep``)
        broken-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz doctor --repair``
        replaced-YYYYmmdd-HHMMSS/  the files as they were before ``hipquiz backup restore``

* **Crash consistency between files.** ``record_review`` writes the log first (the review plus the
  card's new state as ``after``) and the card shard second. If the process dies in between, the next
  open sees that the newest review's card still holds ``previous`` and rolls it forward to ``after``.
  ``undo_last_review`` restores the card first and removes the review second, so a crash in between
  leaves the review in place (the undo did not happen) and the roll-forward keeps both files agreeing.
* **One writer.** ``Store.open`` takes an exclusive ``flock`` on ``hipquiz.lock``; the kernel drops it
  when the holder dies, so a stale lock is taken over without any clean-up. Read-only opens take no
  lock: every file is replaced atomically, so a reader never sees half a file.
* **Never overwrite what we cannot read.** Every file is validated when first read (card shards and
  meta at open, log files when first needed): it must hold exactly hipquiz's tables and every
  document must pass ``CardProgress.from_dict`` / ``ReviewRecord.from_dict``, so valid JSON written
  by something else is refused too. A bad file raises :class:`StoreCorrupt` and is left as it is.
  ``check_store`` / ``repair_store`` (``hipquiz doctor``) inspect and salvage; card states lost with a
  damaged card file are rebuilt from the ``after`` of each card's newest review in the log.
* **Backups share nothing with the live files.** Each daily backup is a full, fsynced copy, so a file
  damaged in place (truncated, saved over by an editor, a bad disk) cannot damage its backups.
"""

from __future__ import annotations

import bisect
import copy
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from hipquiz.core.history import ReviewHistory
from hipquiz.core.model import CardProgress, RecordError, ReviewRecord, utc_now

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SCHEMA_VERSION = 2
SHARDS = 64
LOG_CHUNK = 200  # reviews per log file; a busy day continues in YYYY-MM-DD.2.json, .3.json, ...
DEFAULT_BACKUPS_KEEP = 7

LOCK_NAME = "hipquiz.lock"
META_NAME = "meta.json"
V1_NAME = "progress.json"
V1_MIGRATED_NAME = "progress.json.migrated-v1"
CARDS_DIR = "cards"
LOG_DIR = "log"
INDEX_NAME = "index.json"
BACKUPS_DIR = "backups"

_LOG_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.([2-9]|[1-9]\d+))?\.json$")
_SHARD_FILE = re.compile(r"^(\d{2})\.json$")
_BACKUP_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TMP_SUFFIX = ".tmp"
_ADVICE = "run 'hipquiz doctor --repair' or restore a backup with 'hipquiz backup list'"


# --------------------------------------------------------------------------------------------------
# Errors


class StoreError(Exception):
    """Something is wrong with the stored data or the folder; ``str()`` is one line saying what to do."""


class StoreLocked(StoreError):
    def __init__(self, path: Path, pid: int | None) -> None:
        self.path = Path(path)
        self.pid = pid
        who = f"another hipquiz (pid {pid})" if pid else "another hipquiz"
        super().__init__(
            f"{who} is using {self.path}; close it first, or use read-only commands like 'hipquiz stats'"
        )


class StoreCorrupt(StoreError):
    def __init__(self, path: Path, reason: str, advice: str = _ADVICE) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"progress file {self.path} {reason}: {advice}")

    @property
    def problem(self) -> str:
        """The short form used in ``check_store`` listings."""
        return f"{self.path} {self.reason}"


class StoreTooNew(StoreCorrupt):
    def __init__(self, path: Path, version: int) -> None:
        self.version = version
        super().__init__(
            path,
            f"was written by a newer hipquiz (schema {version}; this one knows {SCHEMA_VERSION})",
            "upgrade hipquiz to use it (nothing was changed)",
        )


class StoreNotAFolder(StoreError):
    """The data folder given (``--data`` / ``HIPQUIZ_DATA``) is a file, or lies inside one.

    A mistake in the argument rather than damaged data: the CLI may treat it as a usage error.
    """

    def __init__(self, data_dir: Path, culprit: Path) -> None:
        self.path = Path(data_dir)
        self.culprit = Path(culprit)
        where = (f"the data folder {self.path} is a file, not a folder" if self.culprit == self.path
                 else f"the data folder {self.path} is inside {self.culprit}, which is a file")
        super().__init__(f"{where}: pass a folder to --data (or HIPQUIZ_DATA)")


def require_folder(data_dir: Path) -> None:
    """Raise :class:`StoreNotAFolder` when ``data_dir`` (or the nearest part of it that exists) is not
    a folder. A folder that does not exist yet is fine."""
    data_dir = Path(data_dir)
    for candidate in (data_dir, *data_dir.parents):
        try:
            mode = os.stat(candidate).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError:
            return  # (permissions and the like are reported by whatever reads or writes next)
        if not stat.S_ISDIR(mode):
            raise StoreNotAFolder(data_dir, candidate)
        return


def _os_error_text(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    return exc.strerror or str(exc)


def _write_failed(path: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"could not save {path} ({_os_error_text(exc)}); the previous version is intact - "
        "free some space or fix the folder's permissions and try again"
    )


# --------------------------------------------------------------------------------------------------
# Low-level file helpers


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms that cannot open folders (Windows)
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that the path holds either the old or the new bytes, never a mix.

    Raises OSError; the old file is untouched and no temporary file is left behind.
    """
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_dir(folder)


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _encode_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """TinyDB's JSON layout, one document per line: small diffs, readable, and salvageable by line."""
    encode = _ENCODER.encode  # one encoder for all documents: json.dumps(**options) builds one per call
    tables = []
    for name, table in data.items():
        docs = ",\n".join(f"{encode(str(doc_id))}: {encode(doc)}" for doc_id, doc in table.items())
        tables.append(f"{encode(name)}: {{\n{docs}\n}}" if docs else f"{encode(name)}: {{}}")
    return ("{" + ",\n".join(tables) + "}\n").encode("utf-8")


def _decode_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse and shape-check a TinyDB file; raises StoreCorrupt naming ``path``."""
    if not raw.strip():
        raise StoreCorrupt(path, "is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreCorrupt(path, "is not a text file (binary data)") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreCorrupt(path, f"is not valid JSON (line {exc.lineno})") from None
    except RecursionError:
        raise StoreCorrupt(path, "is not a hipquiz file (nested too deeply)") from None
    if not isinstance(data, dict):
        raise StoreCorrupt(path, f"is not a hipquiz file (a JSON {type(data).__name__}, not tables)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise StoreCorrupt(path, f"is not a hipquiz file (table {name!r} is not an object)")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise StoreCorrupt(path, f"is not a hipquiz file (bad document {doc_id!r} in {name!r})")
    return data


def _read_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise StoreCorrupt(path, "is a folder, not a file") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({_os_error_text(exc)})") from None
    return _decode_tables(path, raw)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads its file once, validates it, and replaces it atomically on write.

    ``TinyDB(path, storage=AtomicJSONStorage)``. Reading a missing file gives an empty database (the
    file is only created by the first write). An unreadable file raises :class:`StoreCorrupt` on the
    first read, so TinyDB never gets to write over it.
    """

    def __init__(self, path: str | os.PathLike[str], *, read_only: bool = False,
                 read_only_reason: str = "") -> None:
        super().__init__()
        self.path = Path(path)
        self.read_only = read_only
        self.read_only_reason = read_only_reason or f"{self.path} was opened read-only"
        self._data: dict[str, dict[str, Any]] | None = None
        self._loaded = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        if not self._loaded:
            self._data = _read_tables(self.path)
            self._loaded = True
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.read_only:
            self.forget()
            raise StoreError(self.read_only_reason)
        try:
            payload = _encode_tables(data)
            _atomic_write(self.path, payload)
        except OSError as exc:
            # TinyDB changed the cached dict in place before calling us: drop it, re-read the
            # (intact) file next time.
            self.forget()
            raise _write_failed(self.path, exc) from exc
        except (TypeError, ValueError) as exc:
            self.forget()
            raise StoreError(f"could not save {self.path}: a value is not JSON ({exc})") from exc
        self._data = data
        self._loaded = True

    def forget(self) -> None:
        """Drop the in-memory copy; the next read goes back to the file."""
        self._data = None
        self._loaded = False


def _put_single(table: Table, data: dict[str, Any]) -> None:
    """Replace the one document (id 1) of a single-document table."""

    def replace(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(data)

    if table.contains(doc_id=1):
        table.update(replace, doc_ids=[1])
    else:
        table.insert(Document(data, doc_id=1))


def _replace_doc(data: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(data)

    return replace


# --------------------------------------------------------------------------------------------------
# Layout


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


def _log_key(name: str) -> LogKey:
    """(day, chunk) of a log file name or relative path; sorts in the order the reviews were logged."""
    match = _LOG_FILE.match(name.rsplit("/", 1)[-1])
    if match is None:
        raise ValueError(f"not a log file name: {name!r}")
    return match.group(1), int(match.group(2) or 1)


def _utc_day(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("reviewed_at must be timezone-aware")
    return moment.astimezone(timezone.utc).date().isoformat()


def _store_files(root: Path) -> list[Path]:
    """The files that make up a store (what backups copy and repair keeps), relative to ``root``."""
    found: list[Path] = []
    for name in (META_NAME, V1_NAME):
        if (root / name).is_file():
            found.append(Path(name))
    for folder, pattern in ((CARDS_DIR, _SHARD_FILE), (LOG_DIR, _LOG_FILE)):
        if (root / folder).is_dir():
            names = sorted((p.name for p in (root / folder).iterdir()
                            if pattern.match(p.name) and p.is_file()),
                           key=_log_key if folder == LOG_DIR else None)
            found.extend(Path(folder) / name for name in names)
    return found


def _layout(cards: Iterable[CardProgress], reviews: Iterable[tuple[ReviewRecord, dict | None]],
            settings: dict[str, Any], aliases: dict[str, list[str]]) -> dict[str, dict]:
    """File name -> TinyDB tables for a complete store (used by migration, repair and benchmarks)."""
    files: dict[str, dict] = {
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
        files[name] = {"cards": table}
    days: dict[str, list[dict[str, Any]]] = {}
    for review, after in reviews:
        doc = review.to_dict()
        if after is not None:
            doc["after"] = after
        days.setdefault(_utc_day(review.reviewed_at), []).append(doc)
    for day, docs in days.items():
        for start in range(0, len(docs), LOG_CHUNK):
            chunk = docs[start:start + LOG_CHUNK]
            files[log_name(day, start // LOG_CHUNK + 1)] = {
                "reviews": {str(i + 1): doc for i, doc in enumerate(chunk)}}
    return files


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
    files = _layout(cards, pairs, settings or {}, aliases or {})
    meta = files.pop(META_NAME)
    for name, tables in files.items():
        _atomic_write(data_dir / name, _encode_tables(tables), durable=durable)
    _atomic_write(data_dir / META_NAME, _encode_tables(meta))  # last: the store exists once it does


# --------------------------------------------------------------------------------------------------
# Backends: real files, or TinyDB's MemoryStorage for tests


class _Backend:
    def __init__(self, read_only: bool = False, read_only_reason: str = "") -> None:
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._dbs: dict[str, TinyDB] = {}

    def db(self, rel: str) -> TinyDB:
        raise NotImplementedError

    def path(self, rel: str) -> Path:
        raise NotImplementedError

    def exists(self, rel: str) -> bool:
        raise NotImplementedError

    def list(self, folder: str, pattern: re.Pattern[str]) -> list[str]:
        raise NotImplementedError

    def forget(self, rel: str) -> None:
        """Drop cached contents after a failed write."""

    def peek(self, rel: str) -> dict[str, dict[str, Any]] | None:
        """A file's tables without keeping them in memory (for files read once, like old log days)."""
        return self.db(rel).storage.read()

    def close(self) -> None:
        pass


class _FileBackend(_Backend):
    def __init__(self, root: Path, read_only: bool, read_only_reason: str) -> None:
        super().__init__(read_only, read_only_reason)
        self.root = root

    def db(self, rel: str) -> TinyDB:
        db = self._dbs.get(rel)
        if db is None:
            db = TinyDB(str(self.root / rel), storage=AtomicJSONStorage, read_only=self.read_only,
                        read_only_reason=self.read_only_reason)
            self._dbs[rel] = db
        return db

    def path(self, rel: str) -> Path:
        return self.root / rel

    def exists(self, rel: str) -> bool:
        return (self.root / rel).is_file()

    def list(self, folder: str, pattern: re.Pattern[str]) -> list[str]:
        try:
            names = os.listdir(self.root / folder)
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            raise StoreCorrupt(self.root / folder, "is a file, not a folder",
                               f"move it out of {self.root} (hipquiz keeps its {folder} files in a "
                               "folder of that name)") from None
        return sorted(f"{folder}/{n}" for n in names if pattern.match(n))

    def forget(self, rel: str) -> None:
        db = self._dbs.get(rel)
        if db is not None:
            db.storage.forget()  # type: ignore[attr-defined]

    def peek(self, rel: str) -> dict[str, dict[str, Any]] | None:
        db = self._dbs.get(rel)
        if db is not None and db.storage._loaded:  # type: ignore[attr-defined]
            return db.storage.read()
        return _read_tables(self.root / rel)

    def close(self) -> None:
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()


class _MemoryBackend(_Backend):
    def db(self, rel: str) -> TinyDB:
        db = self._dbs.get(rel)
        if db is None:
            db = self._dbs[rel] = TinyDB(storage=MemoryStorage)
        return db

    def path(self, rel: str) -> Path:
        return Path("<memory>") / rel

    def exists(self, rel: str) -> bool:
        db = self._dbs.get(rel)
        return db is not None and db.storage.read() is not None

    def list(self, folder: str, pattern: re.Pattern[str]) -> list[str]:
        return sorted(rel for rel in self._dbs
                      if rel.startswith(folder + "/") and pattern.match(rel[len(folder) + 1:])
                      and self.exists(rel))

    def load(self, files: dict[str, dict]) -> None:
        for rel, tables in files.items():
            self.db(rel).storage.memory = tables  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# Validation of documents


def _only_table(path: Path, tables: dict[str, dict[str, Any]] | None, name: str,
                what: str) -> dict[str, Any]:
    """The one table ``name`` that a card or log file holds. Any other shape (valid JSON written by
    something else, like TinyDB's ``_default`` table) is not a hipquiz file and raises StoreCorrupt."""
    if tables is None:  # a file that does not exist (yet)
        return {}
    if set(tables) != {name}:
        found = ", ".join(repr(t) for t in sorted(tables)) or "no table"
        raise StoreCorrupt(path, f"is not a hipquiz {what} file (it holds {found}, not {name!r})")
    return tables[name]


def _cards_table(path: Path, tables: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    return _only_table(path, tables, "cards", "card")


def _reviews_table(path: Path, tables: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    return _only_table(path, tables, "reviews", "review log")


def _card_from(path: Path, doc: Any) -> CardProgress:
    try:
        return CardProgress.from_dict(doc)
    except (RecordError, TypeError, ValueError) as exc:
        raise StoreCorrupt(path, f"has a bad card record ({exc})") from None


@dataclass
class _LogEntry:
    doc_id: int
    review: ReviewRecord
    after: dict[str, Any] | None


def _review_from(path: Path, doc_id: str, doc: Any) -> _LogEntry:
    try:
        review = ReviewRecord.from_dict(doc)
        after = doc.get("after")
        if after is not None:
            CardProgress.from_dict(after)
            if after.get("card_id") != review.card_id:
                raise RecordError(f"review {review.id!r}: 'after' is for another card")
    except (RecordError, TypeError, ValueError, AttributeError) as exc:
        raise StoreCorrupt(path, f"has a bad review record ({exc})") from None
    return _LogEntry(int(doc_id), review, after)


def _meta_from(path: Path, tables: dict[str, dict[str, Any]] | None) -> tuple[int, dict, dict]:
    """(schema, settings, aliases) from meta.json's tables; raises StoreCorrupt / StoreTooNew."""
    if tables is None:
        raise StoreCorrupt(path, "is missing")
    unknown = sorted(set(tables) - {"meta", "settings", "aliases"})
    if unknown:
        raise StoreCorrupt(path, f"is not a hipquiz meta file (unexpected table {unknown[0]!r})")
    for name, table in tables.items():
        if set(table) - {"1"}:
            raise StoreCorrupt(path, f"is not a hipquiz meta file (table {name!r} has more than one "
                                     "document)")
    meta = tables.get("meta", {}).get("1")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int) or isinstance(
            meta.get("schema"), bool):
        raise StoreCorrupt(path, "is not a hipquiz meta file (no schema version)")
    schema = meta["schema"]
    if schema > SCHEMA_VERSION:
        raise StoreTooNew(path, schema)
    if schema < 2:
        raise StoreCorrupt(path, f"has an unknown schema version {schema}")
    settings = tables.get("settings", {}).get("1", {})
    aliases = tables.get("aliases", {}).get("1", {})
    if not isinstance(settings, dict):
        raise StoreCorrupt(path, "has settings that are not an object")
    if not isinstance(aliases, dict) or not all(
            isinstance(v, list) and all(isinstance(t, str) for t in v) for v in aliases.values()):
        raise StoreCorrupt(path, "has aliases that are not lists of texts")
    return schema, settings, aliases


def _v1_contents(path: Path, tables: dict[str, dict[str, Any]]):
    """Validated (cards, reviews, settings, aliases) of a schema-1 ``progress.json``."""
    cards = [_card_from(path, doc) for _, doc in _by_id(tables.get("cards", {}))]
    reviews = [(_review_from(path, i, doc).review, doc.get("after"))
               for i, doc in _by_id(tables.get("reviews", {}))]
    settings: dict[str, Any] = {}
    for _, doc in _by_id(tables.get("settings", {})):
        settings.update(doc)
    aliases: dict[str, list[str]] = {}
    for _, doc in _by_id(tables.get("aliases", {})):
        for key, texts in doc.items():
            if isinstance(texts, list) and all(isinstance(t, str) for t in texts):
                aliases.setdefault(key, []).extend(t for t in texts if t not in aliases.get(key, []))
    return cards, reviews, settings, aliases


def _by_id(table: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(table.items(), key=lambda item: int(item[0]))


# --------------------------------------------------------------------------------------------------
# The lock


class _Lock:
    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd: int | None = fd

    @classmethod
    def acquire(cls, data_dir: Path) -> _Lock:
        path = data_dir / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"cannot write to {data_dir} ({_os_error_text(exc)}); fix the folder's permissions, "
                "or use read-only commands like 'hipquiz stats'"
            ) from None
        try:
            _lock_fd(fd)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise StoreLocked(data_dir, pid) from None
        except BaseException:
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only for messages
        return cls(path, fd)

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _lock_fd(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError when held
    else:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None


def _read_pid(fd: int) -> int | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 32).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None


def lock_holder(data_dir: Path) -> int | None:
    """The pid written by the process holding the writer lock, if it looks alive (for messages)."""
    try:
        text = (Path(data_dir) / LOCK_NAME).read_text("ascii", "replace").strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    pid = int(text)
    if pid == os.getpid():
        return pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    except OSError:  # pragma: no cover
        return None
    return pid


# --------------------------------------------------------------------------------------------------
# The store


class Store:
    """Progress, review log, settings and aliases of one data folder. Open with :meth:`open`."""

    def __init__(self, backend: _Backend, data_dir: Path, *, read_only: bool,
                 now: Callable[[], datetime], lock: _Lock | None, read_only_reason: str) -> None:
        self._backend = backend
        self.data_dir = data_dir
        self.read_only = read_only
        self._now = now
        self._lock = lock
        self._read_only_reason = read_only_reason
        self._broken: str | None = None
        self._closed = False
        self._settings: dict[str, Any] = {}
        self._aliases: dict[str, list[str]] = {}
        self._cards: dict[str, CardProgress] = {}
        self._card_loc: dict[str, tuple[str, int]] = {}
        self._logs: list[LogKey] = []  # every log file, oldest first
        self._log_entries: dict[LogKey, list[_LogEntry]] = {}
        self._index: dict[str, list[int]] = {}
        self._index_dirty = False
        #: True when the folder held no saved progress when it was opened (no meta.json and no
        #: schema-1 progress.json; the folder itself may not exist). Lets the CLI say "no progress
        #: saved yet in ..." instead of showing zeros.
        self.is_new = False

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, read_only: bool = False,
             now: Callable[[], datetime] = utc_now) -> Store:
        data_dir = Path(data_dir)
        require_folder(data_dir)
        is_new = not (data_dir / META_NAME).exists() and not (data_dir / V1_NAME).exists()
        lock: _Lock | None = None
        if read_only:
            holder = lock_holder(data_dir)
            reason = (f"{data_dir} is opened read-only because another hipquiz (pid {holder}) is using "
                      "it; close it first to make changes") if holder else (
                      f"{data_dir} is opened read-only; changes cannot be saved")
        else:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create {data_dir} ({_os_error_text(exc)})") from None
            if not os.access(data_dir, os.W_OK):
                raise StoreError(f"cannot write to {data_dir} (permission denied); fix the folder's "
                                 "permissions, or use read-only commands like 'hipquiz stats'")
            lock = _Lock.acquire(data_dir)
            reason = ""
        try:
            backend: _Backend = _FileBackend(data_dir, read_only, reason)
            if not (data_dir / META_NAME).exists() and (data_dir / V1_NAME).exists():
                backend = _migrate_v1(data_dir, read_only, reason, now)
            elif not read_only:
                if (data_dir / V1_NAME).exists():
                    # A crash after writing meta.json but before setting the old file aside.
                    os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
                _remove_temp_files(data_dir)
            store = cls(backend, data_dir, read_only=read_only, now=now, lock=lock,
                        read_only_reason=reason)
            store.is_new = is_new
            store._load()
            if not read_only:
                make_daily_backup(data_dir, now=now, keep=store._backups_keep())
            store._roll_forward()  # (in memory only when read-only)
        except BaseException as exc:
            if lock is not None:
                lock.release()
            if isinstance(exc, OSError):
                raise StoreError(f"cannot open the progress files in {data_dir} "
                                 f"({_os_error_text(exc)}: {exc.filename})") from exc
            raise
        return store

    @classmethod
    def in_memory(cls, *, now: Callable[[], datetime] = utc_now) -> Store:
        """A store backed by TinyDB's MemoryStorage: same behaviour, nothing on disk (for tests)."""
        backend = _MemoryBackend()
        backend.load({META_NAME: _layout([], [], {}, {})[META_NAME]})
        store = cls(backend, Path("<memory>"), read_only=False, now=now, lock=None,
                    read_only_reason="")
        store.is_new = True
        store._load()
        return store

    def _load(self) -> None:
        b = self._backend
        if b.exists(META_NAME):
            _, settings, aliases = _meta_from(b.path(META_NAME), b.db(META_NAME).storage.read())
        else:
            shards_or_days = b.list(CARDS_DIR, _SHARD_FILE) or b.list(LOG_DIR, _LOG_FILE)
            if shards_or_days:
                raise StoreCorrupt(b.path(META_NAME), "is missing but card or log files exist")
            settings, aliases = {}, {}
            if not self.read_only:
                meta = b.db(META_NAME)
                meta.table("meta").insert(Document({"schema": SCHEMA_VERSION, "app": "hipquiz"}, doc_id=1))
        self._settings = copy.deepcopy(settings)
        self._aliases = {k: list(v) for k, v in aliases.items()}
        for rel in b.list(CARDS_DIR, _SHARD_FILE):
            self._load_shard(rel)
        self._logs = sorted(_log_key(rel) for rel in b.list(LOG_DIR, _LOG_FILE))
        self._index = self._read_index()
        self._last_entry()  # validates the newest log file(s) now, before a backup is made

    def _load_shard(self, rel: str) -> None:
        path = self._backend.path(rel)
        tables = self._backend.db(rel).storage.read() or {}
        for card_id in [c for c, (r, _) in self._card_loc.items() if r == rel]:
            del self._card_loc[card_id]
            self._cards.pop(card_id, None)
        for doc_id, doc in _by_id(_cards_table(path, tables)):
            progress = _card_from(path, doc)
            where = self._card_loc.get(progress.card_id)
            if where is not None and where != (rel, int(doc_id)):
                raise StoreCorrupt(path, f"holds card {progress.card_id!r} that is also in {where[0]}")
            self._cards[progress.card_id] = progress
            self._card_loc[progress.card_id] = (rel, int(doc_id))

    def _entries(self, key: LogKey) -> list[_LogEntry]:
        """A log file's reviews, kept in memory from now on (the newest file, and files being written)."""
        entries = self._log_entries.get(key)
        if entries is None:
            tables = self._backend.db(log_name(*key)).storage.read()
            entries = self._parse_log(key, tables)
            self._log_entries[key] = entries
        return entries

    def _peek_entries(self, key: LogKey) -> list[_LogEntry]:
        """A log file's reviews without keeping them: a long history is read, not hoarded."""
        entries = self._log_entries.get(key)
        if entries is None:
            entries = self._parse_log(key, self._backend.peek(log_name(*key)))
        return entries

    def _parse_log(self, key: LogKey, tables: dict[str, dict[str, Any]] | None) -> list[_LogEntry]:
        path = self._backend.path(log_name(*key))
        return [_review_from(path, i, doc) for i, doc in _by_id(_reviews_table(path, tables))]

    def _reload_log(self, key: LogKey) -> None:
        self._backend.forget(log_name(*key))
        self._log_entries.pop(key, None)
        if self._backend.exists(log_name(*key)):
            self._add_log(key)
        self._entries(key)

    def _add_log(self, key: LogKey) -> None:
        at = bisect.bisect_left(self._logs, key)
        if at == len(self._logs) or self._logs[at] != key:
            self._logs.insert(at, key)

    def _log_to_append(self, day: str) -> LogKey:
        """The log file a review of ``day`` goes to: the day's last file, or a new one when it is full."""
        at = bisect.bisect_right(self._logs, (day, float("inf")))
        if at == 0 or self._logs[at - 1][0] != day:
            return day, 1
        last = self._logs[at - 1]
        if len(self._entries(last)) < LOG_CHUNK:
            return last
        return day, last[1] + 1

    def _reload_shard(self, rel: str) -> None:
        self._backend.forget(rel)
        self._load_shard(rel)

    def _last_entry(self) -> tuple[LogKey, _LogEntry] | None:
        """The newest review: the last one of the newest log file that is not empty."""
        for key in reversed(self._logs):
            entries = self._entries(key)
            if entries:
                return key, entries[-1]
        return None

    def _roll_forward(self) -> None:
        """Finish a record_review that died between writing the log and writing the card."""
        last = self._last_entry()
        if last is None or last[1].after is None:
            return
        entry = last[1]
        card_id = entry.review.card_id
        current = self._cards.get(card_id)
        previous = entry.review.previous
        if (current.to_dict() if current else None) != (previous.to_dict() if previous else None):
            return
        after = CardProgress.from_dict(entry.after)
        if current is not None and current.to_dict() == after.to_dict():
            return
        if self.read_only:
            self._cards[card_id] = after  # show what the writer will make of it
        else:
            self._put_card(after)

    # -- closing ----------------------------------------------------------------------------------

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._index_dirty and isinstance(self._backend, _FileBackend):
                self._write_index()
        finally:
            self._backend.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- cards ------------------------------------------------------------------------------------

    def progress(self, card_id: str) -> CardProgress | None:
        return self._cards.get(card_id)

    def all_progress(self) -> dict[str, CardProgress]:
        return dict(self._cards)

    def save_progress(self, progress: CardProgress) -> None:
        self._check_writable()
        self._put_card(progress)

    def _put_card(self, progress: CardProgress) -> None:
        card_id = progress.card_id
        rel, doc_id = self._card_loc.get(card_id, (shard_name(card_id), None))
        table = self._backend.db(rel).table("cards")
        doc = progress.to_dict()
        try:
            if doc_id is None:
                doc_id = table.insert(doc)
            else:
                table.update(_replace_doc(doc), doc_ids=[doc_id])
        except StoreError:
            self._reload_shard(rel)
            raise
        self._cards[card_id] = progress
        self._card_loc[card_id] = (rel, doc_id)

    def _delete_card(self, card_id: str) -> None:
        where = self._card_loc.get(card_id)
        if where is None:
            return
        rel, doc_id = where
        try:
            self._backend.db(rel).table("cards").remove(doc_ids=[doc_id])
        except StoreError:
            self._reload_shard(rel)
            raise
        del self._cards[card_id]
        del self._card_loc[card_id]

    # -- the review log ---------------------------------------------------------------------------

    def record_review(self, review: ReviewRecord, progress: CardProgress) -> None:
        """Append ``review`` to the log and store ``progress``; both are on disk when this returns."""
        self._check_writable()
        if review.card_id != progress.card_id:
            raise ValueError(f"review is for {review.card_id!r} but progress is for {progress.card_id!r}")
        key = self._log_to_append(_utc_day(review.reviewed_at))
        entries = self._entries(key)  # validates the log file before anything is written to it
        doc = review.to_dict()
        doc["after"] = progress.to_dict()
        log = self._backend.db(log_name(*key)).table("reviews")
        try:
            doc_id = log.insert(doc)
        except StoreError:
            self._reload_log(key)
            raise
        entries.append(_LogEntry(doc_id, review, doc["after"]))
        self._add_log(key)
        self._index_dirty = True
        try:
            self._put_card(progress)
        except StoreError:
            # Take the review back out so the log and the card agree. If even that fails, the
            # review stays (it is the newest one, so the next open rolls the card forward) and this
            # store refuses further writes until it is reopened.
            try:
                log.remove(doc_ids=[doc_id])
            except StoreError:
                self._broken = (f"saving to {self.data_dir} failed; quit and restart hipquiz "
                                "(your last answer is kept)")
            self._reload_log(key)
            if self._broken:
                self._cards[progress.card_id] = progress  # what the next open rolls forward to
            raise

    def undo_last_review(self) -> ReviewRecord | None:
        """Remove the newest review from the log and put its card back as it was before it."""
        self._check_writable()
        last = self._last_entry()
        if last is None:
            return None
        key, entry = last
        review = entry.review
        if review.previous is None:
            self._delete_card(review.card_id)
        else:
            self._put_card(review.previous)
        try:
            self._backend.db(log_name(*key)).table("reviews").remove(doc_ids=[entry.doc_id])
        except StoreError:
            # Put the card back to its state after the review, so log and card agree again.
            try:
                if entry.after is not None:
                    self._put_card(CardProgress.from_dict(entry.after))
            except StoreError:
                self._broken = (f"saving to {self.data_dir} failed; quit and restart hipquiz "
                                "(the undo is not kept)")
            self._reload_log(key)
            raise
        self._entries(key).remove(entry)
        self._index_dirty = True
        return review

    def reviews(self, since: datetime | None = None) -> list[ReviewRecord]:
        """Reviews in chronological order, from ``since`` on (only the log files needed are read)."""
        keys = self._logs
        if since is not None:
            first = _utc_day(since)
            keys = [k for k in keys if k[0] >= first]
        found = [e.review for k in keys for e in self._peek_entries(k)]
        if since is not None:
            found = [r for r in found if r.reviewed_at >= since]
        found.sort(key=lambda r: r.reviewed_at)
        return found

    def review_history(self) -> ReviewHistory:
        """Totals of the review log per study day and deck, for the statistics."""
        return ReviewHistory.from_reviews(self.reviews())

    def review_count(self) -> int:
        return sum(self._count_log(key) for key in self._logs)

    def _count_log(self, key: LogKey) -> int:
        entries = self._log_entries.get(key)
        if entries is not None:
            return len(entries)
        stem = _index_key(key)
        stat_key = self._stat_key(key)  # taken before reading: a file changed meanwhile is recounted later
        cached = self._index.get(stem)
        if cached is not None and cached[1:] == stat_key:
            return cached[0]
        rel = log_name(*key)
        count = len(_reviews_table(self._backend.path(rel), self._backend.peek(rel)))
        if stat_key != [-1]:
            self._index[stem] = [count, *stat_key]
            self._index_dirty = True
        return count

    # -- the review-count index (a cache: wrong or missing entries are simply recounted) ----------

    def _stat_key(self, key: LogKey) -> list[int]:
        if not isinstance(self._backend, _FileBackend):
            return [-1]
        try:
            st = os.stat(self._backend.path(log_name(*key)))
        except OSError:
            return [-1]
        return [st.st_size, st.st_mtime_ns, st.st_ino]

    def _read_index(self) -> dict[str, list[int]]:
        if not isinstance(self._backend, _FileBackend):
            return {}
        try:
            data = json.loads((self.data_dir / LOG_DIR / INDEX_NAME).read_text("utf-8"))
            files = data["files"]
            return {f: v for f, v in files.items()
                    if isinstance(v, list) and len(v) == 4 and all(isinstance(n, int) for n in v)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _write_index(self) -> None:
        """Save the review counts per log file. Read-only stores save it too: it is a cache, not store
        data, every entry is checked against its file's size, mtime and inode before use, and
        failing to write it (a read-only folder) changes nothing."""
        if not (self.data_dir / LOG_DIR).is_dir():
            return
        index = {**self._read_index(), **self._index}
        for key, entries in self._log_entries.items():
            index[_index_key(key)] = [len(entries), *self._stat_key(key)]
        index = {f: v for f, v in index.items() if (self.data_dir / LOG_DIR / f"{f}.json").is_file()}
        try:
            _atomic_write(self.data_dir / LOG_DIR / INDEX_NAME,
                          json.dumps({"files": index}, sort_keys=True).encode(), durable=False)
        except OSError:
            pass

    # -- settings and aliases ---------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        return copy.deepcopy(self._settings.get(key, default))

    def set_setting(self, key: str, value: Any) -> None:
        self._check_writable()
        try:
            value = json.loads(json.dumps(value, allow_nan=False))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"setting {key!r} must be a JSON value: {exc}") from None
        settings = dict(self._settings)
        settings[key] = value
        self._write_meta("settings", settings)
        self._settings = settings

    def aliases(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self._aliases.items()}

    def add_alias(self, note_key: str, text: str) -> None:
        self._check_writable()
        current = self._aliases.get(note_key, [])
        if text in current:
            return
        aliases = self.aliases()
        aliases[note_key] = [*current, text]
        self._write_meta("aliases", aliases)
        self._aliases = aliases

    def remove_alias(self, note_key: str, text: str) -> bool:
        """Forget a user-accepted answer; False when it was not there."""
        self._check_writable()
        current = self._aliases.get(note_key, [])
        if text not in current:
            return False
        aliases = self.aliases()
        aliases[note_key] = [t for t in current if t != text]
        if not aliases[note_key]:
            del aliases[note_key]
        self._write_meta("aliases", aliases)
        self._aliases = aliases
        return True

    def _write_meta(self, table: str, data: dict[str, Any]) -> None:
        try:
            _put_single(self._backend.db(META_NAME).table(table), copy.deepcopy(data))
        except StoreError:
            self._backend.forget(META_NAME)
            raise

    def _backups_keep(self) -> int:
        keep = self._settings.get("backups_keep", DEFAULT_BACKUPS_KEEP)
        return keep if isinstance(keep, int) and not isinstance(keep, bool) and keep >= 1 else (
            DEFAULT_BACKUPS_KEEP)

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"the store in {self.data_dir} is closed")
        if self.read_only:
            raise StoreError(self._read_only_reason)
        if self._broken:
            raise StoreError(self._broken)


def _index_key(key: LogKey) -> str:
    """A log file's name without ``.json``: its key in ``log/index.json``."""
    return log_name(*key)[len(LOG_DIR) + 1:-len(".json")]


def _remove_temp_files(data_dir: Path) -> None:
    """Temporary files left by a process killed mid-write (the real files are intact)."""
    for folder in (data_dir, data_dir / CARDS_DIR, data_dir / LOG_DIR):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.startswith(".") and name.endswith(_TMP_SUFFIX):
                try:
                    os.unlink(folder / name)
                except OSError:
                    pass
    backups = data_dir / BACKUPS_DIR
    if backups.is_dir():
        for child in backups.iterdir():
            if child.name.startswith(".tmp-"):
                shutil.rmtree(child, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Migration


def _migrate_v1(data_dir: Path, read_only: bool, reason: str,
                now: Callable[[], datetime]) -> _Backend:
    """Turn a schema-1 ``progress.json`` into the current layout (in memory only when read-only)."""
    source = data_dir / V1_NAME
    tables = _read_tables(source)
    assert tables is not None
    cards, reviews, settings, aliases = _v1_contents(source, tables)
    files = _layout(cards, reviews, settings, aliases)
    if read_only:
        backend = _MemoryBackend(True, reason)
        backend.load(files)
        return backend
    _remove_temp_files(data_dir)
    keep = settings.get("backups_keep", DEFAULT_BACKUPS_KEEP)
    make_daily_backup(data_dir, now=now, keep=keep if isinstance(keep, int) and keep >= 1 else 7)
    # Files from an earlier, interrupted migration are rebuilt from scratch.
    for rel in _store_files(data_dir):
        if rel.parts[0] in (CARDS_DIR, LOG_DIR):
            (data_dir / rel).unlink()
    meta = files.pop(META_NAME)
    try:
        for rel, content in files.items():
            _atomic_write(data_dir / rel, _encode_tables(content))
        _atomic_write(data_dir / META_NAME, _encode_tables(meta))
        os.replace(source, data_dir / V1_MIGRATED_NAME)
    except OSError as exc:
        raise _write_failed(data_dir, exc) from exc
    return _FileBackend(data_dir, False, reason)


# --------------------------------------------------------------------------------------------------
# Backups


@dataclass(frozen=True)
class BackupInfo:
    date: date
    path: Path
    size: int


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The daily backups, oldest first."""
    folder = Path(data_dir) / BACKUPS_DIR
    if not folder.is_dir():
        return []
    found = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and _BACKUP_DIR.match(child.name):
            try:
                day = date.fromisoformat(child.name)
            except ValueError:
                continue
            found.append(BackupInfo(day, child, _folder_size(child)))
    return found


def _copy_file(source: Path, target: Path) -> None:
    """A real, durable copy (never a link: a file damaged in place must not damage its backups)."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    shutil.copystat(source, target)


def _copy_store(source: Path, target: Path) -> None:
    """Copy every store file (meta, card shards, every log file) from ``source`` into ``target``.

    Every file is copied, whether or not it changed since the previous backup: a backup must not share
    anything with the live files, nor depend on another backup.
    """
    folders = {target}
    for rel in _store_files(source):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        _copy_file(source / rel, dest)
        folders.add(dest.parent)
    for folder in folders:
        _fsync_dir(folder)


def make_daily_backup(data_dir: Path, *, now: Callable[[], datetime] = utc_now,
                      keep: int = DEFAULT_BACKUPS_KEEP) -> Path | None:
    """Copy the store to ``backups/<local date>/`` unless today's copy exists; keep the newest ``keep``.

    Each backup is a complete, independent copy of the files (no hard links, nothing shared).

    Returns the new backup folder, or None when there was nothing to do. The caller holds the lock.
    """
    data_dir = Path(data_dir)
    if not _store_files(data_dir):
        return None
    today = now().astimezone().date().isoformat()
    backups = data_dir / BACKUPS_DIR
    target = backups / today
    made = None
    if not target.exists():
        staging = backups / f".tmp-{today}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            _copy_store(data_dir, staging)
            os.replace(staging, target)
            _fsync_dir(backups)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise StoreError(f"could not make today's backup in {backups} ({_os_error_text(exc)}); "
                             "free some space and try again") from None
        made = target
    for old in list_backups(data_dir)[:-keep]:
        shutil.rmtree(old.path, ignore_errors=True)
    return made


def _stamp(now: Callable[[], datetime]) -> str:
    return now().astimezone().strftime("%Y%m%d-%H%M%S")


def _keep_copy(data_dir: Path, prefix: str, now: Callable[[], datetime]) -> Path:
    base = data_dir / f"{prefix}-{_stamp(now)}"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    target.mkdir(parents=True)
    _copy_store(data_dir, target)
    for extra in (V1_MIGRATED_NAME,):
        if (data_dir / extra).is_file():
            shutil.copy2(data_dir / extra, target / extra)
    return target


def restore_backup(data_dir: Path, day: date | str, *, now: Callable[[], datetime] = utc_now) -> Path:
    """Put the backup of ``day`` back in place; returns the folder where the replaced files are kept."""
    data_dir = Path(data_dir)
    require_folder(data_dir)
    try:
        if not isinstance(day, date) and not _BACKUP_DIR.match(str(day)):
            raise ValueError(day)
        wanted = day if isinstance(day, date) else date.fromisoformat(str(day))
    except ValueError:
        raise StoreError(f"DATE must look like 2026-11-24, not {day!r} (see 'hipquiz backup list')") from None
    source = data_dir / BACKUPS_DIR / wanted.isoformat()
    if not source.is_dir():
        raise StoreError(f"there is no backup of {wanted.isoformat()} in {data_dir / BACKUPS_DIR}; "
                         "see 'hipquiz backup list'")
    if not _store_files(source):
        raise StoreError(f"the backup {source} is empty; choose another date")
    problems = check_store(source)
    if problems:
        raise StoreError(f"the backup {source} is damaged ({problems[0]}); choose another date")
    lock = _Lock.acquire(data_dir)
    try:
        kept = _keep_copy(data_dir, "replaced", now)
        current = _store_files(data_dir)
        # meta.json goes first and comes back last: an interrupted restore is reported, not half-used.
        current.sort(key=lambda rel: rel != Path(META_NAME))
        try:
            for rel in current:
                (data_dir / rel).unlink()
            try:
                (data_dir / LOG_DIR / INDEX_NAME).unlink()
            except FileNotFoundError:
                pass
            incoming = _store_files(source)
            incoming.sort(key=lambda rel: rel == Path(META_NAME))
            for rel in incoming:
                _atomic_write(data_dir / rel, (source / rel).read_bytes())
        except OSError as exc:
            raise StoreError(f"restoring {source} failed ({_os_error_text(exc)}); the files as they "
                             f"were are kept in {kept}") from None
        return kept
    finally:
        lock.release()


# --------------------------------------------------------------------------------------------------
# Doctor: check and repair


def has_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds any progress files at all (False for a new or missing folder)."""
    data_dir = Path(data_dir)
    return bool(_store_files(data_dir)) or any(
        (data_dir / name).exists() for name in (META_NAME, V1_NAME, CARDS_DIR, LOG_DIR))



def check_store(data_dir: Path) -> list[str]:
    """Every problem found in the store's files (one line each); empty when all is well.

    Raises :class:`StoreNotAFolder` when ``data_dir`` is a file, and :class:`StoreTooNew` when a newer
    hipquiz wrote the store (this one cannot judge its files, and must not repair them).
    """
    data_dir = Path(data_dir)
    require_folder(data_dir)
    problems: list[str] = []
    if not data_dir.exists():
        return problems

    def note(exc: StoreError) -> None:
        problems.append(exc.problem if isinstance(exc, StoreCorrupt) else str(exc))

    meta = data_dir / META_NAME
    if meta.exists():
        try:
            _meta_from(meta, _read_tables(meta))
        except StoreTooNew:
            raise
        except StoreError as exc:
            note(exc)
    elif (data_dir / V1_NAME).exists():
        try:
            _v1_contents(data_dir / V1_NAME, _read_tables(data_dir / V1_NAME) or {})
        except StoreError as exc:
            note(exc)
    for folder in (CARDS_DIR, LOG_DIR):
        if (data_dir / folder).exists() and not (data_dir / folder).is_dir():
            problems.append(f"{data_dir / folder} is a file, not a folder")
    seen: dict[str, Path] = {}
    has_data = False
    for rel in _store_files(data_dir):
        if rel.parts[0] not in (CARDS_DIR, LOG_DIR):
            continue
        has_data = True
        path = data_dir / rel
        try:
            tables = _read_tables(path)
            if rel.parts[0] == CARDS_DIR:
                for _, doc in _by_id(_cards_table(path, tables)):
                    card = _card_from(path, doc)
                    if card.card_id in seen:
                        raise StoreCorrupt(path, f"holds card {card.card_id!r} that is also in "
                                                 f"{seen[card.card_id]}")
                    seen[card.card_id] = path
            else:
                for doc_id, doc in _by_id(_reviews_table(path, tables)):
                    _review_from(path, doc_id, doc)
        except StoreError as exc:
            note(exc)
    if has_data and not meta.exists() and not (data_dir / V1_NAME).exists():
        problems.append(f"{meta} is missing but card or log files exist")
    return problems


@dataclass
class RepairReport:
    problems: list[str] = field(default_factory=list)      # what check_store found before
    broken_dir: Path | None = None                          # copy of the files as they were
    rewritten: list[Path] = field(default_factory=list)     # files written afresh
    cards_salvaged: int = 0                                 # card states in the repaired store...
    cards_rebuilt: int = 0                                  # ...of which rebuilt from the review log
    reviews_salvaged: int = 0
    records_dropped: int = 0                                # documents found but not valid
    remaining: list[str] = field(default_factory=list)      # what check_store finds after

    @property
    def ok(self) -> bool:
        return not self.remaining


_NESTED_KEY = re.compile(r'"(previous|after)"\s*:\s*$')


def _salvage(raw: bytes, parse: Callable[[dict], Any]) -> tuple[list[Any], int]:
    """Whole records from a file that may be truncated or partly garbage: (records, dropped count).

    If the file parses, every document is tried. Otherwise every '{' is tried as the start of a JSON
    object; an object that is (or contains) valid records is kept and skipped over.
    """
    text = raw.decode("utf-8", errors="replace")
    found: list[Any] = []
    dropped = 0

    def harvest(obj: Any) -> bool:
        nonlocal dropped
        if isinstance(obj, dict):
            try:
                found.append(parse(obj))
                return True
            except (RecordError, TypeError, ValueError, AttributeError, KeyError):
                pass
            got = False
            for key, value in obj.items():
                if key in ("previous", "after"):
                    continue
                got = harvest(value) or got
            return got
        if isinstance(obj, list):
            got = False
            for value in obj:
                got = harvest(value) or got
            return got
        return False

    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    if isinstance(whole, dict):
        for name, table in whole.items():
            if name in ("meta", "settings", "aliases"):
                continue
            if isinstance(table, dict):
                for doc in table.values():
                    if not harvest(doc):
                        dropped += 1
            else:
                harvest(table)
        return found, dropped
    decoder = json.JSONDecoder()
    pos = text.find("{")
    while pos != -1:
        end = None
        if not _NESTED_KEY.search(text, max(0, pos - 40), pos):
            try:
                obj, end = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):
                obj = None
            if end is not None and not harvest(obj):
                end = None
        pos = text.find("{", end if end is not None else pos + 1)
    return found, dropped


def _salvage_meta(raw: bytes) -> tuple[dict[str, Any], dict[str, list[str]]]:
    text = raw.decode("utf-8", errors="replace")
    decoder = json.JSONDecoder()
    result: list[dict] = []
    for table in ("settings", "aliases"):
        match = re.search(r'"%s"\s*:\s*\{\s*"1"\s*:\s*' % table, text)
        value: Any = {}
        if match:
            try:
                value, _ = decoder.raw_decode(text, match.end())
            except ValueError:
                value = {}
        result.append(value if isinstance(value, dict) else {})
    settings, aliases = result
    aliases = {k: [t for t in v if isinstance(t, str)] for k, v in aliases.items() if isinstance(v, list)}
    return settings, aliases


def _parse_card(doc: dict) -> CardProgress:
    return CardProgress.from_dict(doc)


def _parse_v1_record(doc: dict) -> Any:
    return _parse_review(doc) if "rating" in doc else _parse_card(doc)


def _parse_review(doc: dict) -> tuple[ReviewRecord, dict | None]:
    review = ReviewRecord.from_dict(doc)
    after = doc.get("after")
    try:
        if after is not None and CardProgress.from_dict(after).card_id != review.card_id:
            after = None
    except RecordError:
        after = None
    return review, after


def repair_store(data_dir: Path, *, now: Callable[[], datetime] = utc_now) -> RepairReport:
    """Salvage every readable record into fresh files, keeping the old ones in ``broken-<time>/``.

    Takes the writer lock. Does nothing when ``check_store`` finds no problem. Refuses (StoreTooNew)
    a store written by a newer hipquiz.
    """
    data_dir = Path(data_dir)
    report = RepairReport(problems=check_store(data_dir))  # (raises StoreTooNew before anything)
    if not report.problems:
        return report
    meta_path = data_dir / META_NAME
    lock = _Lock.acquire(data_dir)
    try:
        if meta_path.exists():
            try:
                _meta_from(meta_path, _read_tables(meta_path))
            except StoreTooNew:
                raise
            except StoreError:
                pass
        report.broken_dir = _keep_copy(data_dir, "broken", now)

        # Read everything: good files as they are, bad ones salvaged record by record.
        settings: dict[str, Any] = {}
        aliases: dict[str, list[str]] = {}
        cards: dict[str, CardProgress] = {}
        reviews: dict[str, tuple[ReviewRecord, dict | None]] = {}
        damaged_shards: set[str] = set()  # card files that could not be read whole
        v1_damaged = False
        for rel in _store_files(data_dir):
            path = data_dir / rel
            raw = path.read_bytes()
            if rel == Path(META_NAME):
                try:
                    _, settings, aliases = _meta_from(path, _decode_tables(path, raw))
                except StoreCorrupt:
                    settings, aliases = _salvage_meta(raw)
                continue
            if rel == Path(V1_NAME):  # (only here when meta.json is missing or damaged)
                v1_damaged = True
                got, dropped = _salvage(raw, _parse_v1_record)
                report.records_dropped += dropped
                for item in got:
                    if isinstance(item, CardProgress):
                        cards[item.card_id] = item
                    else:
                        reviews.setdefault(item[0].id, item)
                if not meta_path.exists():
                    try:
                        for _, doc in _by_id(_decode_tables(path, raw).get("settings", {})):
                            settings.update(doc)
                    except StoreCorrupt:
                        settings.update(_salvage_meta(raw)[0])
                continue
            is_cards = rel.parts[0] == CARDS_DIR
            try:
                tables = _decode_tables(path, raw)
                if is_cards:
                    got = [_card_from(path, d) for _, d in _by_id(_cards_table(path, tables))]
                else:
                    got = [(e.review, e.after) for e in
                           (_review_from(path, i, d) for i, d in _by_id(_reviews_table(path, tables)))]
            except StoreCorrupt:
                got, dropped = _salvage(raw, _parse_card if is_cards else _parse_review)
                report.records_dropped += dropped
                if is_cards:
                    damaged_shards.add(str(rel))
            for item in got:
                if is_cards:
                    cards.setdefault(item.card_id, item)
                else:
                    reviews.setdefault(item[0].id, item)

        # A card lost with its damaged card file comes back as it was after its newest review: every
        # log entry carries the card's state after it ("after"). A card read whole is kept as read
        # (it may have changed since, e.g. suspended).
        ordered = sorted(reviews.values(), key=lambda pair: pair[0].reviewed_at)
        if damaged_shards or v1_damaged:
            newest: dict[str, dict] = {}
            for review, after in ordered:
                if after is not None:
                    newest[review.card_id] = after
            for card_id, after in newest.items():
                if card_id not in cards and (v1_damaged or shard_name(card_id) in damaged_shards):
                    cards[card_id] = CardProgress.from_dict(after)
                    report.cards_rebuilt += 1

        # Write the fresh layout; files whose bytes would not change are left alone.
        files = _layout(sorted(cards.values(), key=lambda c: c.card_id), ordered, settings, aliases)
        meta = files.pop(META_NAME)
        on_disk = {str(rel): data_dir / rel for rel in _store_files(data_dir)
                   if rel.parts[0] in (CARDS_DIR, LOG_DIR)}
        try:
            for rel, content in files.items():
                payload = _encode_tables(content)
                path = data_dir / rel
                if rel in on_disk and path.read_bytes() == payload:
                    continue
                _atomic_write(path, payload)
                report.rewritten.append(path)
            for rel, path in on_disk.items():
                if rel not in files:
                    path.unlink()  # a shard or day whose records all moved or were lost
                    report.rewritten.append(path)
            meta_payload = _encode_tables(meta)
            if not meta_path.exists() or meta_path.read_bytes() != meta_payload:
                _atomic_write(meta_path, meta_payload)
                report.rewritten.append(meta_path)
            if (data_dir / V1_NAME).exists():
                os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
            try:
                (data_dir / LOG_DIR / INDEX_NAME).unlink()
            except FileNotFoundError:
                pass
        except OSError as exc:
            raise StoreError(f"repair could not write {data_dir} ({_os_error_text(exc)}); the files as "
                             f"they were are kept in {report.broken_dir}") from None
        report.cards_salvaged = len(cards)
        report.reviews_salvaged = len(reviews)
    finally:
        lock.release()
    report.remaining = check_store(data_dir)
    return report

