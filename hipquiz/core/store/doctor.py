"""``hipquiz doctor``: list every problem in a store's files without changing anything."""

from __future__ import annotations

from pathlib import Path

from hipquiz.core.errors import StoreCorrupt, StoreError, StoreTooNew
from hipquiz.core.store import files
from hipquiz.core.store.files import require_folder
from hipquiz.core.store.layout import CARDS_DIR, LOG_DIR, META_NAME, V1_NAME, store_files
from hipquiz.core.store.records import (
    by_id,
    card_from,
    cards_table,
    meta_from,
    review_from,
    reviews_table,
    v1_contents,
)


def has_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds any progress files at all (False for a new or missing folder)."""
    data_dir = Path(data_dir)
    return bool(store_files(data_dir)) or any(
        (data_dir / name).exists() for name in (META_NAME, V1_NAME, CARDS_DIR, LOG_DIR))


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
    for folder in (CARDS_DIR, LOG_DIR):
        if (data_dir / folder).exists() and not (data_dir / folder).is_dir():
            problems.append(f"{data_dir / folder} is a file, not a folder")
    seen: dict[str, Path] = {}
    has_data = False
    for rel in store_files(data_dir):
        if rel.parts[0] not in (CARDS_DIR, LOG_DIR):
            continue
        has_data = True
        path = data_dir / rel
        try:
            tables = files.read_tables(path)
            if rel.parts[0] == CARDS_DIR:
                for _, doc in by_id(cards_table(path, tables)):
                    card = card_from(path, doc)
                    if card.card_id in seen:
                        raise StoreCorrupt(path, f"holds card {card.card_id!r} that is also in "
                                                 f"{seen[card.card_id]}")
                    seen[card.card_id] = path
            else:
                for doc_id, doc in by_id(reviews_table(path, tables)):
                    review_from(path, doc_id, doc)
        except StoreError as exc:
            note(exc)
    if has_data and not meta.exists() and not (data_dir / V1_NAME).exists():
        problems.append(f"{meta} is missing but card or log files exist")
    return problems

