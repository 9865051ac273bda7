"""Daily backups: full, fsynced, independent copies of the store files, and putting one back.

Backups share nothing with the live files (no hard links), so a file damaged in place (truncated,
saved over by an editor, a bad disk) cannot damage its backups, and no backup depends on another.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreError
from hipquiz.core.model import utc_now
from hipquiz.core.settings import default, valid_or_default
from hipquiz.core.store import files
from hipquiz.core.store.doctor import check_store
from hipquiz.core.store.files import os_error_text, require_folder
from hipquiz.core.store.layout import (
    BACKUP_FOLDER,
    BACKUPS_DIR,
    INDEX_NAME,
    LOG_DIR,
    META_NAME,
    V1_MIGRATED_NAME,
    store_files,
)
from hipquiz.core.store.lock import Lock

DEFAULT_BACKUPS_KEEP = default("backups_keep")


def backups_keep(settings: dict[str, Any]) -> int:
    """How many daily backups to keep: the saved setting when it is valid (a bad one never stops a
    store from opening; ``hipquiz config`` refuses to save one)."""
    return valid_or_default("backups_keep", settings.get("backups_keep"))


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
        if child.is_dir() and BACKUP_FOLDER.match(child.name):
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


def copy_store(source: Path, target: Path) -> None:
    """Copy every store file (meta, card shards, every log file) from ``source`` into ``target``.

    Every file is copied, whether or not it changed since the previous backup: a backup must not share
    anything with the live files, nor depend on another backup.
    """
    folders = {target}
    for rel in store_files(source):
        dest = target / rel
        files.private_dir(dest.parent)
        _copy_file(source / rel, dest)
        folders.add(dest.parent)
    for folder in folders:
        files.fsync_dir(folder)


def make_daily_backup(data_dir: Path, *, now: Callable[[], datetime] = utc_now,
                      keep: int = DEFAULT_BACKUPS_KEEP) -> Path | None:
    """Copy the store to ``backups/<local date>/`` unless today's copy exists; keep the newest ``keep``.

    Each backup is a complete, independent copy of the files (no hard links, nothing shared).

    Returns the new backup folder, or None when there was nothing to do. The caller holds the lock.
    """
    data_dir = Path(data_dir)
    if not store_files(data_dir):
        return None
    today = now().astimezone().date().isoformat()
    backups = data_dir / BACKUPS_DIR
    target = backups / today
    made = None
    if not target.exists():
        staging = backups / f".tmp-{today}"
        try:
            shutil.rmtree(staging, ignore_errors=True)
            files.private_dir(staging)
            copy_store(data_dir, staging)
            os.replace(staging, target)
            files.fsync_dir(backups)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if backups.exists() and not backups.is_dir():
                raise StoreError(f"{backups} is a file where hipquiz keeps its backups folder: "
                                 "move it away") from None
            raise StoreError(f"could not make today's backup in {backups} ({os_error_text(exc)}); "
                             f"{files.what_to_do(exc)}") from None
        made = target
    for old in list_backups(data_dir)[:-keep]:
        shutil.rmtree(old.path, ignore_errors=True)
    return made


def _stamp(now: Callable[[], datetime]) -> str:
    return now().astimezone().strftime("%Y%m%d-%H%M%S")


def keep_copy(data_dir: Path, prefix: str, now: Callable[[], datetime]) -> Path:
    base = data_dir / f"{prefix}-{_stamp(now)}"
    target, n = base, 1
    while target.exists():
        n += 1
        target = base.with_name(f"{base.name}-{n}")
    files.private_dir(target)
    copy_store(data_dir, target)
    for extra in (V1_MIGRATED_NAME,):
        if (data_dir / extra).is_file():
            shutil.copy2(data_dir / extra, target / extra)
    return target


def restore_backup(data_dir: Path, day: date | str, *, now: Callable[[], datetime] = utc_now) -> Path:
    """Put the backup of ``day`` back in place; returns the folder where the replaced files are kept."""
    data_dir = Path(data_dir)
    require_folder(data_dir)
    try:
        if not isinstance(day, date) and not BACKUP_FOLDER.match(str(day)):
            raise ValueError(day)
        wanted = day if isinstance(day, date) else date.fromisoformat(str(day))
    except ValueError:
        raise StoreError(f"DATE must look like 2026-11-24, not {day!r} (see 'hipquiz backup list')") from None
    source = data_dir / BACKUPS_DIR / wanted.isoformat()
    if not source.is_dir():
        raise StoreError(f"there is no backup of {wanted.isoformat()} in {data_dir / BACKUPS_DIR}; "
                         "see 'hipquiz backup list'")
    if not store_files(source):
        raise StoreError(f"the backup {source} is empty; choose another date")
    problems = check_store(source)
    if problems:
        raise StoreError(f"the backup {source} is damaged ({problems[0]}); choose another date")
    lock = Lock.acquire(data_dir)
    try:
        kept = keep_copy(data_dir, "replaced", now)
        current = store_files(data_dir)
        # meta.json goes first and comes back last: an interrupted restore is reported, not half-used.
        current.sort(key=lambda rel: rel != Path(META_NAME))
        try:
            for rel in current:
                (data_dir / rel).unlink()
            try:
                (data_dir / LOG_DIR / INDEX_NAME).unlink()
            except FileNotFoundError:
                pass
            incoming = store_files(source)
            incoming.sort(key=lambda rel: rel == Path(META_NAME))
            for rel in incoming:
                files.atomic_write(data_dir / rel, (source / rel).read_bytes())
        except OSError as exc:
            raise StoreError(f"restoring {source} failed ({os_error_text(exc)}); the files as they "
                             f"were are kept in {kept}") from None
        return kept
    finally:
        lock.release()

