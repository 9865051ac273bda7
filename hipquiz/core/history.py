"""Running totals of the review log per study day and deck: what the statistics read instead of the log.

A :class:`ReviewHistory` is built once from the log (:meth:`ReviewHistory.from_reviews`) and then kept
up to date one review at a time (:meth:`add`, and :meth:`remove` for an undo), so the statistics never
re-read a long log. Adding and removing are exact inverses: the totals after an undo equal a fresh
count of the log. The ``fingerprint`` names the newest review and the number of reviews counted, so a
saved copy that missed a write (a crash between the log and this file) is seen to be stale.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from hipquiz.core.model import RecordError, ReviewRecord
from hipquiz.core.days import study_day

# Bumped when the saved shape or the meaning of a total changes: an older file is then rebuilt.
HISTORY_VERSION = 1
AGAIN = 1


def deck_of(card_id: str) -> str:
    """The deck id of a card id ("deck/note/template")."""
    return card_id.split("/", 1)[0]


def local_zone() -> str:
    """The local time zone as the study days were counted in: totals kept under another are stale."""
    return f"{time.tzname[0]}/{time.tzname[1]}/{time.timezone}/{time.altzone}"


@dataclass
class DayTotals:
    """One deck's reviews on one study day."""

    reviews: int = 0
    correct: int = 0  # not Again
    ms: int = 0
    # Answers to cards that were in review (not learning): true retention's denominator, by type.
    # question type -> [answers, not Again]
    recall: dict[str, list[int]] = field(default_factory=dict)

    def add(self, review: ReviewRecord, sign: int) -> None:
        self.reviews += sign
        self.correct += sign * (review.rating != AGAIN)
        self.ms += sign * review.duration_ms
        if review.previous is not None and review.previous.phase == "review":
            counts = self.recall.setdefault(review.question_type, [0, 0])
            counts[0] += sign
            counts[1] += sign * (review.rating != AGAIN)
            if counts == [0, 0]:
                del self.recall[review.question_type]

    @property
    def empty(self) -> bool:
        return self.reviews == 0 and not self.recall

    def to_list(self) -> list[Any]:
        return [self.reviews, self.correct, self.ms, self.recall]

    @classmethod
    def from_list(cls, data: Any) -> DayTotals:
        if (not isinstance(data, list) or len(data) != 4 or not all(isinstance(n, int) for n in data[:3])
                or not isinstance(data[3], dict)):
            raise RecordError(f"day totals must be [reviews, correct, ms, recall], got {data!r}")
        recall = {}
        for kind, pair in data[3].items():
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(n, int) for n in pair)):
                raise RecordError(f"recall counts of {kind!r} must be [answers, correct], got {pair!r}")
            recall[kind] = list(pair)
        return cls(data[0], data[1], data[2], recall)


@dataclass
class ReviewHistory:
    """Per study day and deck totals of the review log (cram practice left out)."""

    days: dict[date, dict[str, DayTotals]] = field(default_factory=dict)
    count: int = 0  # every review in the log, cram included: half of the fingerprint
    last_id: str | None = None
    zone: str = field(default_factory=local_zone)

    @classmethod
    def from_reviews(cls, reviews: Iterable[ReviewRecord]) -> ReviewHistory:
        history = cls()
        for review in reviews:
            history.add(review)
        return history

    @property
    def fingerprint(self) -> tuple[int, str | None]:
        return self.count, self.last_id

    def add(self, review: ReviewRecord) -> None:
        self._apply(review, +1)
        self.count += 1
        self.last_id = review.id

    def remove(self, review: ReviewRecord, new_last_id: str | None) -> None:
        """Take back ``review`` (an undo); ``new_last_id`` is the newest review left in the log."""
        self._apply(review, -1)
        self.count -= 1
        self.last_id = new_last_id

    def _apply(self, review: ReviewRecord, sign: int) -> None:
        if review.cram:  # practice that left the schedule alone: not a review in any figure
            return
        day = study_day(review.reviewed_at)
        decks = self.days.setdefault(day, {})
        deck = deck_of(review.card_id)
        totals = decks.setdefault(deck, DayTotals())
        totals.add(review, sign)
        if totals.empty:
            del decks[deck]
            if not decks:
                del self.days[day]

    def day(self, day: date, deck_ids: set[str] | None = None) -> DayTotals:
        """The totals of one day over the given decks (all decks when None)."""
        merged = DayTotals()
        for deck, totals in self.days.get(day, {}).items():
            if deck_ids is None or deck in deck_ids:
                merged.reviews += totals.reviews
                merged.correct += totals.correct
                merged.ms += totals.ms
                for kind, (n, ok) in totals.recall.items():
                    pair = merged.recall.setdefault(kind, [0, 0])
                    pair[0] += n
                    pair[1] += ok
        return merged

    # -- storage ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": HISTORY_VERSION,
            "zone": self.zone,
            "count": self.count,
            "last_id": self.last_id,
            "days": {d.isoformat(): {deck: t.to_list() for deck, t in decks.items()}
                     for d, decks in sorted(self.days.items())},
        }

    @classmethod
    def from_dict(cls, data: Any) -> ReviewHistory:
        if not isinstance(data, dict) or data.get("version") != HISTORY_VERSION:
            raise RecordError("review totals have another version")
        count, last_id, zone = data.get("count"), data.get("last_id"), data.get("zone")
        if not isinstance(count, int) or not (last_id is None or isinstance(last_id, str)) or not isinstance(zone, str):
            raise RecordError("review totals lack count, last_id or zone")
        days: dict[date, dict[str, DayTotals]] = {}
        raw_days = data.get("days")
        if not isinstance(raw_days, dict):
            raise RecordError("review totals lack days")
        for key, decks in raw_days.items():
            try:
                day = date.fromisoformat(key)
            except (TypeError, ValueError):
                raise RecordError(f"review totals: {key!r} is not a date") from None
            if not isinstance(decks, dict):
                raise RecordError(f"review totals of {key} must be an object")
            days[day] = {deck: DayTotals.from_list(t) for deck, t in decks.items()}
        return cls(days, count, last_id, zone)
