"""Where a store's files live: real files on disk, or TinyDB's MemoryStorage for tests.

Both backends share one interface, :class:`Backend` (as TinyDB's ``Storage`` ABC does for storages),
so :class:`~hipquiz.core.store.store.Store` never asks which one it has. This is the only module
besides ``store.py`` that knows TinyDB.
"""

from __future__ import annotations

import json
import os
import re
import stat
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document, Table

from hipquiz.core.errors import StoreCorrupt, StoreError
from hipquiz.core.store import files
from hipquiz.core.store.layout import CARDS_DIR, LOG_DIR, LOG_FILE, TOTALS_NAME

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

    # -- raw files: the log (appended line by line) and small JSON files ------------------------

    @abstractmethod
    def read_bytes(self, rel: str) -> bytes | None:
        """A file's bytes, None when it does not exist."""

    def stamp(self, rel: str) -> tuple[int, int, int, int] | None:
        """(size, mtime_ns, ctime_ns, inode) of a regular file, what tells it changed without reading
        it (None: missing, not a regular file, or a backend that keeps no times)."""
        return None

    @abstractmethod
    def size(self, rel: str) -> int:
        """A file's size in bytes (0 when it does not exist)."""

    @abstractmethod
    def log_tail(self, rel: str) -> tuple[int, int, bytes]:
        """(size, end of the last whole line, that line) of an appendable file (see
        ``files.log_tail``); (0, 0, b"") when missing."""

    @abstractmethod
    def append(self, rel: str, data: bytes) -> None:
        """Append ``data`` and make it durable (one fsync); raises StoreError, and then the file
        may end with part of ``data`` (the caller truncates it back)."""

    @abstractmethod
    def truncate(self, rel: str, size: int) -> None:
        """Cut a file back to ``size`` bytes, durably; raises StoreError."""

    @abstractmethod
    def write_bytes(self, rel: str, data: bytes) -> None:
        """Replace a file atomically and durably; raises StoreError (the old file is intact)."""

    @abstractmethod
    def remove(self, rel: str) -> None:
        """Delete a file (nothing when it does not exist); raises StoreError."""

    def log_stamp(self) -> str | None:
        """What tells the log as it is from the log as it was (names of its files, sizes and times
        of the appendable ones); None when the backend cannot tell (nothing is cached for it)."""
        return None

    def read_totals(self) -> Any:
        """The saved running totals of the log (``log/totals.json``), unchecked; None when absent
        or unreadable."""
        return None

    def save_totals(self, data: Any) -> None:
        """Save the running totals (a cache: failing to save it changes nothing)."""

    def write_cache(self, rel: str, data: bytes) -> None:
        """Replace a cache file (not fsynced: a cache lost or cut short is rebuilt); failing to
        write it changes nothing."""
        try:
            self.write_bytes(rel, data)
        except StoreError:
            pass

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

    def read_bytes(self, rel: str) -> bytes | None:
        return files.read_store_file(self.root / rel)

    def stamp(self, rel: str) -> tuple[int, int, int, int] | None:
        try:
            st = os.lstat(self.root / rel)
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if stat.S_ISREG(st.st_mode) else None

    def size(self, rel: str) -> int:
        try:
            return os.stat(self.root / rel).st_size
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise StoreError(f"cannot read {self.root / rel} ({files.os_error_text(exc)})") from None

    def log_tail(self, rel: str) -> tuple[int, int, bytes]:
        return files.log_tail(self.root / rel)

    def _write(self, rel: str, action: Callable[[Path], object]) -> None:
        if self.read_only:
            raise StoreError(self.read_only_reason)
        path = self.root / rel
        try:
            action(path)
        except OSError as exc:
            raise files.write_failed(path, exc) from exc

    def append(self, rel: str, data: bytes) -> None:
        self._write(rel, lambda path: files.append_durably(path, data))

    def truncate(self, rel: str, size: int) -> None:
        self._write(rel, lambda path: files.truncate(path, size))

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._write(rel, lambda path: files.atomic_write(path, data))

    def remove(self, rel: str) -> None:
        def unlink(path: Path) -> None:
            path.unlink(missing_ok=True)
            files.fsync_dir(path.parent)

        self._write(rel, unlink)

    def log_stamp(self) -> str | None:
        """The sorted names of the log files, with size, mtime and inode of the appendable ones. A
        .gz file is only ever replaced by one that also removes or adds a file, or (an undo of an
        old review) with the totals saved at once, so its name is enough: opening the statistics
        stats a handful of files, not one per day of history."""
        folder = self.root / LOG_DIR
        parts = []
        try:
            names = sorted(n for n in os.listdir(folder) if LOG_FILE.match(n))
        except FileNotFoundError:
            return "empty"
        except OSError:
            return None
        for name in names:
            parts.append(name)
            if not name.endswith(".gz"):
                try:
                    st = os.stat(folder / name)
                except OSError:
                    return None
                parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}")
        import hashlib  # (here: opening a store for the first card needs no hashlib)

        return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20]

    def read_totals(self) -> Any:
        try:
            return files.read_cache(self.root / LOG_DIR / TOTALS_NAME)
        except (OSError, ValueError, StoreError, RecursionError):
            return None

    def write_cache(self, rel: str, data: bytes) -> None:
        if self.read_only:
            return
        try:
            files.atomic_write(self.root / rel, data, durable=False)
        except OSError:
            pass

    def save_totals(self, data: Any) -> None:
        log = self.root / LOG_DIR
        if self.read_only and not log.is_dir():
            return  # a reader creates nothing
        try:
            # Not fsynced: after a power cut a lost or empty file is simply rebuilt from the log.
            files.atomic_write(log / TOTALS_NAME, json.dumps(data, separators=(",", ":")).encode(),
                               durable=False)
        except OSError:
            pass


class MemoryBackend(Backend):
    def __init__(self, read_only: bool = False, read_only_reason: str = "") -> None:
        super().__init__(read_only, read_only_reason)
        self._raw: dict[str, bytes] = {}

    def read_bytes(self, rel: str) -> bytes | None:
        return self._raw.get(rel)

    def size(self, rel: str) -> int:
        return len(self._raw.get(rel, b""))

    def log_tail(self, rel: str) -> tuple[int, int, bytes]:
        data = self._raw.get(rel, b"")
        end = data.rfind(b"\n")
        return len(data), end + 1, data[data.rfind(b"\n", 0, max(end, 0)) + 1:max(end, 0)]

    def append(self, rel: str, data: bytes) -> None:
        self._raw[rel] = self._raw.get(rel, b"") + data

    def truncate(self, rel: str, size: int) -> None:
        self._raw[rel] = self._raw.get(rel, b"")[:size]

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._raw[rel] = bytes(data)

    def remove(self, rel: str) -> None:
        self._raw.pop(rel, None)

    def db(self, rel: str) -> TinyDB:
        db = self._dbs.get(rel)
        if db is None:
            db = self._dbs[rel] = TinyDB(storage=MemoryStorage)
        return db

    def path(self, rel: str) -> Path:
        return Path("<memory>") / rel

    def exists(self, rel: str) -> bool:
        if rel in self._raw:
            return True
        db = self._dbs.get(rel)
        return db is not None and db.storage.read() is not None

    def list(self, folder: str, pattern: re.Pattern[str]) -> list[str]:
        return sorted(rel for rel in {*self._dbs, *self._raw}
                      if rel.startswith(folder + "/") and pattern.match(rel[len(folder) + 1:])
                      and self.exists(rel))

    def forget(self, rel: str) -> None:
        """Memory cannot fail to write: there is nothing to re-read."""

    def close(self) -> None:
        """Closing forgets nothing: an in-memory store lives as long as the object."""

    def load(self, contents: dict[str, Tables | bytes]) -> None:
        for rel, content in contents.items():
            if isinstance(content, bytes):
                self._raw[rel] = content
            elif rel.startswith(CARDS_DIR + "/"):  # (card files are read and written as bytes)
                self._raw[rel] = files.encode_tables(content)
            else:
                self.db(rel).storage.write(content)
