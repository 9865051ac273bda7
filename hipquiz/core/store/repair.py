"""``hipquiz doctor --repair``: salvage every readable record of a damaged store into fresh files.

Card states lost with a damaged card file are rebuilt from the ``after`` of each card's newest review
in the log. The files as they were are kept in ``broken-<time>/`` first.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreCorrupt, StoreError, StoreTooNew
from hipquiz.core.model import CardProgress, RecordError, ReviewRecord, utc_now
from hipquiz.core.store import files
from hipquiz.core.history import ReviewHistory
from hipquiz.core.store.backends import FileBackend
from hipquiz.core.store.backups import keep_copy
from hipquiz.core.store.doctor import check_store
from hipquiz.core.store.files import os_error_text
from hipquiz.core.store.layout import (
    CARD_INDEX,
    CARDS_DIR,
    INDEX_NAME,
    LOG_DIR,
    LOG_FILE,
    META_NAME,
    PENDING_NAME,
    TOTALS_NAME,
    V1_MIGRATED_NAME,
    V1_NAME,
    layout_files,
    plain_name,
    shard_name,
    store_files,
    strangers,
)
from hipquiz.core.store.consistency import unapplied_reviews
from hipquiz.core.store.lock import Lock
from hipquiz.core.store.records import (
    LogEntry,
    by_id,
    card_from,
    cards_table,
    line_entry,
    meta_from,
    read_log_file,
    read_pending,
    review_from,
    reviews_table,
    usable_progress,
    usable_review,
    usable_settings,
)


@dataclass
class RepairReport:
    problems: list[str] = field(default_factory=list)      # what check_store found before
    broken_dir: Path | None = None                          # copy of the files as they were
    rewritten: list[Path] = field(default_factory=list)     # files written afresh
    cards_salvaged: int = 0                                 # card states in the repaired store...
    cards_rebuilt: int = 0                                  # ...of which rebuilt from the review log
    cards_rolled_forward: int = 0                           # ...or brought up to their newest review
    reviews_salvaged: int = 0
    records_dropped: int = 0                                # documents found but not valid
    reviews_lost: int = 0                                   # counted by the statistics, not salvaged
    cut_files: list[Path] = field(default_factory=list)     # log files whose end could not be read
    remaining: list[str] = field(default_factory=list)      # what check_store finds after

    @property
    def ok(self) -> bool:
        return not self.remaining


_NESTED_KEY = re.compile(r'"(previous|after)"\s*:\s*$')
_DOC_START = re.compile(r'"\d+"\s*:\s*(?=\{)')
# Files larger than this are salvaged line by line only (see _salvage).
SCAN_LIMIT = 256_000


def _salvage(raw: bytes, parse: Callable[[dict], Any]) -> tuple[list[Any], int]:
    """Whole records from a file that may be truncated or partly garbage: (records, dropped count).

    If the file parses, every document is tried. Otherwise, in a small file, every '{' is tried as the
    start of a JSON object; an object that is (or contains) valid records is kept and skipped over.
    A large file is salvaged line by line (:func:`_salvage_lines`).
    """
    text = raw.decode("utf-8", errors="replace")
    found: list[Any] = []
    dropped = 0

    def harvest(obj: Any) -> bool:
        if isinstance(obj, dict):
            try:
                found.append(parse(obj))
                return True
            except (RecordError, TypeError, ValueError, AttributeError, KeyError, OverflowError):
                pass
            got = False
            for key, value in obj.items():
                if key in ("previous", "after"):
                    continue
                got = harvest(value) or got
            return got
        if isinstance(obj, list):
            got = False
            for value in obj:
                got = harvest(value) or got
            return got
        return False

    try:
        whole = files.STRICT_JSON.decode(text)
    except (ValueError, RecursionError):
        whole = None
    if isinstance(whole, dict):
        for name, table in whole.items():
            if name in ("meta", "settings", "aliases"):
                continue
            if isinstance(table, dict):
                for doc in table.values():
                    if not harvest(doc):
                        dropped += 1
            else:
                harvest(table)
        return found, dropped
    if len(text) > SCAN_LIMIT:
        return found, _salvage_lines(text, harvest)
    decoder = files.STRICT_JSON
    pos = text.find("{")
    while pos != -1:
        end = None
        if not _NESTED_KEY.search(text, max(0, pos - 40), pos):
            try:
                obj, end = decoder.raw_decode(text, pos)
            except (ValueError, RecursionError):
                obj = None
            if end is not None and not harvest(obj):
                end = None
        pos = text.find("{", end if end is not None else pos + 1)
    return found, dropped


def _salvage_lines(text: str, harvest: Callable[[Any], bool]) -> int:
    """Salvage from hipquiz's own layout, one document per line (``"12": {...},``): each line is
    decoded once, so the work grows with the size of the file (scanning from every "{", as
    :func:`_salvage` does for small files, grows with its square: minutes for a few MB)."""
    dropped = 0
    for line in text.splitlines():
        start = _DOC_START.search(line)
        if start is None:
            continue
        try:
            obj, _ = files.STRICT_JSON.raw_decode(line, start.end())
        except (ValueError, RecursionError):
            dropped += 1
            continue
        if not harvest(obj):
            dropped += 1
    return dropped


def _salvage_log(path: Path, raw: bytes, cut: list[Path]) -> tuple[list[LogEntry], int]:
    """The whole, valid lines of a schema-3 log file (.jsonl, or .gz as far as it unpacks), with
    their offsets in a .jsonl; (lines, dropped count). A .gz whose end is lost goes in ``cut``."""
    sealed = path.name.endswith(".gz")
    try:
        return read_log_file(path, raw), 0
    except StoreCorrupt:
        pass
    if sealed:
        inflater = zlib.decompressobj(wbits=31)
        try:
            raw = inflater.decompress(raw, files.MAX_UNPACKED_BYTES)
        except zlib.error:
            raw = b""
        if not inflater.eof:
            cut.append(path)  # the rest of the day cannot be unpacked: how much is gone is unknown
    found: list[LogEntry] = []
    dropped = 0
    pos = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end == -1:
            if raw[pos:].strip():
                dropped += 1  # a torn last line
            break
        text = raw[pos:end].decode("utf-8", errors="replace")
        try:  # (garbage after a whole document does not cost the document)
            entry = line_entry(files.STRICT_JSON.raw_decode(text, max(text.find("{"), 0))[0])
        except (RecordError, TypeError, ValueError, AttributeError, KeyError, OverflowError, RecursionError):
            if text.strip():
                dropped += 1
        else:
            if not sealed:
                entry.start, entry.end = pos, end + 1
            found.append(entry)
        pos = end + 1
    return found, dropped


def _salvage_meta(raw: bytes) -> tuple[dict[str, Any], dict[str, list[str]]]:
    text = raw.decode("utf-8", errors="replace")
    decoder = files.STRICT_JSON
    result: list[dict] = []
    for table in ("settings", "aliases"):
        match = re.search(r'"%s"\s*:\s*\{\s*"1"\s*:\s*' % table, text)
        value: Any = {}
        if match:
            try:
                value, _ = decoder.raw_decode(text, match.end())
            except ValueError:
                value = {}
        result.append(value if isinstance(value, dict) else {})
    settings, aliases = result
    settings, _ = usable_settings(settings)
    aliases = {k: [t for t in v if isinstance(t, str)] for k, v in aliases.items() if isinstance(v, list)}
    return settings, aliases


def _parse_card(doc: dict) -> CardProgress:
    return usable_progress(doc)


def _parse_v1_record(doc: dict) -> Any:
    return _parse_review(doc) if "rating" in doc else _parse_card(doc)


def _parse_review(doc: dict) -> tuple[ReviewRecord, dict | None]:
    review = usable_review(doc)
    after = doc.get("after")
    try:
        if after is not None and usable_progress(after).card_id != review.card_id:
            after = None
    except (RecordError, TypeError, ValueError, OverflowError):
        after = None
    return review, after


def _counted_reviews(data_dir: Path) -> int | None:
    """How many reviews the saved statistics totals counted, when they describe the log as it is
    (a damaged .gz keeps its name, so the log's stamp still matches): what the log should hold."""
    backend = FileBackend(data_dir, True, "")
    data = backend.read_totals()
    stamp = backend.log_stamp()
    if not isinstance(data, dict) or stamp is None or data.get("stamp") != stamp:
        return None
    try:
        return ReviewHistory.from_dict(data.get("totals")).count
    except RecordError:
        return None


def repair_store(data_dir: Path, *, now: Callable[[], datetime] = utc_now) -> RepairReport:
    """Salvage every readable record into fresh files, keeping the old ones in ``broken-<time>/``.

    Takes the writer lock. Does nothing when ``check_store`` finds no problem. Refuses (StoreTooNew)
    a store written by a newer hipquiz.
    """
    data_dir = Path(data_dir)
    report = RepairReport(problems=check_store(data_dir))  # (raises StoreTooNew before anything)
    if not report.problems:
        return report
    meta_path = data_dir / META_NAME
    lock = Lock.acquire(data_dir)
    try:
        if meta_path.exists():
            try:
                meta_from(meta_path, files.read_tables(meta_path))
            except StoreTooNew:
                raise
            except StoreError:
                pass
        counted = _counted_reviews(data_dir)
        report.broken_dir = keep_copy(data_dir, "broken", now)
        for rel in strangers(data_dir):  # links and special files named like ours: moved aside, unread
            (report.broken_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(data_dir / rel, report.broken_dir / rel)

        # Read everything: good files as they are, bad ones salvaged record by record.
        settings: dict[str, Any] = {}
        aliases: dict[str, list[str]] = {}
        cards: dict[str, CardProgress] = {}
        reviews: dict[str, tuple[ReviewRecord, dict | None]] = {}
        damaged_shards: set[str] = set()  # card files that could not be read whole
        v1_damaged = False
        lines: list[tuple[str, LogEntry]] = []  # schema 3's log lines, in log order
        pending: tuple[str, int] | None = None
        for rel in store_files(data_dir):
            path = data_dir / rel
            with open(path, "rb") as handle:  # what a real file could hold; the rest is beyond salvage
                raw = handle.read(files.MAX_FILE_BYTES)
            if rel == Path(META_NAME):
                try:
                    _, settings, aliases = meta_from(path, files.decode_tables(path, raw))
                except StoreCorrupt:
                    settings, aliases = _salvage_meta(raw)
                continue
            if rel == Path(V1_NAME):  # (only here when meta.json is missing or damaged)
                v1_damaged = True
                got, dropped = _salvage(raw, _parse_v1_record)
                report.records_dropped += dropped
                for item in got:
                    if isinstance(item, CardProgress):
                        cards[item.card_id] = item
                    else:
                        reviews.setdefault(item[0].id, item)
                if not meta_path.exists():
                    try:
                        for _, doc in by_id(files.decode_tables(path, raw).get("settings", {})):
                            settings.update(doc)
                    except StoreCorrupt:
                        settings.update(_salvage_meta(raw)[0])
                continue
            if rel.name == PENDING_NAME:
                try:
                    pending = read_pending(path, raw)
                except StoreCorrupt:
                    pending = None  # (then nothing is replayed: the card files are kept as they are)
                continue
            if LOG_FILE.match(rel.name):
                got_lines, dropped = _salvage_log(path, raw, report.cut_files)
                report.records_dropped += dropped
                for entry in got_lines:
                    if entry.review is not None:
                        if entry.review.id in reviews:
                            continue
                        reviews[entry.review.id] = (entry.review, entry.after)
                    lines.append((str(rel), entry))
                continue
            is_cards = rel.parts[0] == CARDS_DIR
            try:
                tables = files.decode_tables(path, raw)
                if is_cards:
                    got = [card_from(path, d) for _, d in by_id(cards_table(path, tables))]
                else:
                    got = [(e.review, e.after) for e in
                           (review_from(path, i, d) for i, d in by_id(reviews_table(path, tables)))]
            except StoreCorrupt:
                got, dropped = _salvage(raw, _parse_card if is_cards else _parse_review)
                report.records_dropped += dropped
                if not is_cards and raw.rstrip()[-1:] != b"}":
                    report.cut_files.append(path)  # (a schema-2 log file cut short)
                if is_cards:
                    damaged_shards.add(str(rel))
            for item in got:
                if is_cards:
                    cards.setdefault(item.card_id, item)
                else:
                    reviews.setdefault(item[0].id, item)

        # A card lost with its damaged card file comes back as it was after its newest review: every
        # log entry carries the card's state after it ("after"). A card read whole is kept as read
        # (it may have changed since, e.g. suspended).
        ordered = sorted(reviews.values(), key=lambda pair: pair[0].reviewed_at)
        if damaged_shards or v1_damaged:
            newest: dict[str, dict] = {}
            for review, after in ordered:
                if after is not None:
                    newest[review.card_id] = after
            for card_id, after in newest.items():
                if card_id not in cards and (v1_damaged or shard_name(card_id) in damaged_shards):
                    cards[card_id] = CardProgress.from_dict(after)
                    report.cards_rebuilt += 1

        # Schema 3: the log lines the card files did not hold yet (log/pending.json) are replayed,
        # as an open would. Cards rebuilt above from the newest review keep that state.
        if pending is not None:
            day, offset = pending
            for rel, entry in lines:
                if (rel == plain_name(day) and entry.start is not None and entry.start >= offset
                        and entry.after is not None):
                    state = CardProgress.from_dict(entry.after)
                    if cards.get(entry.card_id) != state:
                        cards[entry.card_id] = state
                        report.cards_rolled_forward += 1
        # A review saved whose card was never updated (schema 2: a crash between its two writes):
        # the card takes its state after the review, whatever the clocks said.
        for card_id, (_review, after) in unapplied_reviews(cards, reviews.values()).items():
            cards[card_id] = CardProgress.from_dict(after)
            report.cards_rolled_forward += 1

        # Write the fresh layout; files whose bytes would not change are left alone.
        contents = layout_files(sorted(cards.values(), key=lambda c: c.card_id), ordered, settings, aliases)
        meta = contents.pop(META_NAME)
        on_disk = {str(rel): data_dir / rel for rel in store_files(data_dir)
                   if rel.parts[0] in (CARDS_DIR, LOG_DIR)}
        try:
            for rel, content in contents.items():
                payload = content if isinstance(content, bytes) else files.encode_tables(content)
                path = data_dir / rel
                if rel in on_disk and path.read_bytes() == payload:
                    continue
                files.atomic_write(path, payload)
                report.rewritten.append(path)
            for rel, path in on_disk.items():
                if rel not in contents:
                    path.unlink()  # a shard or day whose records all moved or were lost
                    report.rewritten.append(path)
            meta_payload = files.encode_tables(meta)
            if not meta_path.exists() or meta_path.read_bytes() != meta_payload:
                files.atomic_write(meta_path, meta_payload)
                report.rewritten.append(meta_path)
            if (data_dir / V1_NAME).exists():
                os.replace(data_dir / V1_NAME, data_dir / V1_MIGRATED_NAME)
            for cache in (Path(LOG_DIR) / INDEX_NAME, Path(LOG_DIR) / TOTALS_NAME, Path(CARD_INDEX)):
                (data_dir / cache).unlink(missing_ok=True)  # (strangers were moved aside above)
        except OSError as exc:
            raise StoreError(f"repair could not write {data_dir} ({os_error_text(exc)}); the files as "
                             f"they were are kept in {report.broken_dir}") from None
        report.cards_salvaged = len(cards)
        report.reviews_salvaged = len(reviews)
        if counted is not None and counted > len(reviews):
            report.reviews_lost = counted - len(reviews)
    finally:
        lock.release()
    report.remaining = check_store(data_dir)
    return report

