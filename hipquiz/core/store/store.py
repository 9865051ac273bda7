"""The progress store: card states, the review log, settings and aliases of one data folder.

What it guarantees, and how (the other modules of this package do the work):

* **Atomic, durable writes** (``files``): a failed write leaves the old file as it was and raises
  :class:`StoreError`. **Bounded files** (``layout``): one save rewrites one small file.
* **Crash consistency between files.** ``record_review`` writes the log first (the review plus the
  card's new state as ``after``) and the card shard second. If the process dies in between, the next
  open sees that the newest review's card still holds ``previous`` and rolls it forward to ``after``.
  ``undo_last_review`` restores the card first and removes the review second, so a crash in between
  leaves the review in place (the undo did not happen) and the roll-forward keeps both files agreeing.
* **One writer** (``lock``): ``Store.open`` takes the writer lock; read-only opens take none.
* **Never overwrite what we cannot read** (``records``): every file is validated when first read
  (card shards and meta at open, log files when first needed); a bad file raises
  :class:`StoreCorrupt` and is left as it is. ``doctor`` and ``repair`` inspect and salvage.
* **Backups share nothing with the live files** (``backups``): a daily full, fsynced copy.
* **Older stores are migrated** (``migrations``) at open; in memory only when read-only.
"""

from __future__ import annotations

import bisect
import copy
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from hipquiz.core.errors import RecordError, StoreCorrupt, StoreError
from hipquiz.core.history import ReviewHistory, local_zone
from hipquiz.core.model import CardProgress, ReviewRecord, utc_now
from hipquiz.core.store.backends import Backend, FileBackend, MemoryBackend, put_single, replace_doc
from hipquiz.core.store.backups import backups_keep, finish_backups, pending_snapshots, take_snapshot
from hipquiz.core.store.files import (
    os_error_text,
    private_dir,
    read_only_fs,
    refuse_foreign_owner,
    refuse_links,
    require_folder,
)
from hipquiz.core.store.layout import (
    CARDS_DIR,
    LOG_CHUNK,
    LOG_DIR,
    LOG_FILE,
    META_NAME,
    SCHEMA_VERSION,
    SHARD_FILE,
    V1_MIGRATED_NAME,
    V1_NAME,
    LogKey,
    index_key,
    layout_files,
    log_key,
    log_name,
    remove_temp_files,
    shard_name,
    utc_day,
)
from hipquiz.core.store.lock import Lock, last_written, lock_holder
from hipquiz.core.store.migrations import migrate
from hipquiz.core.store.records import (
    LogEntry,
    by_id,
    card_from,
    cards_table,
    meta_from,
    review_from,
    reviews_table,
)


class Store:
    """Progress, review log, settings and aliases of one data folder. Open with :meth:`open`."""

    def __init__(self, backend: Backend, data_dir: Path, *, read_only: bool,
                 now: Callable[[], datetime], lock: Lock | None, read_only_reason: str) -> None:
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
        self._log_entries: dict[LogKey, list[LogEntry]] = {}
        self._index: dict[str, list[int]] = {}
        self._index_dirty = False
        # The running totals of the log for the statistics, once read (see review_history).
        self._totals: ReviewHistory | None = None
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
        refuse_links(data_dir)
        try:
            is_new = not (data_dir / META_NAME).exists() and not (data_dir / V1_NAME).exists()
        except OSError as exc:  # a folder that cannot be looked into (mode 000)
            raise StoreError(f"cannot read {data_dir} ({os_error_text(exc)}); fix the folder's "
                             "permissions ('hipquiz doctor' checks it)") from None
        lock: Lock | None = None
        if read_only:
            holder = lock_holder(data_dir)
            reason = (f"{data_dir} is opened read-only because another hipquiz (pid {holder}) is using "
                      "it; close it first to make changes") if holder else (
                      f"{data_dir} is opened read-only; changes cannot be saved")
        else:
            try:
                private_dir(data_dir)
            except OSError as exc:
                raise StoreError(f"cannot create {data_dir} ({os_error_text(exc)})") from None
            refuse_foreign_owner(data_dir)
            if read_only_fs(data_dir):
                raise StoreError(f"cannot save in {data_dir}: the file system is read-only; use "
                                 "read-only commands like 'hipquiz stats', or another --data folder")
            if not os.access(data_dir, os.W_OK):
                raise StoreError(f"cannot write to {data_dir} (permission denied); fix the folder's "
                                 "permissions, or use read-only commands like 'hipquiz stats'")
            lock = Lock.acquire(data_dir)
            reason = ""
        try:
            migrated = migrate(data_dir, read_only, reason, now)
            backend: Backend = migrated or FileBackend(data_dir, read_only, reason)
            if migrated is None and not read_only:
                if (data_dir / V1_NAME).exists():
                    # A crash after writing meta.json but before setting the old file aside.
                    os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
                remove_temp_files(data_dir)
            store = cls(backend, data_dir, read_only=read_only, now=now, lock=lock,
                        read_only_reason=reason)
            store.is_new = is_new
            store._load()
            if not read_only:
                # Only the fast part at open (hard links); the zip comes later, off the event loop.
                take_snapshot(data_dir, now=now)
            store._roll_forward()  # (in memory only when read-only)
        except BaseException as exc:
            if lock is not None:
                lock.release()
            if isinstance(exc, OSError):
                raise StoreError(f"cannot open the progress files in {data_dir} "
                                 f"({os_error_text(exc)}: {exc.filename})") from exc
            raise
        return store

    @classmethod
    def in_memory(cls, *, now: Callable[[], datetime] = utc_now) -> Store:
        """A store backed by TinyDB's MemoryStorage: same behaviour, nothing on disk (for tests)."""
        backend = MemoryBackend()
        backend.load({META_NAME: layout_files([], [], {}, {})[META_NAME]})
        store = cls(backend, Path("<memory>"), read_only=False, now=now, lock=None,
                    read_only_reason="")
        store.is_new = True
        store._load()
        return store

    def _load(self) -> None:
        b = self._backend
        if b.exists(META_NAME):
            _, settings, aliases = meta_from(b.path(META_NAME), b.read(META_NAME))
        else:
            shards_or_days = b.list(CARDS_DIR, SHARD_FILE) or b.list(LOG_DIR, LOG_FILE)
            if shards_or_days:
                raise StoreCorrupt(b.path(META_NAME), "is missing but card or log files exist")
            settings, aliases = {}, {}
            if not self.read_only:
                meta = b.db(META_NAME)
                put_single(meta.table("meta"), {"schema": SCHEMA_VERSION, "app": "hipquiz"})
        self._settings = copy.deepcopy(settings)
        self._aliases = {k: list(v) for k, v in aliases.items()}
        for rel in b.list(CARDS_DIR, SHARD_FILE):
            self._load_shard(rel)
        self._logs = sorted(log_key(rel) for rel in b.list(LOG_DIR, LOG_FILE))
        self._index = self._backend.read_index()
        self._last_entry()  # validates the newest log file(s) now, before a backup is made

    def _load_shard(self, rel: str) -> None:
        path = self._backend.path(rel)
        tables = self._backend.read(rel) or {}
        for card_id in [c for c, (r, _) in self._card_loc.items() if r == rel]:
            del self._card_loc[card_id]
            self._cards.pop(card_id, None)
        for doc_id, doc in by_id(cards_table(path, tables)):
            progress = card_from(path, doc)
            where = self._card_loc.get(progress.card_id)
            if where is not None and where != (rel, int(doc_id)):
                raise StoreCorrupt(path, f"holds card {progress.card_id!r} that is also in {where[0]}")
            self._cards[progress.card_id] = progress
            self._card_loc[progress.card_id] = (rel, int(doc_id))

    def _entries(self, key: LogKey) -> list[LogEntry]:
        """A log file's reviews, kept in memory from now on (the newest file, and files being written)."""
        entries = self._log_entries.get(key)
        if entries is None:
            tables = self._backend.read(log_name(*key))
            entries = self._parse_log(key, tables)
            self._log_entries[key] = entries
        return entries

    def _peek_entries(self, key: LogKey) -> list[LogEntry]:
        """A log file's reviews without keeping them: a long history is read, not hoarded."""
        entries = self._log_entries.get(key)
        if entries is None:
            entries = self._parse_log(key, self._backend.peek(log_name(*key)))
        return entries

    def _parse_log(self, key: LogKey, tables: dict[str, dict[str, Any]] | None) -> list[LogEntry]:
        path = self._backend.path(log_name(*key))
        return [review_from(path, i, doc) for i, doc in by_id(reviews_table(path, tables))]

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

    def _last_entry(self) -> tuple[LogKey, LogEntry] | None:
        """The newest review: the last one of the newest log file that is not empty."""
        for key in reversed(self._logs):
            entries = self._entries(key)
            if entries:
                return key, entries[-1]
        return None

    def _roll_forward(self) -> None:
        """Finish a record_review that died between writing the log and writing the card.

        The review last written is the last of the log file the lock file names (the writer notes
        it before appending), or of the newest file by name: not always the same one, when a review
        was dated in the future (a clock that was ahead). Each is rolled forward only if its card
        still holds exactly the state before it (see consistency.py), so checking both is safe."""
        written = self._lock.last_written if self._lock is not None else last_written(self.data_dir)
        candidates = [self._last_entry()]
        if written is not None and LOG_FILE.match(written.removeprefix(LOG_DIR + "/")):
            key = log_key(written)
            if key in self._logs and self._entries(key):
                candidates.append((key, self._entries(key)[-1]))
        for last in candidates:
            if last is not None and last[1].after is not None:
                self._roll_forward_entry(last[1])

    def _roll_forward_entry(self, entry: LogEntry) -> None:
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

    def finish_backups(self) -> list[Path]:
        """Compress today's pending backup (and any left by an earlier run); prune old ones.
        Safe to call from a worker thread while answers are being saved."""
        if self.read_only or self._closed:
            return []
        return finish_backups(self.data_dir, keep=backups_keep(self._settings))

    def close(self) -> None:
        if self._closed:
            return
        try:
            if not self.read_only and pending_snapshots(self.data_dir):
                self.finish_backups()  # not done in the background (a command, or a quick quit)
        except StoreError:
            pass  # the snapshot stays and is finished by the next writer; closing must go on
        self._closed = True
        try:
            if self._index_dirty:
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
                table.update(replace_doc(doc), doc_ids=[doc_id])
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
        totals = self._totals_before_write()
        key = self._log_to_append(utc_day(review.reviewed_at))
        entries = self._entries(key)  # validates the log file before anything is written to it
        if self._lock is not None:
            self._lock.note_writing(log_name(*key))
        doc = review.to_dict()
        doc["after"] = progress.to_dict()
        log = self._backend.db(log_name(*key)).table("reviews")
        try:
            doc_id = log.insert(doc)
        except StoreError:
            self._reload_log(key)
            raise
        entries.append(LogEntry(doc_id, review, doc["after"]))
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
            self._totals = None  # the log may hold the review: count again when next read
            raise
        # Last: a crash before this leaves the saved totals a review behind, which the next read
        # sees (their fingerprint no longer matches the log) and rebuilds.
        self._update_totals(totals, review, +1)

    def undo_last_review(self) -> ReviewRecord | None:
        """Remove the newest review from the log and put its card back as it was before it."""
        self._check_writable()
        last = self._last_entry()
        if last is None:
            return None
        return self._undo_entry(*last)

    def undo_review(self, review: ReviewRecord) -> ReviewRecord | None:
        """Remove the review with ``review``'s id from the log and put its card back as it was
        before it; None (nothing changed) when the log does not hold it.

        Found by its id, never by time order: a review dated in the future (a clock that was
        ahead once) must not be the one taken back."""
        self._check_writable()
        found = self._find_entry(review)
        if found is None:
            return None
        return self._undo_entry(*found)

    def _find_entry(self, review: ReviewRecord) -> tuple[LogKey, LogEntry] | None:
        day = utc_day(review.reviewed_at)
        # The review's own day first (where record_review put it), then every other file.
        keys = [k for k in reversed(self._logs) if k[0] == day] + [k for k in reversed(self._logs) if k[0] != day]
        for key in keys:
            for entry in reversed(self._entries(key)):
                if entry.review.id == review.id:
                    return key, entry
        return None

    def _undo_entry(self, key: LogKey, entry: LogEntry) -> ReviewRecord:
        review = entry.review
        if self._lock is not None:  # (a crash between the two writes leaves the review to roll forward)
            self._lock.note_writing(log_name(*key))
        totals = self._totals_before_write()
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
            self._totals = None
            raise
        self._entries(key).remove(entry)
        self._index_dirty = True
        self._update_totals(totals, review, -1)
        return review

    def reviews(self, since: datetime | None = None) -> list[ReviewRecord]:
        """Reviews in chronological order, from ``since`` on (only the log files needed are read)."""
        keys = self._logs
        if since is not None:
            first = utc_day(since)
            keys = [k for k in keys if k[0] >= first]
        found = [e.review for k in keys for e in self._peek_entries(k)]
        if since is not None:
            found = [r for r in found if r.reviewed_at >= since]
        found.sort(key=lambda r: r.reviewed_at)
        return found

    # -- running totals of the log (log/totals.json: a cache, checked against the log) -----------

    def review_history(self) -> ReviewHistory:
        """Totals of the review log per study day and deck, what the statistics read: the saved
        running totals when they match the log, else counted again from the log (and saved)."""
        if self._totals is None:
            self._totals = self._saved_totals() or self._rebuild_totals()
        return self._totals

    def _newest_id(self) -> str | None:
        last = self._last_entry()
        return last[1].review.id if last is not None else None

    def _saved_totals(self) -> ReviewHistory | None:
        """The saved totals if they describe the log as it is: as many reviews, the same newest
        review, and days counted in the same local time zone."""
        data = self._backend.read_totals()
        if data is None:
            return None
        try:
            totals = ReviewHistory.from_dict(data)
        except RecordError:
            return None
        if totals.zone != local_zone() or totals.fingerprint != (self.review_count(), self._newest_id()):
            return None
        return totals

    def _rebuild_totals(self) -> ReviewHistory:
        # One log file at a time: a long history is counted, never held in memory whole. The
        # review-count index is filled on the way, so the next check of the totals reads no log file.
        totals = ReviewHistory()
        for key in self._logs:
            stamp = self._backend.stamp(log_name(*key))
            entries = self._peek_entries(key)
            for entry in entries:
                totals.add(entry.review)
            if stamp is not None and key not in self._log_entries:
                self._index[index_key(key)] = [len(entries), *stamp]
                self._index_dirty = True
        totals.last_id = self._newest_id()
        self._save_totals(totals)
        return totals

    def _totals_before_write(self) -> ReviewHistory | None:
        """The totals a write will update: those in memory, else the saved ones if they still match
        the log. Stale totals are not rebuilt in the middle of a study session; the next read does it."""
        if self._totals is None:
            self._totals = self._saved_totals()
        return self._totals

    def _update_totals(self, totals: ReviewHistory | None, review: ReviewRecord, sign: int) -> None:
        if totals is None:
            return
        if sign > 0:
            totals.add(review)
        else:
            totals.remove(review, None)
        totals.last_id = self._newest_id()
        self._save_totals(totals)

    def _save_totals(self, totals: ReviewHistory) -> None:
        if self.read_only and lock_holder(self.data_dir) is not None:
            return  # the writer keeps them up to date; a reader's copy could be behind its own
        self._backend.save_totals(totals.to_dict())

    def review_count(self) -> int:
        return sum(self._count_log(key) for key in self._logs)

    def _count_log(self, key: LogKey) -> int:
        entries = self._log_entries.get(key)
        if entries is not None:
            return len(entries)
        stem = index_key(key)
        rel = log_name(*key)
        stamp = self._backend.stamp(rel)  # taken before reading: a file changed meanwhile is recounted later
        cached = self._index.get(stem)
        if cached is not None and stamp is not None and cached[1:] == stamp:
            return cached[0]
        count = len(reviews_table(self._backend.path(rel), self._backend.peek(rel)))
        if stamp is not None:
            self._index[stem] = [count, *stamp]
            self._index_dirty = True
        return count

    # -- the review-count index (a cache: wrong or missing entries are simply recounted) ----------

    def _write_index(self) -> None:
        """Save the review counts per log file (read-only stores too: it is a cache, not store data)."""
        index = {**self._backend.read_index(), **self._index}
        for key, entries in self._log_entries.items():
            stamp = self._backend.stamp(log_name(*key))
            if stamp is not None:
                index[index_key(key)] = [len(entries), *stamp]
        self._backend.save_index(index)

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
            put_single(self._backend.db(META_NAME).table(table), copy.deepcopy(data))
        except StoreError:
            self._backend.forget(META_NAME)
            raise

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"the store in {self.data_dir} is closed")
        if self.read_only:
            raise StoreError(self._read_only_reason)
        if self._broken:
            raise StoreError(self._broken)
        if self._lock is not None:
            try:
                self._lock.verify()
            except StoreError as exc:
                self._broken = str(exc)
                raise


