"""Atomic, durable file writes and the JSON encoding of one TinyDB file.

A file is written whole beside the old one (flush, fsync), renamed over it, and its folder fsynced, so
the path holds either the old or the new bytes, never a mix. Reading validates the shape of the
tables and raises :class:`StoreCorrupt` naming the file.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreCorrupt, StoreError, StoreNotAFolder
from hipquiz.core.untrusted import NotARegularFile, TooLarge, read_regular

TMP_SUFFIX = ".tmp"
# A day of the log is about 400 bytes a review (16 MB: 40,000 reviews); a card file a 64th of the cards.
# A file far larger is not hipquiz's: it is refused at once rather than parsed for seconds.
MAX_FILE_BYTES = 16_000_000


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


def os_error_text(exc: OSError) -> str:
    """The real cause in words: a read-only file system is not a permissions problem."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EISDIR:
        return "it is a folder where a file should be"
    if exc.errno == errno.ENOTDIR:
        return "a file is where a folder should be"
    if exc.errno == errno.ELOOP:
        return "it is a symbolic link"
    return exc.strerror or str(exc)


def read_only_fs(folder: Path) -> bool:
    """Whether ``folder`` is on a file system mounted read-only (so that a message can say so)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # AttributeError: no statvfs (Windows)
        return False


def private_dir(path: Path) -> None:
    """``mkdir -p`` whose new folders are readable by their owner only (0700), whatever the umask."""
    missing: list[Path] = []
    folder = Path(path)
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)


# What hipquiz itself keeps in a data folder: none of them may be a link, or writes would land
# wherever it points (as root, any file).
OWN_NAMES = ("meta.json", "hipquiz.lock", "cards", "log", "backups", "progress.json")


def refuse_links(data_dir: Path) -> None:
    """Raise StoreError naming the first of hipquiz's own names in ``data_dir`` that is a link."""
    for name in OWN_NAMES:
        path = Path(data_dir) / name
        if path.is_symlink():
            raise StoreError(f"{path} is a symbolic link: hipquiz keeps only its own files in "
                             f"{data_dir}; move the link away (and its target back, if it was moved)")


def refuse_foreign_owner(data_dir: Path) -> None:
    """Raise StoreError when another user owns ``data_dir``: they could take the lock or plant files."""
    getuid = getattr(os, "geteuid", None)
    if getuid is None:  # pragma: no cover - Windows
        return
    try:
        owner = os.stat(data_dir).st_uid
    except OSError:
        return
    if owner != getuid():
        raise StoreError(f"{data_dir} belongs to another user (uid {owner}): use a data folder of your "
                         "own (--data DIR)")


def write_failed(path: Path, exc: OSError) -> StoreError:
    return StoreError(f"could not save {path} ({os_error_text(exc)}); the previous version is intact - "
                      f"{what_to_do(exc)}")


def what_to_do(exc: OSError) -> str:
    """The advice that fits the cause (not "free some space" for a read-only file system)."""
    if exc.errno == errno.ENOSPC:
        return "free some space and try again"
    if exc.errno == errno.EROFS:
        return "use a data folder on a writable disk (--data DIR)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "fix the folder's permissions and try again"
    if exc.errno in (errno.EISDIR, errno.ENOTDIR):
        return "move the misplaced file or folder away ('hipquiz doctor' names it)"
    return "try again; 'hipquiz doctor' checks the folder"


def fsync_dir(folder: Path) -> None:
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


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that the path holds either the old or the new bytes, never a mix.

    Raises OSError; the old file is untouched and no temporary file is left behind.
    """
    folder = path.parent
    private_dir(folder)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=folder)
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
        fsync_dir(folder)


def append_durably(path: Path, data: bytes) -> None:
    """Append ``data`` to ``path`` (created 0600 if needed) and fsync it: one fsync, plus the
    folder's when the file is new. Raises OSError; the file may then end with part of ``data``."""
    new = not os.path.lexists(path)
    if new:
        private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            if written <= 0:  # (a write that makes no progress would loop for ever)
                raise OSError(errno.ENOSPC, "No space left on device")
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        fsync_dir(path.parent)


def truncate(path: Path, size: int) -> None:
    """Cut ``path`` back to ``size`` bytes, and try to make it durable. Raises OSError only when the
    cut itself fails: a failed fsync (a full disk refusing the save being taken back) leaves the
    file cut for every reader, and the next save's fsync makes it durable."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.ftruncate(fd, size)
        try:
            os.fsync(fd)
        except OSError:
            pass
    finally:
        os.close(fd)


def log_tail(path: Path) -> tuple[int, int, bytes]:
    """(size, end of its last whole line, that line without its newline) of an appendable log
    file; (0, 0, b"") when missing. Reads only the tail, backwards from the end: ``end < size``
    means the file ends with a line cut short (a save that never finished, a copy cut off)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return 0, 0, b""
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({os_error_text(exc)})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StoreCorrupt(path, "is not a regular file",
                               "move it out of the data folder (hipquiz reads only its own files)")
        if info.st_size > MAX_FILE_BYTES:
            raise StoreCorrupt(path, f"is larger than {MAX_FILE_BYTES // 1_000_000} MB, far beyond any "
                                     "hipquiz file")
        size = start = info.st_size
        tail = b""
        while start > 0:
            start = max(0, start - 65536)
            tail = os.pread(fd, size - start - len(tail), start) + tail
            last_newline = tail.rfind(b"\n")
            if last_newline != -1 and (start == 0 or tail.rfind(b"\n", 0, last_newline) != -1):
                line_start = tail.rfind(b"\n", 0, last_newline) + 1
                return size, start + last_newline + 1, tail[line_start:last_newline]
        return size, 0, b""
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({os_error_text(exc)})") from None
    finally:
        os.close(fd)


# A sealed (.gz) day of the log unpacks to at most this: far beyond a real day (40,000 reviews).
MAX_UNPACKED_BYTES = 64_000_000


def seal(data: bytes) -> bytes:
    """A log day compressed (no time stamp inside: the same lines give the same bytes)."""
    import gzip  # here: past days are sealed at a checkpoint (at close), never before the first card

    return gzip.compress(data, compresslevel=6, mtime=0)


def unseal(path: Path, raw: bytes) -> bytes:
    """The lines of a sealed log day; raises StoreCorrupt for a damaged or oversized file."""
    try:
        inflater = zlib.decompressobj(wbits=31)
        data = inflater.decompress(raw, MAX_UNPACKED_BYTES)
        if inflater.unconsumed_tail:
            raise StoreCorrupt(path, f"unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB, "
                                     "far beyond any hipquiz file")
        if not inflater.eof:
            raise StoreCorrupt(path, "is cut short (not a whole compressed file)")
    except zlib.error:
        raise StoreCorrupt(path, "is not a compressed hipquiz log file") from None
    return data


_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def encode_tables(data: dict[str, dict[str, Any]]) -> bytes:
    """TinyDB's JSON layout, one document per line: small diffs, readable, and salvageable by line."""
    encode = _ENCODER.encode  # one encoder for all documents: json.dumps(**options) builds one per call
    tables = []
    for name, table in data.items():
        docs = ",\n".join(f"{encode(str(doc_id))}: {encode(doc)}" for doc_id, doc in table.items())
        tables.append(f"{encode(name)}: {{\n{docs}\n}}" if docs else f"{encode(name)}: {{}}")
    return ("{" + ",\n".join(tables) + "}\n").encode("utf-8")


def encode_cards(table: dict[str, Any]) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """A card file's bytes, exactly as ``encode_tables({"cards": table})`` writes them, and where
    each document's line is in them (document id -> (start, end)): what the card index records so
    that one card's state can be read without parsing its whole file."""
    encode = _ENCODER.encode
    if not table:
        return b'{"cards": {}}\n', {}
    head = b'{"cards": {\n'
    parts = [head]
    spans: dict[str, tuple[int, int]] = {}
    pos = len(head)
    for doc_id, doc in table.items():
        line = f"{encode(str(doc_id))}: {encode(doc)}".encode("utf-8")
        if len(parts) > 1:
            parts.append(b",\n")
            pos += 2
        parts.append(line)
        spans[str(doc_id)] = (pos, pos + len(line))
        pos += len(line)
    parts.append(b"\n}}\n")
    return b"".join(parts), spans


# The longest integer hipquiz writes is a millisecond timestamp (13 digits); Python refuses to
# convert more than 4,300 digits at all, and converting takes time growing with the square of the
# length. Far beyond any real value, well below that limit:
MAX_INT_DIGITS = 1000


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as infinity
        raise ValueError(f"the number {text[:12]} is too large")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise ValueError(f"a {len(text.lstrip('-'))}-digit number")
    return int(text)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number")


# json.loads would read NaN, Infinity and 1e400 as floats and hand a 5,000-digit integer to int():
# none of them is a value hipquiz writes, and each would fail far from here.
STRICT_JSON = json.JSONDecoder(parse_float=_finite_float, parse_int=_bounded_int, parse_constant=_no_constant)


def decode_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """Parse and shape-check a TinyDB file; raises StoreCorrupt naming ``path``."""
    if not raw.strip():
        raise StoreCorrupt(path, "is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StoreCorrupt(path, "is not a text file (binary data)") from None
    try:
        data = STRICT_JSON.decode(text)
    except json.JSONDecodeError as exc:
        raise StoreCorrupt(path, f"is not valid JSON (line {exc.lineno})") from None
    except ValueError as exc:
        raise StoreCorrupt(path, f"holds a number hipquiz cannot use ({exc})") from None
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


def read_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    raw = read_store_file(path)
    return None if raw is None else decode_tables(path, raw)


def read_cache(path: Path) -> Any:
    """A cache file's JSON (the review counts, the statistics totals), read with the same care as
    the store's files; raises OSError, ValueError or StoreError, for the caller to rebuild it."""
    raw = read_store_file(path, missing_ok=False)
    return STRICT_JSON.decode(raw.decode("utf-8"))  # type: ignore[union-attr]


def read_store_file(path: Path, *, missing_ok: bool = True) -> bytes | None:
    """The bytes of one store file (None when missing): a regular file, not a link, of at most
    MAX_FILE_BYTES. A FIFO or a link to /dev/zero would otherwise hang every command."""
    try:
        return read_regular(path, MAX_FILE_BYTES, follow_links=False)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise
    except NotARegularFile as exc:
        raise StoreCorrupt(path, f"is {exc.kind}, not a file",
                           "move it out of the data folder (hipquiz reads only its own files)") from None
    except TooLarge:
        raise StoreCorrupt(path, f"is larger than {MAX_FILE_BYTES // 1_000_000} MB, far beyond any "
                                 "hipquiz file") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path} ({os_error_text(exc)})") from None

