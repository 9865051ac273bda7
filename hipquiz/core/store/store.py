"""The progress store: card states, the review log, settings and aliases of one data folder.

What it guarantees, and how (the other modules of this package do the work):

* **A save costs one append and one fsync, whatever the history** (``layout``, ``logline``):
  ``record_review`` appends one line (the review and the card's state after it) to the day's log
  file. The card files are a checkpoint, written when the store closes (and at a new day, an undo,
  a failed write): ``log/pending.json`` names the log lines they do not hold yet, and every open
  replays those lines (in memory; the writer writes them at its next checkpoint). A line torn by a
  crash mid-save is dropped at the next open: every save that returned is kept.
* **Crash consistency between files.** Each multi-file change is ordered so that a crash at any
  point leaves files that the replay makes agree (see ``_checkpoint`` and ``_undo_entry``).
* **Atomic, durable writes** (``files``): a whole file is replaced by renaming a new one over it;
  a failed write leaves the old file as it was and raises :class:`StoreError`.
* **One writer** (``lock``): ``Store.open`` takes the writer lock; read-only opens take none.
* **Never overwrite what we cannot read** (``records``): every file is validated when first read;
  a bad file raises :class:`StoreCorrupt` and is left as it is. ``doctor`` and ``repair`` inspect
  and salvage.
* **Backups share nothing with the live files** (``backups``): a daily compressed copy.
* **Older stores are migrated** (``migrations``) at open; in memory only when read-only.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipquiz.core.errors import RecordError, StoreCorrupt, StoreError
from hipquiz.core.model import CardProgress, ReviewRecord, utc_now
from hipquiz.core.store import logline
from hipquiz.core.store.backends import Backend, FileBackend, MemoryBackend, put_single
from hipquiz.core.store.consistency import follow
from hipquiz.core.store.cardindex import CardBrief, CardStates
from hipquiz.core.store.files import (
    STRICT_JSON,
    os_error_text,
    private_dir,
    read_only_fs,
    refuse_foreign_owner,
    refuse_links,
    require_folder,
    seal,
    unseal,
)
from hipquiz.core.store.layout import (
    CARD_INDEX,
    CARDS_DIR,
    LOG_DIR,
    LOG_FILE,
    META_NAME,
    PENDING_NAME,
    SCHEMA_VERSION,
    SHARD_FILE,
    V1_MIGRATED_NAME,
    V1_NAME,
    layout_files,
    plain_name,
    refuse_blocked_backups,
    remove_temp_files,
    sealed_name,
    shard_name,
    utc_day,
)
from hipquiz.core.store.lock import Lock, lock_holder
from hipquiz.core.store.migrations import migrate, stored_schema
from hipquiz.core.store.records import (
    LogEntry,
    ReviewBrief,
    brief_of,
    review_brief,
    log_lines,
    meta_from,
    line_entry,
    read_pending,
    torn_line,
)

PENDING = f"{LOG_DIR}/{PENDING_NAME}"

if TYPE_CHECKING:
    # Imported where the totals are first read (the first answer, the statistics): the first card
    # does without them.
    from hipquiz.core.history import ReviewHistory


def _steps(entries: list[LogEntry]):
    """The lines of a log file as steps for ``consistency.follow``: a review goes from its
    ``previous``, a state saved without a review from the card's line before it in the file."""
    newest: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if entry.after is None:
            continue
        if entry.review is not None:
            yield entry.card_id, entry.review.previous, entry.after, entry
        elif entry.card_id in newest:
            yield entry.card_id, CardProgress.from_dict(newest[entry.card_id]), entry.after, entry
        newest[entry.card_id] = entry.after


def _convert_for_reader(data_dir: Path, now: Callable[[], datetime], say: Callable[[str], None]) -> None:
    """Migrate an older store that nobody is using on disk, once, as a writer would (keeping a copy
    of it first), so that read-only commands do not convert a long history again each time. When
    the folder cannot be changed now (in use, read-only, not ours), the reader converts in memory."""
    try:
        if stored_schema(data_dir) is None or read_only_fs(data_dir) or not os.access(data_dir, os.W_OK):
            return
        refuse_foreign_owner(data_dir)
        lock = Lock.acquire(data_dir)
    except (StoreError, OSError):
        return
    try:
        migrate(data_dir, False, "", now, say)
    except StoreError:
        pass  # (the old files are intact: the reader converts them in memory)
    finally:
        lock.release()


def say_on_stderr(text: str) -> None:
    """Where a store's notices go unless the caller takes them (``Store.open(notice=...)``)."""
    print(f"hipquiz: {text}", file=sys.stderr, flush=True)


class Store:
    """Progress, review log, settings and aliases of one data folder. Open with :meth:`open`."""

    def __init__(self, backend: Backend, data_dir: Path, *, read_only: bool,
                 now: Callable[[], datetime], lock: Lock | None, read_only_reason: str,
                 notice: Callable[[str], None] | None = None) -> None:
        self._backend = backend
        self._notice = notice or say_on_stderr
        #: What the store noticed and said (one line each): a torn log line cut off...
        self.notices: list[str] = []
        self.data_dir = data_dir
        self.read_only = read_only
        self._now = now
        self._lock = lock
        self._read_only_reason = read_only_reason
        self._broken: str | None = None
        self._closed = False
        # Held while card files and pending.json change together (checkpoints, undo, sealing), so
        # that a backup taken in a worker thread meanwhile sees them agree. Saves never take it.
        self._files_lock = threading.RLock()
        self._settings: dict[str, Any] = {}
        self._aliases: dict[str, list[str]] = {}
        # Each card's state, read from its card file when first used (see ``cardindex``).
        self._cards = CardStates(backend.path, backend.read_bytes, backend.stamp)
        # card file -> the cards of it changed since the last checkpoint
        self._dirty: dict[str, set[str]] = {}
        # UTC days with a log file, and those with an appendable .jsonl: listed when first needed
        # (not at open, which reads nothing that grows with the log).
        self._listed: tuple[set[str], set[str]] | None = None
        self._sizes: dict[str, int] = {}  # day -> bytes of whole lines in its .jsonl, once known
        self._day_cache: dict[str, list[LogEntry]] = {}  # days read whole and kept (see _entries)
        # The briefs of the days the counts read (today's, mostly), kept up to date with each save.
        self._brief_cache: dict[str, list[ReviewBrief]] = {}
        #: (day, offset): the lines of that day's .jsonl from offset on are not in the card files.
        self._pending: tuple[str, int] | None = None
        self._pending_base: str | None = None  # the log's stamp when the pending lines began
        self._caught_up: set[str] = set()  # days whose .jsonl _catch_up checked
        self._last_lines: dict[str, bytes] = {}  # day -> its .jsonl's last whole line, for _catch_up
        self._writer_alive = False  # (a reader: another hipquiz holds the writer lock)
        # The running totals of the log for the statistics, once read (see review_history).
        self._totals: ReviewHistory | None = None
        self._totals_checked = False
        self._totals_dirty = False
        #: True when the folder held no saved progress when it was opened (no meta.json and no
        #: schema-1 progress.json; the folder itself may not exist). Lets the CLI say "no progress
        #: saved yet in ..." instead of showing zeros.
        self.is_new = False

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: Path, *, read_only: bool = False,
             now: Callable[[], datetime] = utc_now,
             notice: Callable[[str], None] | None = None) -> Store:
        """Open the store in ``data_dir``; ``notice`` is told, one line each, what the store found
        and did on its own (default: printed on stderr)."""
        data_dir = Path(data_dir)
        require_folder(data_dir)
        refuse_links(data_dir)
        try:
            is_new = not (data_dir / META_NAME).exists() and not (data_dir / V1_NAME).exists()
        except OSError as exc:  # a folder that cannot be looked into (mode 000)
            raise StoreError(f"cannot read {data_dir} ({os_error_text(exc)}); fix the folder's "
                             "permissions ('hipquiz doctor' checks it)") from None
        lock: Lock | None = None
        holder: int | None = None
        say = notice or say_on_stderr
        if read_only:
            holder = lock_holder(data_dir)
            if holder is None:
                _convert_for_reader(data_dir, now, say)
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
                refuse_blocked_backups(data_dir)
            except StoreError:
                lock.release()
                raise
        try:
            migrated = migrate(data_dir, read_only, reason, now, say)
            backend: Backend = migrated or FileBackend(data_dir, read_only, reason)
            if migrated is None and not read_only:
                if (data_dir / V1_NAME).exists():
                    # A crash after writing meta.json but before setting the old file aside.
                    os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
                remove_temp_files(data_dir)
            store = cls(backend, data_dir, read_only=read_only, now=now, lock=lock,
                        read_only_reason=reason, notice=notice)
            store.is_new = is_new
            store._writer_alive = read_only and bool(holder)
            store._load()  # (no backup here: finish_backups takes it, in the app's worker)
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
        """A store kept in memory: same behaviour, nothing on disk (for tests)."""
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
        self._cards.open(b.list(CARDS_DIR, SHARD_FILE), self._read_card_index(), b.stamp(CARD_INDEX))
        self._pending = self._read_pending()
        self._replay()
        # A line cut short that pending.json does not cover (a copy cut off, a damaged disk) is
        # cut back now, in the file answers go to, so that none is glued onto it.
        self._plain_size(utc_day(self._now()))
        self._catch_up(utc_day(self._now()))

    def _read_card_index(self) -> bytes | None:
        """The card index's bytes (None when missing or not a readable file: it is a cache)."""
        try:
            return self._backend.read_bytes(CARD_INDEX)
        except StoreError:
            return None

    def _save_card_index(self) -> None:
        """Write the card index when the card files changed since it was written (after a
        checkpoint: every card file as it is on disk). A cache: failing to write it changes nothing."""
        if not self._cards.index_stale or self._dirty:
            return
        data = self._cards.index_bytes()
        if data is not None:
            self._backend.write_cache(CARD_INDEX, data)

    @property
    def _days(self) -> set[str]:
        return self._list_days()[0]

    @property
    def _plain_days(self) -> set[str]:
        return self._list_days()[1]

    def _list_days(self) -> tuple[set[str], set[str]]:
        if self._listed is None:
            days: set[str] = set()
            plain: set[str] = set()
            for rel in self._backend.list(LOG_DIR, LOG_FILE):  # names only
                day = rel[len(LOG_DIR) + 1:len(LOG_DIR) + 11]  # (the name matched LOG_FILE: it starts with the day)
                days.add(day)
                if not rel.endswith(".gz"):
                    plain.add(day)
            self._listed = days, plain
            for day in sorted(plain):  # (left by a writer that did not close: rare, and small)
                self._catch_up(day)
        return self._listed

    def _catch_up(self, day: str) -> None:
        """Bring the cards up to ``day``'s .jsonl when log/pending.json does not cover it yet the
        file's last line is not in the card files: pending.json was lost after a crash. Reads that
        one day's file; said in one line."""
        if day in self._caught_up or (self._pending is not None and self._pending[0] == day):
            return
        self._caught_up.add(day)
        if self.read_only and self._writer_alive:
            return  # the writer's own pending.json is in step with what it writes
        self._plain_size(day)
        last = self._last_lines.pop(day, b"")
        if not last:
            return
        try:
            entry = line_entry(STRICT_JSON.decode(last.decode("utf-8")))
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecordError, RecursionError):
            return  # a damaged line: reading the day says so, naming it
        if entry.after is None or self._cards.get(entry.card_id) == CardProgress.from_dict(entry.after):
            return
        rel = plain_name(day)
        entries, _ = log_lines(self._backend.path(rel), self._backend.read_bytes(rel) or b"")
        behind = follow(self._cards, _steps(entries))
        if not behind:
            return
        for card_id, (_, after) in sorted(behind.items()):
            self._set_card(CardProgress.from_dict(after))
        self._say(f"{self._backend.path(PENDING)} is missing but {self._backend.path(rel)} holds "
                  f"answers the card files lack (a crash, then the file was removed): "
                  f"{len(behind)} cards brought up to their newest answer"
                  + ("" if not self.read_only else " (in memory; opening the folder to study saves it)"))

    def _read_pending(self) -> tuple[str, int] | None:
        raw = self._backend.read_bytes(PENDING)
        if raw is None:
            return None
        pending = read_pending(self._backend.path(PENDING), raw)
        base = json.loads(raw).get("base")
        self._pending_base = base if isinstance(base, str) else None
        return pending

    def _replay(self) -> None:
        """Bring the cards up to the log lines the card files do not hold yet (see ``_pending``), and
        drop a last line torn by a crash. Reads one day's log file, never the history."""
        if self._pending is None:
            return
        day, offset = self._pending
        rel = plain_name(day)
        data = self._backend.read_bytes(rel) or b""
        if offset > len(data):
            raise StoreCorrupt(self._backend.path(PENDING), f"points past the end of {rel}")
        entries, end = log_lines(self._backend.path(rel), data, start=offset,
                                 first_line=data.count(b"\n", 0, offset) + 1)
        for entry in entries:  # (every line this hipquiz writes carries the card's state after it)
            if entry.after is not None:
                self._set_card(CardProgress.from_dict(entry.after))
        if end < len(data):  # the torn line of a save that never returned
            self._drop_torn(rel, len(data) - end, end)
        self._sizes[day] = end

    def _drop_torn(self, rel: str, torn: int, end: int) -> None:
        """Say that ``rel`` ends with ``torn`` bytes of a line cut short; a writer cuts them off."""
        if not self.read_only:
            self._backend.truncate(rel, end)
        elif self._writer_alive:
            return  # most likely the writer's save under way: not torn, only not finished yet
        self._say(torn_line(self._backend.path(rel), torn, cut=not self.read_only))

    def _say(self, text: str) -> None:
        self.notices.append(text)
        self._notice(text)

    # -- closing ----------------------------------------------------------------------------------

    def finish_backups(self) -> list[Path]:
        """Take today's backup unless it exists, compress it (and any snapshot left by an earlier
        run), prune old ones. Meant for a worker thread once the first screen is up: answers are
        saved meanwhile (see ``backups.take_snapshot``)."""
        if self.read_only or self._closed:
            return []
        # Imported here: opening a store takes no backup, and the first card does not wait for
        # the module (tests/tui/test_start_imports.py).
        from hipquiz.core.store import backups

        backups.take_snapshot(self.data_dir, now=self._now, guard=self._files_lock)
        return backups.finish_backups(self.data_dir, keep=backups.backups_keep(self._settings))

    def close(self) -> None:
        if self._closed:
            return
        try:
            if not self.read_only:
                self.finish_backups()  # when the app did not get to it (a command, a quick quit)
        except StoreError:
            pass  # a snapshot left is finished by the next writer; closing must go on
        try:
            if not self.read_only and not self._broken:
                if self._cards.index_stale:
                    # Card files laid out otherwise than this hipquiz writes them (a hand edit)
                    # are written again, so that the index can say where each card is.
                    for rel in self._cards.adopt_unplaced():
                        self._dirty.setdefault(rel, set())
                self._checkpoint()
                with self._files_lock:
                    self._seal_past_days()
                if self._totals is not None:
                    self._save_totals(self._totals)  # (with the stamp of the log as sealed)
                self._save_card_index()
        except StoreError:
            pass  # the log holds every save: the next open replays what the card files lack
        finally:
            self._closed = True
            self._backend.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- cards ------------------------------------------------------------------------------------

    def progress(self, card_id: str) -> CardProgress | None:
        """A card's state (None: never saved), validated when first read: raises StoreCorrupt,
        naming its card file, for a state the app cannot use."""
        return self._cards.get(card_id)

    def brief(self, card_id: str) -> CardProgress | CardBrief | None:
        """What decides whether a card is studied today (due, phase, reps, suspended, buried_until,
        answer_hash), without reading its whole state when the card index has it."""
        return self._cards.brief(card_id)

    def all_progress(self) -> dict[str, CardProgress]:
        """Every card's state (reads every card file: for the statistics and the card list)."""
        return self._cards.all()

    def save_progress(self, progress: CardProgress) -> None:
        """Save a card's state (a suspend, a bury, an edited answer): one line in today's log."""
        self._check_writable()
        self._append(utc_day(self._now()), logline.encode_state(progress),
                     LogEntry(progress.card_id, None, progress.to_dict()))
        self._set_card(progress)

    def forget_progress(self, card_id: str) -> None:
        """Forget a card's state (an undo of a bury or suspend of a card never saved before): the
        card files are checkpointed without it. No log line: a crash before the checkpoint replays
        the bury, as if the undo had not happened."""
        self._check_writable()
        if card_id in self._cards:
            self._set_card(None, card_id)
            self._checkpoint()

    def _set_card(self, progress: CardProgress | None, card_id: str | None = None) -> None:
        """Change a card in memory (None: forget it); its card file is written at the next checkpoint."""
        card_id = progress.card_id if progress is not None else card_id
        assert card_id is not None
        if progress is None and card_id not in self._cards:
            return
        rel = self._cards.set(card_id, progress) or shard_name(card_id)
        self._dirty.setdefault(rel, set()).add(card_id)

    def _write_shard(self, rel: str) -> None:
        """Write a card file: the documents of its changed cards made afresh, the others as read
        (a checkpoint after a session costs the cards answered, not the 10,000 cards)."""
        changed = self._dirty.pop(rel, set())
        try:
            try:
                payload, places = self._cards.shard_payload(rel, changed)
            except (TypeError, ValueError) as exc:  # (a text that cannot be UTF-8, read from a hand edit)
                raise StoreError(f"could not save {self._backend.path(rel)}: a value is not JSON ({exc})") from None
            self._backend.write_bytes(rel, payload)
        except StoreError:
            self._dirty.setdefault(rel, set()).update(changed)  # still to be written
            raise
        self._cards.written(rel, payload, places)

    def _checkpoint(self) -> None:
        """Write the card files that changed, then say that they hold every log line. A crash in
        between replays lines whose states the card files already hold: the same states again."""
        if self.read_only:
            return
        with self._files_lock:
            for rel in sorted(self._dirty):
                self._write_shard(rel)
            self._set_pending(None)
            if self._totals is not None and self._totals_dirty:
                # With the log as it is now: the base the next pending lines are counted from.
                self._save_totals(self._totals)

    def _set_pending(self, pending: tuple[str, int] | None) -> None:
        if pending == self._pending:
            return
        with self._files_lock:
            if pending is None:
                self._backend.remove(PENDING)
            else:
                # "base": the log's stamp before these lines, so that totals saved with it can be
                # brought up to date by counting the pending lines alone (after a crash).
                day, offset = pending
                base = self._backend.log_stamp()
                self._backend.write_bytes(PENDING, json.dumps({"day": day, "offset": offset,
                                                               "base": base}).encode())
                self._pending_base = base
            self._pending = pending

    # -- the review log ---------------------------------------------------------------------------

    def _plain_size(self, day: str) -> int:
        """The bytes of whole lines in ``day``'s .jsonl, where the next line goes: checked the first
        time (a torn last line is cut off, see ``_drop_torn``), then kept up to date."""
        size = self._sizes.get(day)
        if size is None:
            rel = plain_name(day)
            raw_size, size, self._last_lines[day] = self._backend.log_tail(rel)
            if size < raw_size:
                self._drop_torn(rel, raw_size - size, size)
            self._sizes[day] = size
        return size

    def _append(self, day: str, line: bytes, entry: LogEntry) -> None:
        """Append one line to ``day``'s log file: one fsync (plus one to move ``pending.json`` the
        first time a session writes to a day)."""
        if not self._totals_checked:
            # The saved totals are checked against the log before this session changes it; from
            # here on they are kept up to date in memory and saved at the next checkpoint.
            self._totals_checked = True
            if self._totals is None:
                self._totals = self._saved_totals()
        if self._pending is None or self._pending[0] != day:
            self._checkpoint()
            self._set_pending((day, self._plain_size(day)))
        rel = plain_name(day)
        start = self._plain_size(day)
        self._last_lines.pop(day, None)
        try:
            self._backend.append(rel, line)
        except StoreError:
            try:  # take the partial line back out: the next save must start on a line of its own
                if self._backend.size(rel) != start:
                    self._backend.truncate(rel, start)
            except StoreError:
                self._broken = (f"saving to {self.data_dir} failed; quit and restart hipquiz "
                                "(every answer saved before is kept)")
            raise
        self._sizes[day] = start + len(line)
        self._days.add(day)
        self._plain_days.add(day)
        entry.start, entry.end = start, start + len(line)
        cached = self._day_cache.get(day)
        if cached is not None:
            cached.append(entry)
        briefs = self._brief_cache.get(day)
        if briefs is not None and entry.review is not None:
            briefs.append(brief_of(entry.review))

    def record_review(self, review: ReviewRecord, progress: CardProgress) -> None:
        """Append ``review`` and the card's new state to the log; on disk when this returns."""
        self._check_writable()
        if review.card_id != progress.card_id:
            raise ValueError(f"review is for {review.card_id!r} but progress is for {progress.card_id!r}")
        after = progress.to_dict()
        self._append(utc_day(review.reviewed_at), logline.encode_review(review, after),
                     LogEntry(review.card_id, review, after))
        self._set_card(progress)
        if self._totals is not None:
            self._totals.add(review)
            self._totals_dirty = True

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

    def _find_entry(self, review: ReviewRecord) -> tuple[str, LogEntry] | None:
        day = utc_day(review.reviewed_at)
        # The review's own day first (where record_review put it), then every other day.
        days = sorted(self._days, reverse=True)
        for d in ([day] if day in self._days else []) + [d for d in days if d != day]:
            for entry in reversed(self._entries(d)):
                if entry.review is not None and entry.review.id == review.id:
                    return d, entry
        return None

    def _undo_entry(self, day: str, entry: LogEntry) -> ReviewRecord:
        review = entry.review
        assert review is not None
        if not self._totals_checked:
            self._totals_checked = True
            if self._totals is None:
                self._totals = self._saved_totals()
        rel = plain_name(day)
        if (self._pending is not None and self._pending[0] == day and entry.start is not None
                and entry.start >= self._pending[1] and entry.end == self._plain_size(day)):
            # The newest line, not in the card files yet: cutting it off is the whole undo (the
            # replay of the lines before it gives the card's state before it).
            self._backend.truncate(rel, entry.start)
            self._sizes[day] = entry.start
        else:
            with self._files_lock:
                self._undo_older_line(day, entry)
        self._set_card(review.previous, review.card_id)
        self._day_cache.pop(day, None)
        self._brief_cache.pop(day, None)
        if self._totals is not None:
            self._totals.remove(review, None)
            self._totals.last_id = self._newest_id()
            self._totals_dirty = True
            if entry.start is None:  # a .gz rewritten: its name alone does not tell the totals stale
                self._save_totals(self._totals)
        return review

    def _undo_older_line(self, day: str, entry: LogEntry) -> None:
        """Undo a review that is not the newest line of the log the card files lack."""
        review = entry.review
        assert review is not None
        self._checkpoint()
        if entry.start is not None:
            # Until the line is gone, a crash replays it (and the lines after it) onto cards
            # the checkpoint wrote: the undo simply did not happen.
            self._set_pending((day, entry.start))
        self._set_card(review.previous, review.card_id)
        self._write_shard(shard_name(review.card_id))
        self._remove_line(day, entry)
        self._set_pending(None)

    def _remove_line(self, day: str, entry: LogEntry) -> None:
        """Rewrite the log file holding ``entry`` without it (an undo of an older review: rare)."""
        if entry.start is not None:
            rel = plain_name(day)
            data = self._backend.read_bytes(rel) or b""
            new = data[:entry.start] + data[entry.end:]
            self._backend.write_bytes(rel, new)
            self._sizes[day] = len(new)
            return
        rel = sealed_name(day)
        data = unseal(self._backend.path(rel), self._backend.read_bytes(rel) or b"")
        entries, _ = log_lines(self._backend.path(rel), data, sealed=True)
        for line in entries:
            if line.review is not None and line.review.id == entry.review.id:
                rest = data[:line.start] + data[line.end:]
                if rest:
                    self._backend.write_bytes(rel, seal(rest))
                else:
                    self._backend.remove(rel)
                    if day not in self._plain_days:
                        self._days.discard(day)
                return

    def _entries(self, day: str) -> list[LogEntry]:
        """Every line of a day (its .gz, then its .jsonl), kept in memory from now on."""
        entries = self._day_cache.get(day)
        if entries is None:
            entries = self._day_cache[day] = self._read_day(day)
        return entries

    def _peek_entries(self, day: str) -> list[LogEntry]:
        """A day's lines without keeping them: a long history is read, not hoarded."""
        entries = self._day_cache.get(day)
        return entries if entries is not None else self._read_day(day)

    def _day_files(self, day: str) -> list[tuple[Path, bytes, bool]]:
        """(path, lines, sealed) of a day's .gz then its .jsonl, as far as they hold lines."""
        b = self._backend
        parts: list[tuple[Path, bytes, bool]] = []
        plain = b.read_bytes(plain_name(day)) if day in self._plain_days else None
        raw = b.read_bytes(sealed_name(day))
        if raw is not None:
            path = b.path(sealed_name(day))
            data = unseal(path, raw)
            if plain and data.endswith(plain):
                plain = None  # sealed by a writer that died before removing the .jsonl: the same lines
            parts.append((path, data, True))
        if plain:
            parts.append((b.path(plain_name(day)), plain, False))
            self._plain_size(day)  # (a torn last line: said, and cut off by a writer)
        return parts

    def _read_day(self, day: str) -> list[LogEntry]:
        entries: list[LogEntry] = []
        for path, data, sealed in self._day_files(day):
            lines, _ = log_lines(path, data, sealed=sealed)
            if sealed:
                for entry in lines:
                    entry.start = entry.end = None
            entries.extend(lines)
        return entries

    def _last_entry(self) -> tuple[str, LogEntry] | None:
        """The newest review: the last one of the newest day that has one."""
        for day in sorted(self._days, reverse=True):
            for entry in reversed(self._entries(day)):
                if entry.review is not None:
                    return day, entry
        return None

    def _seal_past_days(self) -> None:
        """Compress the .jsonl of every day before today into its .gz (the day's lines so far are
        whole: past days get no appends but late ones, which start a new .jsonl). Written aside and
        renamed into place before the .jsonl is removed; a crash in between leaves both, whose lines
        the reader sees once (the .gz ends with the .jsonl)."""
        today = utc_day(self._now())
        for day in sorted(d for d in self._plain_days if d < today):
            b = self._backend
            try:
                self._plain_size(day)  # (a torn last line: said and cut off)
                plain = b.read_bytes(plain_name(day)) or b""
                plain = plain[:log_lines(b.path(plain_name(day)), plain)[1]]
                raw = b.read_bytes(sealed_name(day))
                data = unseal(b.path(sealed_name(day)), raw) if raw is not None else b""
            except StoreCorrupt:
                continue  # a damaged file is left as it is, for 'hipquiz doctor'
            if plain and not data.endswith(plain):
                b.write_bytes(sealed_name(day), seal(data + plain))
            b.remove(plain_name(day))
            self._plain_days.discard(day)
            self._sizes.pop(day, None)
            self._brief_cache.pop(day, None)
            if not plain and raw is None:
                self._days.discard(day)

    def reviews(self, since: datetime | None = None) -> list[ReviewRecord]:
        """Reviews in chronological order, from ``since`` on (only the log files needed are read)."""
        days = sorted(self._days)
        if since is not None:
            first = utc_day(since)
            days = [d for d in days if d >= first]
        found = [e.review for d in days for e in self._peek_entries(d) if e.review is not None]
        if since is not None:
            found = [r for r in found if r.reviewed_at >= since]
        found.sort(key=lambda r: r.reviewed_at)
        return found

    def review_briefs(self, since: datetime) -> list[ReviewBrief]:
        """What the day's counts and queue read of the reviews from ``since`` on, in time order: each
        line's card, rating, time and the card's phase before it, without building the card states
        it holds (those are validated when its day is read whole: an undo, the statistics, doctor).
        A day with a line that does not read so is read whole, which says what is wrong with it."""
        first = utc_day(since)
        found: list[ReviewBrief] = []
        for day in sorted(d for d in self._days if d >= first):
            briefs = self._brief_cache.get(day)
            if briefs is None:
                cached = self._day_cache.get(day)
                if cached is None:
                    briefs = self._day_briefs(day)
                if briefs is None:
                    briefs = [brief_of(e.review) for e in self._peek_entries(day) if e.review is not None]
                self._brief_cache[day] = briefs
            found.extend(b for b in briefs if b.reviewed_at >= since)
        found.sort(key=lambda b: b.reviewed_at)
        return found

    def _day_briefs(self, day: str) -> list[ReviewBrief] | None:
        """The briefs of a day's reviews (None: a line does not read as one)."""
        briefs: list[ReviewBrief] = []
        try:
            for _path, data, sealed in self._day_files(day):
                end = data.rfind(b"\n") + 1
                if sealed and end != len(data):
                    return None
                for line in data[:end].split(b"\n")[:-1]:
                    brief = review_brief(line)
                    if brief is not None:
                        briefs.append(brief)
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        return briefs

    # -- running totals of the log (log/totals.json: a cache, checked against the log) -----------

    def review_history(self) -> ReviewHistory:
        """Totals of the review log per study day and deck, what the statistics read: the saved
        running totals when they match the log, else counted again from the log (and saved)."""
        if self._totals is None:
            self._totals = self._saved_totals() or self._rebuild_totals()
        return self._totals

    def _newest_id(self) -> str | None:
        last = self._last_entry()
        return last[1].review.id if last is not None and last[1].review is not None else None

    def _saved_totals(self) -> ReviewHistory | None:
        """The saved totals if they describe the log as it is (the log's stamp, see
        ``Backend.log_stamp``, is the one saved with them) in the same local time zone."""
        from hipquiz.core.history import ReviewHistory, local_zone

        data = self._backend.read_totals()
        if not isinstance(data, dict) or not self._backend.exists(META_NAME):
            return None
        stamp = self._backend.log_stamp()
        if stamp is None:
            return None
        later: list[ReviewRecord] = []
        if data.get("stamp") != stamp:
            # Saved when the pending lines began (the writer died before saving them again)?
            # Then they are the totals of the log without those lines: count those alone.
            if self._pending is None or data.get("stamp") != self._pending_base:
                return None
            day, offset = self._pending
            raw = self._backend.read_bytes(plain_name(day)) or b""
            try:
                entries, _ = log_lines(self._backend.path(plain_name(day)), raw, start=offset)
            except StoreCorrupt:
                return None
            later = [e.review for e in entries if e.review is not None]
        try:
            totals = ReviewHistory.from_dict(data.get("totals"))
        except RecordError:
            return None
        if totals.zone != local_zone():
            return None
        for review in later:
            totals.add(review)
            self._totals_dirty = True
        return totals

    def _rebuild_totals(self) -> ReviewHistory:
        from hipquiz.core.history import ReviewHistory

        # One day at a time: a long history is counted, never held in memory whole.
        totals = ReviewHistory()
        for day in sorted(self._days):
            for entry in self._peek_entries(day):
                if entry.review is not None:
                    totals.add(entry.review)
        totals.last_id = self._newest_id()
        self._save_totals(totals)
        return totals

    def _save_totals(self, totals: ReviewHistory) -> None:
        if self.read_only and lock_holder(self.data_dir) is not None:
            return  # the writer keeps them up to date; a reader's copy could be behind its own
        stamp = self._backend.log_stamp()
        if stamp is not None:
            self._backend.save_totals({"stamp": stamp, "totals": totals.to_dict()})
        self._totals_dirty = False

    def review_count(self) -> int:
        return self.review_history().count

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


