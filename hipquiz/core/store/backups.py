"""Daily backups: a compressed, fsynced zip of the store files per day, and putting one back.

A backup costs nothing at start-up: opening the store takes none. ``Store.finish_backups`` (the
app calls it in a worker once its first screen is up; any other command when it closes the store)
freezes the day's files into ``backups/.snap-DATE/``: hard links to the files that are only ever
replaced by renaming a new one over them (card files, meta.json, past days of the log), so a linked
file never changes afterwards; a copy, up to its last whole line, of the day's log, which saves
append to. Then it writes the zip from the snapshot, fsyncs it and removes the snapshot. Saves go
on meanwhile: only a checkpoint (rare) waits for the few links taken under the store's lock.
Finished backups share nothing with the live files and none depends on another.
Older hipquiz versions kept each backup as a folder ``backups/DATE/``; those are still listed and
restored.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreError
from hipquiz.core.model import utc_now
from hipquiz.core.settings import default, valid_or_default
from hipquiz.core.store import files
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
# The copy a migration keeps (see keep_before_migration): restored by its name.
BEFORE_MIGRATION = re.compile(r"^before-schema-\d+-(\d{4}-\d{2}-\d{2})(?:-\d+)?$")


def backups_keep(settings: dict[str, Any]) -> int:
    """How many daily backups to keep: the saved setting when it is valid (a bad one never stops a
    store from opening; ``hipquiz config`` refuses to save one)."""
    return valid_or_default("backups_keep", settings.get("backups_keep"))


SNAPSHOT_PREFIX = ".snap-"
# One zip at a time: the app's worker and a closing store may both offer to finish the same snapshot.
_finishing = threading.Lock()
_snapshotting = threading.Lock()


@dataclass(frozen=True)
class BackupInfo:
    """One daily backup: its day, its file and its size in bytes."""

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
        # DATE.zip; DATE/ (older versions); .snap-DATE/ (today's, not compressed yet).
        name = child.name.removesuffix(".zip") if child.suffix == ".zip" else child.name.removeprefix(SNAPSHOT_PREFIX)
        if not re.match(BACKUP_FOLDER, name) or not (child.is_dir() or child.is_file()):
            continue
        try:
            day = date.fromisoformat(name)
        except ValueError:
            continue
        size = _folder_size(child) if child.is_dir() else child.stat().st_size
        found.append(BackupInfo(day, child, size))
    found.sort(key=lambda info: info.date)
    return found


def list_migration_copies(data_dir: Path) -> list[tuple[str, Path, int]]:
    """The copies kept before an upgrade changed the files (``before-schema-N-DATE[-K].zip``), as
    (name to restore it by, path, size), oldest first. Never pruned, so listed apart."""
    folder = Path(data_dir) / BACKUPS_DIR
    if not folder.is_dir():
        return []
    return [(child.name.removesuffix(".zip"), child, child.stat().st_size)
            for child in sorted(folder.glob("before-schema-*.zip"), key=lambda p: p.stat().st_mtime)
            if child.is_file() and BEFORE_MIGRATION.match(child.name.removesuffix(".zip"))]


def _copy_file(source: Path, target: Path) -> None:
    """A real, durable copy (never a link: a file damaged in place must not damage its backups)."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
    shutil.copystat(source, target)


def _copy_whole_lines(source: Path, target: Path, size: int) -> None:
    """A copy of an appendable log file's first ``size`` bytes, up to the last whole line in them: a
    link would keep growing with the day's saves, and a save under way may have written part of its
    line (the lines after ``size`` are beyond the card files and pending.json taken with it)."""
    with open(source, "rb") as src:
        data = src.read(size)
    files.private_dir(target.parent)
    with open(target, "wb") as dst:
        dst.write(data[:data.rfind(b"\n") + 1])
        dst.flush()
        os.fsync(dst.fileno())


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


def _backup_failed(backups: Path, exc: OSError) -> StoreError:
    if backups.exists() and not backups.is_dir():
        return StoreError(f"{backups} is a file where hipquiz keeps its backups folder: move it away")
    return StoreError(f"could not make today's backup in {backups} ({os_error_text(exc)}); "
                      f"{files.what_to_do(exc)}")


def take_snapshot(data_dir: Path, *, now: Callable[[], datetime] = utc_now,
                  guard: AbstractContextManager[Any] | None = None) -> Path | None:
    """Freeze today's backup (hard links, and the appendable log copied up to its last whole line),
    unless today's backup exists or is pending. Returns the snapshot folder, or None.

    The caller holds the writer lock. ``guard`` (the store's own lock, taken by every checkpoint)
    is held while the files that must agree are taken: meta, the card files, ``log/pending.json``
    and the size of each appendable log file; not while the rest is linked or copied."""
    with _snapshotting:  # (the app's worker and a closing store may both offer to take it)
        return _take_snapshot(Path(data_dir), now, guard)


def _take_snapshot(data_dir: Path, now: Callable[[], datetime],
                   guard: AbstractContextManager[Any] | None) -> Path | None:
    today = now().astimezone().date().isoformat()
    backups = data_dir / BACKUPS_DIR
    snapshot = backups / f"{SNAPSHOT_PREFIX}{today}"
    # Checked first: listing the store's files stats each day of the log (10 ms at 1,000 days, in
    # the worker that runs while the first screen is drawn).
    if (backups / f"{today}.zip").exists() or (backups / today).exists() or snapshot.exists():
        return None
    if not store_files(data_dir):
        return None
    staging = backups / f".tmp-snap-{today}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        files.private_dir(staging)
        later: list[Path] = []
        sizes: dict[Path, int] = {}
        with guard or nullcontext():
            for rel in store_files(data_dir):
                if rel.name.endswith(".jsonl"):
                    sizes[rel] = (data_dir / rel).stat().st_size
                elif rel.name.endswith(".gz"):
                    later.append(rel)  # replaced by renames only, and never by a save
                else:
                    _freeze(data_dir / rel, staging / rel)
        for rel in later:
            _freeze(data_dir / rel, staging / rel)
        for rel, size in sizes.items():
            _copy_whole_lines(data_dir / rel, staging / rel, size)
        os.replace(staging, snapshot)
        files.fsync_dir(backups)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise _backup_failed(backups, exc) from None
    return snapshot


def _freeze(source: Path, dest: Path) -> None:
    files.private_dir(dest.parent)
    try:
        os.link(source, dest)
    except OSError:  # a file system without hard links: a real copy, slower but the same
        _copy_file(source, dest)


def pending_snapshots(data_dir: Path) -> list[Path]:
    backups = Path(data_dir) / BACKUPS_DIR
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.glob(f"{SNAPSHOT_PREFIX}*") if p.is_dir())


def _write_zip(root: Path, rels: list[Path], target: Path, *, level: int) -> None:
    """Zip the files ``rels`` of ``root`` into ``target``: written aside, fsynced, 0600, renamed
    into place. Raises OSError (nothing is left behind)."""
    import zipfile  # here: zips are made after the first screen is up, in a thread (finish_backups)

    partial = target.with_name(f".tmp-{target.name}")
    try:
        files.private_dir(target.parent)
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
            for rel in rels:
                # (a past day of the log is compressed already: stored as it is)
                archive.write(root / rel, rel.as_posix(), compress_type=zipfile.ZIP_STORED
                              if rel.name.endswith(".gz") else zipfile.ZIP_DEFLATED)
        with open(partial, "rb+") as done:
            os.fsync(done.fileno())
        os.chmod(partial, 0o600)
        os.replace(partial, target)
        files.fsync_dir(target.parent)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def keep_before_migration(data_dir: Path, schema: int, now: Callable[[], datetime]) -> Path:
    """A zip of every store file as it is, ``backups/before-schema-N-DATE.zip``, taken before a
    migration to schema N changes them: not a daily backup (whatever backups the day has, this one
    is taken), never pruned. Raises OSError."""
    data_dir = Path(data_dir)
    base = f"before-schema-{schema}-{now().astimezone().date().isoformat()}"
    target, n = data_dir / BACKUPS_DIR / f"{base}.zip", 1
    while target.exists():  # (a migration redone after a crash: the earlier copy stays as it was)
        n += 1
        target = target.with_name(f"{base}-{n}.zip")
    # Level 1: schema 2's JSON shrinks tenfold at it, and 100,000 reviews take a third of a second.
    _write_zip(data_dir, store_files(data_dir), target, level=1)
    return target


def finish_backups(data_dir: Path, *, keep: int = DEFAULT_BACKUPS_KEEP) -> list[Path]:
    """Compress every pending snapshot into ``backups/DATE.zip`` (written aside, fsynced, renamed
    into place) and remove it; keep the newest ``keep`` backups. Safe beside saves: a snapshot's
    files never change. Returns the zips written."""
    data_dir = Path(data_dir)
    backups = data_dir / BACKUPS_DIR
    written = []
    with _finishing:
        for snapshot in pending_snapshots(data_dir):
            day = snapshot.name.removeprefix(SNAPSHOT_PREFIX)
            target = backups / f"{day}.zip"
            try:
                _write_zip(snapshot, store_files(snapshot), target, level=6)
            except OSError as exc:
                raise _backup_failed(backups, exc) from None
            shutil.rmtree(snapshot, ignore_errors=True)
            written.append(target)
        for old in list_backups(data_dir)[:-keep] if keep > 0 else []:
            if old.path.is_dir():
                shutil.rmtree(old.path, ignore_errors=True)
            else:
                old.path.unlink(missing_ok=True)
    return written


def make_daily_backup(data_dir: Path, *, now: Callable[[], datetime] = utc_now,
                      keep: int = DEFAULT_BACKUPS_KEEP) -> Path | None:
    """Today's backup made at once (snapshot and zip), unless it exists; keep the newest ``keep``.

    Returns the new zip, or None when there was nothing to do. The caller holds the lock.
    """
    made = take_snapshot(data_dir, now=now)
    written = finish_backups(data_dir, keep=keep)
    return written[-1] if made is not None and written else None


def extract_backup(backup: Path, target: Path) -> None:
    """Unpack a zip backup into ``target`` (refusing any member that would land outside it)."""
    files.private_dir(target)
    import zipfile  # (see _write_zip)

    with zipfile.ZipFile(backup) as archive:
        for member in archive.infolist():
            dest = (target / member.filename).resolve()
            if not dest.is_relative_to(target.resolve()) or member.is_dir():
                continue
            files.private_dir(dest.parent)
            with archive.open(member) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)


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
    import zipfile  # (see _write_zip)

    data_dir = Path(data_dir)
    require_folder(data_dir)
    before_migration = BEFORE_MIGRATION.match(day) if isinstance(day, str) else None
    try:
        if not isinstance(day, date) and not re.match(BACKUP_FOLDER, str(day)) and not before_migration:
            raise ValueError(day)
        wanted = day if isinstance(day, date) else date.fromisoformat(
            before_migration.group(1) if before_migration else str(day))
    except ValueError:
        raise StoreError(f"DATE must look like 2026-11-24, not {day!r} (see 'hipquiz backup list')") from None
    name = str(day) if before_migration else wanted.isoformat()
    source = data_dir / BACKUPS_DIR / name
    archive = source.with_name(f"{name}.zip")
    if archive.is_file():
        unpacked = data_dir / BACKUPS_DIR / f".restore-{name}"
        shutil.rmtree(unpacked, ignore_errors=True)
        try:
            extract_backup(archive, unpacked)
        except (OSError, zipfile.BadZipFile) as exc:
            shutil.rmtree(unpacked, ignore_errors=True)
            raise StoreError(f"the backup {archive} cannot be read ({exc}); choose another date") from None
        try:
            return _restore_from(data_dir, unpacked, archive, now)
        finally:
            shutil.rmtree(unpacked, ignore_errors=True)
    if not source.is_dir():
        source = source.with_name(f"{SNAPSHOT_PREFIX}{wanted.isoformat()}")  # not compressed yet
    if not source.is_dir():
        raise StoreError(f"there is no backup of {wanted.isoformat()} in {data_dir / BACKUPS_DIR}; "
                         "see 'hipquiz backup list'")
    return _restore_from(data_dir, source, source, now)


def _restore_from(data_dir: Path, source: Path, shown: Path, now: Callable[[], datetime]) -> Path:
    """Put the store files of the folder ``source`` in place (``shown`` names it in messages)."""
    from hipquiz.core.store.doctor import check_store  # a command's work, not opening a store's

    if not store_files(source):
        raise StoreError(f"the backup {shown} is empty; choose another date")
    problems = check_store(source)
    if problems:
        raise StoreError(f"the backup {shown} is damaged ({problems[0]}); choose another date")
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
            raise StoreError(f"restoring {shown} failed ({os_error_text(exc)}); the files as they "
                             f"were are kept in {kept}") from None
        return kept
    finally:
        lock.release()

