"""Parsed and validated files (decks, the lexicon) kept between runs, so a start parses no TOML.

A deck's text is read on every start (it is small); parsing and checking it is what costs (tomllib
and the validation, about 20 ms for each shipped deck). The result is kept as a pickle in the user
cache folder, one entry per file, with a key naming everything the result depends on: the text
itself (kept whole in the entry and compared, so an edit is seen even when the size and the
modification time stay the same; no hash that two texts could share, and no hashlib to import at
every start), the path as given, hipquiz's version and its code (the size and modification time of
every module of ``hipquiz.core``, so a changed parser never reads an old entry). A hit returns what the parse would
have returned; anything else (no entry, another key, an unreadable or damaged entry, an entry of
another Python, a file others could have written, a folder that cannot be written) parses again. An entry is written to a temporary
file and renamed over the old one, so a reader never sees half of one; writing one also deletes the
entries of that kind named as earlier versions named them (never read again). Nothing but parse
results is kept there: deleting the folder loses nothing.

``HIPQUIZ_CACHE`` names another folder; set to the empty string it turns the cache off.
"""

from __future__ import annotations

import functools
import os
import pickle
import stat
import tempfile
import zlib
from pathlib import Path
from typing import Callable, TypeVar

from hipquiz import __version__

CACHE_ENV = "HIPQUIZ_CACHE"
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder of the cache: $HIPQUIZ_CACHE, else the platform's user cache folder; None when
    $HIPQUIZ_CACHE is set but empty (no cache)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen else None
    from platformdirs import user_cache_path

    return user_cache_path("hipquiz", appauthor=False)


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """Names the code that parses: hipquiz's version and every core module's size and mtime."""
    parts = [__version__]
    core = Path(__file__).resolve().parent
    for folder, subfolders, files in os.walk(core):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return ";".join(parts)


def cached(kind: str, path: Path, text: str, parse: Callable[[], T], expected: type | tuple[type, ...]) -> T:
    """``parse()`` (which parses ``text``, read from ``path``), or its result kept from an earlier
    run when nothing it depends on changed. ``expected`` is the type of a result: an entry holding
    anything else is not used. Exceptions of ``parse`` (a deck's problems) pass through and nothing
    is kept for them."""
    folder = cache_dir()
    if folder is None:
        return parse()
    key = (kind, str(path), text, code_stamp())
    # The entry's name only spreads the files out: two paths that share one replace each other's
    # entry (the key holds the whole path), nothing more.
    entry = folder / f"{kind}-{zlib.crc32(str(path).encode('utf-8', 'surrogateescape')):08x}.pickle"
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO never blocks
        with os.fdopen(os.open(entry, flags), "rb") as handle:
            # Unpickling runs code: only a regular file of the user's own that no one else can
            # write is read (the user can change hipquiz's own code as easily).
            if _trusted(os.fstat(handle.fileno())):
                found_key, value = pickle.load(handle)
                if found_key == key and isinstance(value, expected):
                    return value
    except Exception:  # noqa: BLE001 - missing, unreadable, damaged or foreign: parse again
        pass
    value = parse()
    if _write(entry, (key, value)):
        _remove_former_entries(folder, kind)
    return value


def _trusted(info: os.stat_result) -> bool:
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(entry: Path, content: object) -> bool:
    """Whether ``content`` was written."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(content, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        return False  # a cache that cannot be written costs a parse next time, nothing more
    return True


# The hex digits in the entry names of earlier hipquiz versions (blake2b of 10 bytes, until entries
# were named by crc32). No version reads those entries again, so they would stay for good.
FORMER_NAME_DIGITS = (20,)
_HEX = frozenset("0123456789abcdef")


def _remove_former_entries(folder: Path, kind: str) -> None:
    """Delete the entries of ``kind`` named as earlier versions named them. Done after a write, that
    is after a file or hipquiz's code changed (a new version's first start writes every entry), so
    a start that reads its entries never lists the folder. Only names hipquiz itself gave are
    touched, and only in the cache folder; anything else there stays."""
    prefix, suffix = f"{kind}-", ".pickle"
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        digits = name[len(prefix):-len(suffix)] if name.startswith(prefix) and name.endswith(suffix) else ""
        if len(digits) in FORMER_NAME_DIGITS and set(digits) <= _HEX:
            try:
                os.unlink(folder / name)  # a link is removed, never what it points to
            except OSError:
                pass  # a folder by that name, or gone already: nothing of ours to remove
