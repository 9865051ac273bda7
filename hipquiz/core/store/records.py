"""Validation of what a store file holds: every table and document must be hipquiz's own.

Each file must hold exactly hipquiz's tables and every document must pass
``CardProgress.from_dict`` / ``ReviewRecord.from_dict``, so valid JSON written by something else is
refused too; a bad file raises :class:`StoreCorrupt` naming it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from hipquiz.core.errors import StoreCorrupt, StoreTooNew
from hipquiz.core.model import PHASES, CardProgress, RecordError, ReviewRecord
from hipquiz.core.fsrs_state import check_fsrs_state
from hipquiz.core.settings import BY_KEY, SettingError
from hipquiz.core.store import logline
from hipquiz.core.store.files import STRICT_JSON, unseal
from hipquiz.core.store.layout import SCHEMA_VERSION


_DAY = r"^\d{4}-\d{2}-\d{2}$"  # (compiled by re when first used: a start reads no pending day)


def _only_table(path: Path, tables: dict[str, dict[str, Any]] | None, name: str,
                what: str) -> dict[str, Any]:
    """The one table ``name`` that a card or log file holds. Any other shape (valid JSON written by
    something else, like TinyDB's ``_default`` table) is not a hipquiz file and raises StoreCorrupt."""
    if tables is None:  # a file that does not exist (yet)
        return {}
    if set(tables) != {name}:
        found = ", ".join(repr(t) for t in sorted(tables)) or "no table"
        raise StoreCorrupt(path, f"is not a hipquiz {what} file (it holds {found}, not {name!r})")
    return tables[name]


def cards_table(path: Path, tables: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    return _only_table(path, tables, "cards", "card")


def reviews_table(path: Path, tables: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
    return _only_table(path, tables, "reviews", "review log")


def card_from(path: Path, doc: Any) -> CardProgress:
    try:
        return usable_progress(doc)
    except (RecordError, TypeError, ValueError, OverflowError) as exc:
        raise StoreCorrupt(path, f"has a bad card record ({exc})") from None


def usable_progress(doc: Any) -> CardProgress:
    """A card state that the scheduler and the session can use; raises RecordError (or TypeError /
    ValueError) for one that only looks like one (an empty fsrs object, a negative stability…)."""
    return _checked(CardProgress.from_dict(doc), doc)


def _checked(progress: CardProgress, doc: Any) -> CardProgress:
    """``progress`` (read from ``doc``) if the scheduler can use it; raises RecordError."""
    if not progress.card_id.isascii():
        try:
            progress.card_id.encode("utf-8")
        except UnicodeEncodeError:  # (a lone surrogate, "\ud800" in a hand-edited file: no card has it)
            raise RecordError(f"card progress {progress.card_id!r}: card_id is not valid text") from None
    for key in ("reps", "lapses"):
        value = doc.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RecordError(f"card progress {progress.card_id!r}: {key} must be a whole number >= 0")
    if not 1970 <= progress.due.year <= 9000:
        raise RecordError(f"card progress {progress.card_id!r}: due is out of range")
    try:
        check_fsrs_state(progress.fsrs)
    except RecordError as exc:
        raise RecordError(f"card progress {progress.card_id!r}: {exc}") from None
    return progress


def usable_review(doc: Any) -> ReviewRecord:
    """A review whose card state before it (``previous``) is usable too."""
    review = ReviewRecord.from_dict(doc)
    if review.previous is not None:  # (read by from_dict already: checked, not read again)
        _checked(review.previous, doc["previous"])
    return review


def usable_settings(settings: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(the settings hipquiz can use, one line for each it cannot). A text setting such as the mode
    is left to its user, which falls back on its default for a value it does not know."""
    good: dict[str, Any] = {}
    bad: list[str] = []
    for key, value in settings.items():
        setting = BY_KEY.get(key)
        if setting is not None and setting.kind is not str and value is not None:
            try:
                setting.check(value)
            except SettingError as exc:
                bad.append(str(exc))
                continue
        good[key] = value
    return good, bad


@dataclass
class LogEntry:
    """One line of the log: a review (``review`` set), or a card state saved without one."""

    card_id: str
    review: ReviewRecord | None
    after: dict[str, Any] | None  # the card's state after the line (None: an old review without it)
    start: int | None = None  # where the line starts in its day's .jsonl (None: in the .gz)
    end: int | None = None


def review_from(path: Path, doc_id: str, doc: Any) -> LogEntry:
    """A schema-1/2 review document (``ReviewRecord.to_dict()`` plus ``after``)."""
    try:
        review = usable_review(doc)
        after = doc.get("after")
        if after is not None:
            usable_progress(after)
            if after.get("card_id") != review.card_id:
                raise RecordError(f"review {review.id!r}: 'after' is for another card")
    except (RecordError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise StoreCorrupt(path, f"has a bad review record ({exc})") from None
    return LogEntry(review.card_id, review, after)


def line_entry(doc: Any) -> LogEntry:
    """A schema-3 log line, validated; raises RecordError (or TypeError, ValueError, KeyError...)."""
    if not isinstance(doc, dict):
        raise RecordError(f"a log line must be an object, not {type(doc).__name__}")
    if logline.is_state_line(doc):
        state = logline.decode_state(doc)
        usable_progress(state)
        return LogEntry(state["card_id"], None, state)
    review_doc, after = logline.decode_review(doc)
    review = usable_review(review_doc)
    if after is not None:
        usable_progress(after)
    return LogEntry(review.card_id, review, after)


@dataclass(frozen=True, slots=True)
class StateBrief:
    """What a day's limits read of a card's state before a review."""

    reps: int
    phase: str


@dataclass(frozen=True, slots=True)
class ReviewBrief:
    """What the day's counts and queue read of a review (``Store.review_briefs``): read from its log
    line without building the states in it (they are validated when the line is read whole)."""

    card_id: str
    rating: int
    reviewed_at: datetime
    cram: bool
    previous: StateBrief | None


def review_brief(line: bytes) -> ReviewBrief | None:
    """The brief of a review line (None: a state line); raises ValueError (or KeyError, TypeError...)
    for a line that does not read as one: the caller then reads the day whole, which says why."""
    doc = json.loads(line)  # (numbers not read here are checked when the line is read whole)
    if not isinstance(doc, dict):
        raise ValueError("not an object")
    if logline.is_state_line(doc):
        return None
    card_id, rating, at, cram = doc["card"], doc["r"], doc["at"], doc.get("cram", False)
    if (not isinstance(card_id, str) or type(rating) is not int or not 1 <= rating <= 4
            or type(cram) is not bool or not isinstance(at, str)):
        raise ValueError("not a review")
    when = datetime.fromisoformat(at)
    if when.tzinfo is None:
        raise ValueError("no time zone")
    previous = None
    if "B" in doc or doc.get("b") is not None:
        before = doc["B"] if "B" in doc else {**doc["a"], **doc["b"]}
        reps, phase = before.get("reps", 0), before["phase"]
        if "B" not in doc and "reps" in doc["b"].get("-", ()):
            reps = 0
        if type(reps) is not int or reps < 0 or phase not in PHASES:
            raise ValueError("not a card state")
        previous = StateBrief(reps, phase)
    return ReviewBrief(card_id, rating, when.astimezone(timezone.utc), cram, previous)


def brief_of(review: ReviewRecord) -> ReviewBrief:
    previous = review.previous
    return ReviewBrief(review.card_id, int(review.rating), review.reviewed_at, review.cram,
                       None if previous is None else StateBrief(previous.reps, previous.phase))


_LINE_ERRORS = (RecordError, TypeError, ValueError, AttributeError, KeyError, OverflowError, RecursionError)


def torn_line(path: Path, size: int, *, cut: bool | None) -> str:
    """One line about a log file whose last ``size`` bytes are a line cut short: ``cut`` True when
    it was just cut off, False when it is left for the writer, None when doctor reports it."""
    what = f"{path} ends with an incomplete last line ({size} bytes: a save cut short)"
    if cut:
        return f"{what}; it was cut off (every whole line is kept)"
    if cut is False:
        return f"{what}; it is left out, and cut off when hipquiz next opens the folder to study"
    return f"{what}; opening hipquiz to study cuts it off (every whole line is kept)"


def log_lines(path: Path, data: bytes, *, start: int = 0, sealed: bool = False,
              first_line: int = 1) -> tuple[list[LogEntry], int]:
    """The lines of a log file from byte ``start`` on, validated, and the offset where the complete
    lines end. A last line without its newline is a save cut short by a crash: left out (the
    writer truncates it). In a sealed (.gz) file every line must be whole. Raises StoreCorrupt
    naming the line of the first bad one (``first_line`` is the number of the line at ``start``)."""
    entries: list[LogEntry] = []
    pos = start
    number = first_line
    while pos < len(data):
        end = data.find(b"\n", pos)
        if end == -1:
            if sealed:
                raise StoreCorrupt(path, f"has an incomplete last line (line {number})")
            break
        try:
            doc = STRICT_JSON.decode(data[pos:end].decode("utf-8"))
            entry = line_entry(doc)
        except UnicodeDecodeError:
            raise StoreCorrupt(path, f"is not a text file (binary data on line {number})") from None
        except _LINE_ERRORS as exc:
            detail = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else exc
            raise StoreCorrupt(path, f"has a bad review record on line {number} ({detail})") from None
        entry.start, entry.end = pos, end + 1
        entries.append(entry)
        pos = end + 1
        number += 1
    return entries, pos


def meta_from(path: Path, tables: dict[str, dict[str, Any]] | None) -> tuple[int, dict, dict]:
    """(schema, settings, aliases) from meta.json's tables; raises StoreCorrupt / StoreTooNew."""
    if tables is None:
        raise StoreCorrupt(path, "is missing")
    # First of all: a newer hipquiz may add tables and change documents, so nothing else of its
    # file can be judged (and nothing must be "repaired" into the older shape).
    schema = _schema_of(tables)
    if schema is not None and schema > SCHEMA_VERSION:
        raise StoreTooNew(path, schema, SCHEMA_VERSION)
    unknown = sorted(set(tables) - {"meta", "settings", "aliases"})
    if unknown:
        raise StoreCorrupt(path, f"is not a hipquiz meta file (unexpected table {unknown[0]!r})")
    for name, table in tables.items():
        if set(table) - {"1"}:
            raise StoreCorrupt(path, f"is not a hipquiz meta file (table {name!r} has more than one "
                                     "document)")
    meta = tables.get("meta", {}).get("1")
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int) or isinstance(
            meta.get("schema"), bool):
        raise StoreCorrupt(path, "is not a hipquiz meta file (no schema version)")
    schema = meta["schema"]
    if schema > SCHEMA_VERSION:
        raise StoreTooNew(path, schema, SCHEMA_VERSION)
    if schema < 2:
        raise StoreCorrupt(path, f"has an unknown schema version {schema}")
    settings = tables.get("settings", {}).get("1", {})
    aliases = tables.get("aliases", {}).get("1", {})
    if not isinstance(settings, dict):
        raise StoreCorrupt(path, "has settings that are not an object")
    _, bad = usable_settings(settings)
    if bad:
        raise StoreCorrupt(path, f"has a setting hipquiz cannot use ({bad[0]})")
    if not isinstance(aliases, dict) or not all(
            isinstance(v, list) and all(isinstance(t, str) for t in v) for v in aliases.values()):
        raise StoreCorrupt(path, "has aliases that are not lists of texts")
    return schema, settings, aliases


def _schema_of(tables: dict[str, Any]) -> int | None:
    meta = tables.get("meta")
    doc = meta.get("1") if isinstance(meta, dict) else None
    schema = doc.get("schema") if isinstance(doc, dict) else None
    return schema if isinstance(schema, int) and not isinstance(schema, bool) else None


def v1_contents(path: Path, tables: dict[str, dict[str, Any]]):
    """Validated (cards, reviews, settings, aliases) of a schema-1 ``progress.json``."""
    cards = [card_from(path, doc) for _, doc in by_id(tables.get("cards", {}))]
    reviews = [(review_from(path, i, doc).review, doc.get("after"))
               for i, doc in by_id(tables.get("reviews", {}))]
    settings: dict[str, Any] = {}
    for _, doc in by_id(tables.get("settings", {})):
        settings.update(doc)
    aliases: dict[str, list[str]] = {}
    for _, doc in by_id(tables.get("aliases", {})):
        for key, texts in doc.items():
            if isinstance(texts, list) and all(isinstance(t, str) for t in texts):
                aliases.setdefault(key, []).extend(t for t in texts if t not in aliases.get(key, []))
    return cards, reviews, settings, aliases


def by_id(table: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted(table.items(), key=lambda item: int(item[0]))



def read_log_file(path: Path, raw: bytes) -> list[LogEntry]:
    """Every line of one schema-3 log file (a .jsonl, or a sealed .jsonl.gz), validated; raises
    StoreCorrupt. A torn last line of a .jsonl is left out, as the next open drops it."""
    if path.name.endswith(".gz"):
        return log_lines(path, unseal(path, raw), sealed=True)[0]
    return log_lines(path, raw)[0]


def read_pending(path: Path, raw: bytes) -> tuple[str, int]:
    """(day, offset) of ``log/pending.json``; raises StoreCorrupt."""
    try:
        data = STRICT_JSON.decode(raw.decode("utf-8"))
        day, offset = data["day"], data["offset"]
        if not (isinstance(day, str) and re.match(_DAY, day) and isinstance(offset, int)
                and not isinstance(offset, bool) and offset >= 0):
            raise ValueError(day)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        raise StoreCorrupt(path, "is not a hipquiz pending-lines file") from None
    return day, offset
