"""Plain records shared by the scheduler, the store and the UI.

They cross the storage boundary through ``to_dict`` / ``from_dict``; ``from_dict`` validates, so a
hand-edited or foreign document raises ``RecordError`` instead of failing in the middle of a review.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from enum import Enum, IntEnum
from typing import Any

from hipquiz.core.errors import RecordError

__all__ = ["RATING_NAMES", "PHASES", "CardId", "CardProgress", "Phase", "Rating", "RecordError",
           "ReviewRecord", "parse_time", "utc_now"]


class Rating(IntEnum):
    """How well a card was remembered, numbered as FSRS and Anki number them (and the log stores)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4

    def __str__(self) -> str:  # the number, as int prints it (Python 3.10 would print "Rating.GOOD")
        return str(self.value)

    @property
    def label(self) -> str:
        return self.name.capitalize()


class Phase(str, Enum):
    """Where a studied card is in FSRS's cycle (a card never studied has no progress at all)."""

    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"

    def __str__(self) -> str:
        return self.value

    __format__ = str.__format__  # f"{phase}" is the text on every Python version


RATING_NAMES = {rating: rating.label for rating in Rating}
PHASES = tuple(phase.value for phase in Phase)


@dataclass(frozen=True)
class CardId:
    """A card's id, ``deck/note/template``, parsed once (deck and note ids never hold a ``/``)."""

    deck: str
    note: str
    template: str

    @classmethod
    def parse(cls, text: str) -> CardId:
        deck, sep, rest = text.partition("/")
        note, sep2, template = rest.partition("/")
        if not (deck and sep and note and sep2 and template):
            raise ValueError(f"a card id looks like deck/note/template, not {text!r}")
        return cls(deck, note, template)

    @property
    def note_key(self) -> str:
        """``deck/note``: what a card's siblings share."""
        return f"{self.deck}/{self.note}"

    def __str__(self) -> str:
        return f"{self.deck}/{self.note}/{self.template}"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise RecordError(f"{what} must be an ISO time text, got {type(value).__name__}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RecordError(f"{what} is not an ISO time: {value!r}") from None
    if parsed.tzinfo is None:
        raise RecordError(f"{what} has no time zone: {value!r}")
    return parsed.astimezone(timezone.utc)


def _require(data: Any, key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(data, dict):
        raise RecordError(f"{what} must be an object, got {type(data).__name__}")
    if key not in data:
        raise RecordError(f"{what} lacks {key!r}")
    value = data[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,))):
        raise RecordError(f"{what}: {key!r} has the wrong type ({type(value).__name__})")
    return value


def _plain_copy(values: dict[str, Any]) -> dict[str, Any]:
    """A copy of a JSON object whose nested objects and lists are copied too (most values are
    numbers and texts: copied by reference, far faster than copy.deepcopy)."""
    return {k: copy.deepcopy(v) if isinstance(v, (dict, list)) else v for k, v in values.items()}


@dataclass(frozen=True)
class CardProgress:
    """Where one card stands: its FSRS memory state plus hipquiz's own flags."""

    card_id: str
    # The fsrs Card as fsrs.Card.to_dict() gives it; only scheduler.py reads inside it.
    fsrs: dict[str, Any]
    due: datetime
    phase: str
    reps: int = 0
    lapses: int = 0
    answer_hash: str = ""
    suspended: bool = False
    buried_until: date | None = None
    # The card's answer was edited after it was learned: it is studied again from scratch.
    relearn: bool = False
    leech: bool = False
    # Question type -> (times asked, times answered Again): the mixed mode asks a card's weakest
    # types more often. Kept with the card, so that choosing a card's type reads no review log.
    types: dict[str, tuple[int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict: this runs for every review saved and migrated,
        # and asdict's deep copy of every value was most of a long history's migration.
        data = {"card_id": self.card_id, "fsrs": _plain_copy(self.fsrs), "due": self.due.isoformat(),
                "phase": self.phase, "reps": self.reps, "lapses": self.lapses,
                "answer_hash": self.answer_hash, "suspended": self.suspended,
                "buried_until": self.buried_until.isoformat() if self.buried_until else None,
                "relearn": self.relearn, "leech": self.leech}
        if self.types:  # (a card never asked keeps the shape older versions wrote)
            data["types"] = {kind: list(counts) for kind, counts in self.types.items()}
        return data

    def asked(self, question_type: str, wrong: bool) -> CardProgress:
        """This progress with one more answer of ``question_type`` counted."""
        asked, wrongs = self.types.get(question_type, (0, 0))
        return replace(self, types={**self.types, question_type: (asked + 1, wrongs + wrong)})

    @classmethod
    def from_dict(cls, data: Any) -> CardProgress:
        what = "card progress"
        card_id = _require(data, "card_id", str, what)
        what = f"card progress {card_id!r}"
        fsrs = _require(data, "fsrs", dict, what)
        phase = _require(data, "phase", str, what)
        if phase not in PHASES:
            raise RecordError(f"{what}: unknown phase {phase!r}")
        phase = Phase(phase)
        buried = data.get("buried_until")
        try:
            buried_until = date.fromisoformat(buried) if buried else None
        except (TypeError, ValueError):
            raise RecordError(f"{what}: buried_until is not a date: {buried!r}") from None
        return cls(
            card_id=card_id,
            fsrs=fsrs,
            due=parse_time(data.get("due"), f"{what} due"),
            phase=phase,
            reps=int(data.get("reps", 0)),
            lapses=int(data.get("lapses", 0)),
            answer_hash=str(data.get("answer_hash", "")),
            suspended=bool(data.get("suspended", False)),
            buried_until=buried_until,
            relearn=bool(data.get("relearn", False)),
            leech=bool(data.get("leech", False)),
            types=_type_counts(data.get("types"), what),
        )

    def with_changes(self, **changes: Any) -> CardProgress:
        return replace(self, **changes)


def _type_counts(data: Any, what: str) -> dict[str, tuple[int, int]]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RecordError(f"{what}: types must map question types to [asked, wrong], got {type(data).__name__}")
    counts = {}
    for kind, pair in data.items():
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in pair)
                and pair[1] <= pair[0]):
            raise RecordError(f"{what}: types[{kind!r}] must be [asked, wrong], whole numbers, got {pair!r}")
        counts[str(kind)] = (pair[0], pair[1])
    return counts


@dataclass(frozen=True)
class ReviewRecord:
    """One answered card, as the review log keeps it."""

    id: str
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int
    question_type: str
    # The card's progress before this review (None for a new card): lets undo restore it exactly.
    previous: CardProgress | None = field(default=None, compare=False)
    # A practice answer that left the schedule alone (cram): kept out of daily limits and retention,
    # as Anki keeps filtered-deck reviews without rescheduling.
    cram: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "card_id": self.card_id,
            "rating": self.rating,
            "reviewed_at": self.reviewed_at.isoformat(),
            "duration_ms": self.duration_ms,
            "question_type": self.question_type,
            "previous": self.previous.to_dict() if self.previous else None,
            # Only written when set, so the logs of ordinary reviews keep their schema-2 shape.
            **({"cram": True} if self.cram else {}),
        }

    @classmethod
    def from_dict(cls, data: Any) -> ReviewRecord:
        what = "review"
        review_id = _require(data, "id", str, what)
        what = f"review {review_id!r}"
        rating = _require(data, "rating", int, what)
        if rating not in RATING_NAMES:
            raise RecordError(f"{what}: rating {rating} is not 1-4")
        rating = Rating(rating)
        previous = data.get("previous")
        cram = data.get("cram", False)
        if not isinstance(cram, bool):
            raise RecordError(f"{what}: 'cram' must be true or false, got {type(cram).__name__}")
        return cls(
            id=review_id,
            card_id=_require(data, "card_id", str, what),
            rating=rating,
            reviewed_at=parse_time(data.get("reviewed_at"), f"{what} time"),
            duration_ms=int(_require(data, "duration_ms", int, what)),
            question_type=_require(data, "question_type", str, what),
            previous=CardProgress.from_dict(previous) if previous is not None else None,
            cram=cram,
        )
