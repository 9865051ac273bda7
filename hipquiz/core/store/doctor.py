"""``hipquiz doctor``: list every problem in a store's files without changing anything."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hipquiz.core.errors import StoreCorrupt, StoreError, StoreTooNew
from hipquiz.core.store import files
from hipquiz.core.store.files import require_folder
from hipquiz.core.store.cardindex import index_disagrees
from hipquiz.core.store.layout import (
    BACKUPS_DIR,
    CARD_INDEX,
    CARDS_DIR,
    LOCK_NAME,
    LOG_DIR,
    META_NAME,
    PENDING_NAME,
    V1_NAME,
    V2_LOG_FILE,
    plain_name,
    store_files,
    strangers,
)
from hipquiz.core.model import CardProgress, ReviewRecord
from hipquiz.core.store.consistency import describe, unapplied_reviews
from hipquiz.core.untrusted import file_kind
from hipquiz.core.store.records import (
    by_id,
    card_from,
    cards_table,
    meta_from,
    read_log_file,
    read_pending,
    review_from,
    reviews_table,
    torn_line,
    v1_contents,
)


def _index_disagrees(data_dir: Path) -> bool:
    """Whether the card index says otherwise than the card files it claims to describe."""
    try:
        index = files.read_store_file(data_dir / CARD_INDEX)
        if index is None:
            return False
        shards = {str(rel): files.read_store_file(data_dir / rel) or b"" for rel in store_files(data_dir)
                  if rel.parts[0] == CARDS_DIR}
        return index_disagrees(lambda rel: data_dir / rel, shards, index)
    except StoreError:
        return False  # (a card file that cannot be read is reported on its own)


def has_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds any progress files at all (False for a new or missing folder)."""
    data_dir = Path(data_dir)
    try:
        return bool(store_files(data_dir)) or any(
            (data_dir / name).exists() or (data_dir / name).is_symlink()
            for name in (META_NAME, V1_NAME, CARDS_DIR, LOG_DIR))
    except OSError:  # a folder that cannot be looked into: check_store says why
        return True


def refuse_newer(data_dir: Path) -> None:
    """Raise :class:`StoreTooNew` when a newer hipquiz wrote the store in ``data_dir``: then no
    command (backups and repair included) may touch it. Any other problem is for the caller."""
    meta = Path(data_dir) / META_NAME
    try:
        meta_from(meta, files.read_tables(meta))
    except StoreTooNew:
        raise
    except (StoreError, OSError):
        pass


def folder_problems(data_dir: Path) -> list[str]:
    """What would stop every command before any file is read: links, a lock that is a folder, a
    backups path that is a file, a read-only or foreign folder. One line each, naming the cause."""
    problems: list[str] = []
    for check in (files.refuse_links, files.refuse_foreign_owner):
        try:
            check(data_dir)
        except StoreError as exc:
            problems.append(str(exc))
    for rel in strangers(data_dir):
        problems.append(f"{data_dir / rel} is {_kind(data_dir / rel)}, not a file: hipquiz reads only "
                        "its own files ('hipquiz doctor --repair' moves it aside)")
    lock = data_dir / LOCK_NAME
    if lock.is_dir() and not lock.is_symlink():
        problems.append(f"the lock file {lock} is a folder: move it away (hipquiz makes its own)")
    backups = data_dir / BACKUPS_DIR
    if backups.exists() and not backups.is_dir():
        problems.append(f"{backups} is a file where hipquiz keeps its backups folder: move it away")
    if files.read_only_fs(data_dir):
        problems.append(f"{data_dir} is on a read-only file system: nothing can be saved there")
    elif not os.access(data_dir, os.W_OK | os.X_OK):
        problems.append(f"cannot write to {data_dir} (permission denied): fix the folder's permissions")
    return problems


def _kind(path: Path) -> str:
    try:
        return file_kind(os.lstat(path).st_mode)
    except OSError:
        return "not a regular file"


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

    try:
        os.listdir(data_dir)
    except OSError as exc:  # (mode 000): nothing else can be checked
        return [f"cannot read {data_dir} ({files.os_error_text(exc)}): fix the folder's permissions"]
    problems.extend(folder_problems(data_dir))

    meta = data_dir / META_NAME
    if meta.exists():
        try:
            meta_from(meta, files.read_tables(meta))
        except StoreTooNew:
            raise
        except StoreError as exc:
            note(exc)
    elif (data_dir / V1_NAME).exists():
        try:
            v1_contents(data_dir / V1_NAME, files.read_tables(data_dir / V1_NAME) or {})
        except StoreError as exc:
            note(exc)
    damaged = bool(problems)  # then the cards and the log cannot be compared
    for folder in (CARDS_DIR, LOG_DIR):
        if (data_dir / folder).exists() and not (data_dir / folder).is_dir():
            problems.append(f"{data_dir / folder} is a file, not a folder")
            damaged = True
    seen: dict[str, Path] = {}
    cards: dict[str, CardProgress] = {}
    logged: list[tuple[ReviewRecord, dict | None]] = []  # every review, to compare with the cards
    plain: dict[str, list] = {}  # the lines of each .jsonl, for the replay of log/pending.json
    pending: tuple[str, int] | None = None
    has_data = False
    for rel in store_files(data_dir):
        if rel.parts[0] not in (CARDS_DIR, LOG_DIR):
            continue
        has_data = True
        path = data_dir / rel
        try:
            if rel.parts[0] == CARDS_DIR:
                tables = files.read_tables(path)
                for _, doc in by_id(cards_table(path, tables)):
                    card = card_from(path, doc)
                    if card.card_id in seen:
                        raise StoreCorrupt(path, f"holds card {card.card_id!r} that is also in "
                                                 f"{seen[card.card_id]}")
                    seen[card.card_id] = path
                    cards[card.card_id] = card
            elif rel.name == PENDING_NAME:
                pending = read_pending(path, files.read_store_file(path) or b"")
                day, offset = pending
                size = (data_dir / plain_name(day)).stat().st_size if (data_dir / plain_name(day)).is_file() else 0
                if offset > size:
                    raise StoreCorrupt(path, f"points past the end of {plain_name(day)}")
            elif re.match(V2_LOG_FILE, rel.name):
                for doc_id, doc in by_id(reviews_table(path, files.read_tables(path))):
                    entry = review_from(path, doc_id, doc)
                    logged.append((entry.review, entry.after))
            else:
                raw = files.read_store_file(path) or b""
                entries = read_log_file(path, raw)
                if not path.name.endswith(".gz") and raw and not raw.endswith(b"\n"):
                    problems.append(torn_line(path, len(raw) - raw.rfind(b"\n") - 1, cut=None))
                plain[str(rel)] = entries
                logged.extend((e.review, e.after) for e in entries if e.review is not None)
        except StoreError as exc:
            damaged = True
            note(exc)
    if pending is not None:  # what the next open replays is not a problem
        for entry in plain.get(plain_name(pending[0]), []):
            if entry.start >= pending[1] and entry.after is not None:
                cards[entry.card_id] = CardProgress.from_dict(entry.after)
    if not damaged:
        for card_id, (review, _after) in sorted(unapplied_reviews(cards, logged).items()):
            problems.append(describe(card_id, review))
    if not damaged and _index_disagrees(data_dir):
        problems.append(f"{data_dir / CARD_INDEX} does not match the card files (a cache of them): "
                        "'hipquiz doctor --repair' removes it, and hipquiz writes it again")
    if has_data and not meta.exists() and not (data_dir / V1_NAME).exists():
        problems.append(f"{meta} is missing but card or log files exist")
    return problems

