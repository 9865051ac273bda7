"""Where a store's files live: real files on disk, or TinyDB's MemoryStorage for tests.

Both backends share one interface, :class:`Backend` (as TinyDB's ``Storage`` ABC does for storages),
so :class:`~hipquiz.core.store.store.Store` never asks which one it has. This is the only module
besides ``store.py`` that knows TinyDB.
"""

from __future__ import annotations

import json
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from hipquiz.core.errors import StoreCorrupt, StoreError
from hipquiz.core.store import files
from hipquiz.core.store.layout import INDEX_NAME, LOG_DIR, TOTALS_NAME

Tables = dict[str, dict[str, Any]]


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
        self._data: Tables | None = None
        self._loaded = False

    @property
    def loaded(self) -> bool:
        """Whether the file's contents are held in memory (so reading it costs nothing)."""
        return self._loaded

    def read(self) -> Tables | None:
        if not self._loaded:
            self._data = files.read_tables(self.path)
            self._loaded = True
        return self._data

    def write(self, data: Tables) -> None:
        if self.read_only:
            self.forget()
            raise StoreError(self.read_only_reason)
        try:
            payload = files.encode_tables(data)
            files.atomic_write(self.path, payload)
        except OSError as exc:
            # TinyDB changed the cached dict in place before calling us: drop it, re-read the
            # (intact) file next time.
            self.forget()
            raise files.write_failed(self.path, exc) from exc
        except (TypeError, ValueError) as exc:
            self.forget()
            raise StoreError(f"could not save {self.path}: a value is not JSON ({exc})") from exc
        self._data = data
        self._loaded = True

    def forget(self) -> None:
        """Drop the in-memory copy; the next read goes back to the file."""
        self._data = None
        self._loaded = False


def put_single(table: Table, data: dict[str, Any]) -> None:
    """Replace the one document (id 1) of a single-document table."""
    if table.contains(doc_id=1):
        table.update(replace_doc(data), doc_ids=[1])
    else:
        table.insert(Document(data, doc_id=1))


def replace_doc(data: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(data)

    return replace


class Backend(ABC):
    """The files of one store, by path relative to the data folder (``"cards/07.json"``)."""

    def __init__(self, read_only: bool = False, read_only_reason: str = "") -> None:
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._dbs: dict[str, TinyDB] = {}

    @abstractmethod
    def db(self, rel: str) -> TinyDB:
        """The TinyDB of one file, kept open (and its contents in memory once read)."""

    def read(self, rel: str) -> Tables | None:
        """A file's tables (None when it does not exist), kept in memory from now on."""
        return self.db(rel).storage.read()

    @abstractmethod
    def path(self, rel: str) -> Path:
        """The path to show in messages."""

    @abstractmethod
    def exists(self, rel: str) -> bool: ...

    @abstractmethod
    def list(self, folder: str, pattern: re.Pattern[str]) -> list[str]:
        """The files of ``folder`` whose names match ``pattern``, sorted."""

    @abstractmethod
    def forget(self, rel: str) -> None:
        """Drop cached contents after a failed write."""

    def peek(self, rel: str) -> Tables | None:
        """A file's tables without keeping them in memory (for files read once, like old log days)."""
        return self.read(rel)

    def stamp(self, rel: str) -> list[int] | None:
        """What tells a changed file from the one counted before (size, mtime, inode); None when
        the backend cannot tell, and nothing is cached for it."""
        return None

    def read_index(self) -> dict[str, list[int]]:
        """The cached review counts per log file: ``{"2026-11-24": [count, *stamp]}``."""
        return {}

    def save_index(self, index: dict[str, list[int]]) -> None:
        """Save the cached review counts (a cache: failing to save it changes nothing)."""

    def read_totals(self) -> Any:
        """The saved running totals of the log (``log/totals.json``), unchecked; None when absent
        or unreadable."""
        return None

    def save_totals(self, data: Any) -> None:
        """Save the running totals (a cache: failing to save it changes nothing)."""

    def close(self) -> None:
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()


class FileBackend(Backend):
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

    def _storage(self, rel: str) -> AtomicJSONStorage | None:
        db = self._dbs.get(rel)
        return db.storage if db is not None else None  # type: ignore[return-value]

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
        storage = self._storage(rel)
        if storage is not None:
            storage.forget()

    def peek(self, rel: str) -> Tables | None:
        storage = self._storage(rel)
        if storage is not None and storage.loaded:
            return storage.read()
        return files.read_tables(self.root / rel)

    def stamp(self, rel: str) -> list[int] | None:
        try:
            st = os.stat(self.root / rel)
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns, st.st_ino]

    def read_index(self) -> dict[str, list[int]]:
        try:
            data = files.read_cache(self.root / LOG_DIR / INDEX_NAME)
            found = data["files"]
            return {f: v for f, v in found.items()
                    if isinstance(v, list) and len(v) == 4 and all(isinstance(n, int) for n in v)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, StoreError, RecursionError):
            return {}

    def save_index(self, index: dict[str, list[int]]) -> None:
        """Read-only stores save it too: it is a cache, not store data, every entry is checked
        against its file's size, mtime and inode before use, and failing to write it (a read-only
        folder) changes nothing."""
        log = self.root / LOG_DIR
        if not log.is_dir():
            return
        index = {f: v for f, v in index.items() if (log / f"{f}.json").is_file()}
        try:
            files.atomic_write(log / INDEX_NAME, json.dumps({"files": index}, sort_keys=True).encode(),
                               durable=False)
        except OSError:
            pass


    def read_totals(self) -> Any:
        try:
            return files.read_cache(self.root / LOG_DIR / TOTALS_NAME)
        except (OSError, ValueError, StoreError, RecursionError):
            return None

    def save_totals(self, data: Any) -> None:
        log = self.root / LOG_DIR
        if not log.is_dir():
            return
        try:
            # Not fsynced: after a power cut a lost or empty file is simply rebuilt from the log.
            files.atomic_write(log / TOTALS_NAME, json.dumps(data, separators=(",", ":")).encode(),
                               durable=False)
        except OSError:
            pass


class MemoryBackend(Backend):
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

    def forget(self, rel: str) -> None:
        """Memory cannot fail to write: there is nothing to re-read."""

    def close(self) -> None:
        """Closing forgets nothing: an in-memory store lives as long as the object."""

    def load(self, contents: dict[str, Tables]) -> None:
        for rel, tables in contents.items():
            self.db(rel).storage.write(tables)
