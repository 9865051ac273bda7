"""Figures for `hipquiz stats` and the statistics screen: one place computes them for both.

Everything here is computed from three things: the running totals of the review log per study day
(:class:`~hipquiz.core.history.ReviewHistory`), the cards' current FSRS states, and the decks. None of
it reads the review log itself, so the figures cost the same at 100 reviews and at 100,000.
Days are study days (they start at 4 am local time, as the scheduler's ``study_day``).
"""

from __future__ import annotations

import statistics as _statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Iterable, Mapping, Sequence

from hipquiz.core.decks import Card, Deck
from hipquiz.core.history import ReviewHistory
from hipquiz.core.model import CardProgress
from hipquiz.core.scheduler import Scheduler
from hipquiz.core.session import deck_counts, is_new, study_day
from hipquiz.core.topics import TOPICS, MuscleIndex, topic_of

FORECAST_DAYS = 30
HISTORY_DAYS = 365
RECENT_DAYS = 30
RETENTION_WINDOWS = (7, 30, 365)
# How many of a muscle's cards "study the weakest" asks, weakest first.
WEAKEST_CARDS = 10
TYPE_LABELS = {
    "typed": "typed recall",
    "choice": "multiple choice",
    "select": "select all",
    "order": "put in order",
    "flip": "flip (self-rated)",
}


@dataclass(frozen=True)
class Today:
    reviewed: int
    correct: int
    seconds: int
    still_due: int

    @property
    def correct_percent(self) -> int | None:
        return round(100 * self.correct / self.reviewed) if self.reviewed else None


@dataclass(frozen=True)
class Streaks:
    current: int  # study days in a row up to today (or up to yesterday, while today is still open)
    longest: int


@dataclass(frozen=True)
class DayCount:
    day: date
    reviews: int
    seconds: int


@dataclass(frozen=True)
class Retention:
    """Share of answers to cards in review (not learning) that were not Again, over ``days`` days."""

    days: int
    answers: int
    correct: int
    # question type -> (answers, correct)
    by_type: dict[str, tuple[int, int]]

    @property
    def percent(self) -> float | None:
        return 100 * self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class Mastery:
    """How well one muscle's (or topic's) cards are known now."""

    key: str
    label: str
    cards: int
    studied: int
    # Expected share of all its cards recalled now: the mean FSRS retrievability, a card never
    # studied counting 0. The bar on the screen.
    known: float
    # Mean retrievability and median stability (days) of the cards studied; None before any.
    retrievability: float | None
    stability_days: float | None
    # Its studied cards, least likely recalled first (what "study the weakest" asks).
    weakest: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Statistics:
    deck_id: str | None  # None: all decks
    decks: tuple[str, ...]
    day: date
    total_reviews: int
    today: Today
    streaks: Streaks
    forecast: tuple[int, ...]  # cards due on each of the next FORECAST_DAYS days, today first
    history: tuple[DayCount, ...]  # the last HISTORY_DAYS days, oldest first, today last
    desired_retention: float
    retention: tuple[Retention, ...]
    muscles: tuple[Mastery, ...]
    topics: tuple[Mastery, ...]

    @property
    def has_reviews(self) -> bool:
        return self.total_reviews > 0

    @property
    def recent(self) -> tuple[DayCount, ...]:
        return self.history[-RECENT_DAYS:]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `hipquiz stats --json` (fields documented in README.md)."""
        today = self.today
        return {
            "deck": self.deck_id,
            "study_day": self.day.isoformat(),
            "reviews": self.total_reviews,
            "today": {"reviewed": today.reviewed, "correct": today.correct,
                      "correct_percent": today.correct_percent, "seconds": today.seconds,
                      "still_due": today.still_due},
            "streak": {"current": self.streaks.current, "longest": self.streaks.longest},
            "forecast": [{"day": (self.day + timedelta(days=i)).isoformat(), "due": n}
                         for i, n in enumerate(self.forecast)],
            "history": [{"day": d.day.isoformat(), "reviews": d.reviews, "seconds": d.seconds}
                        for d in self.history if d.reviews],
            "desired_retention": self.desired_retention,
            "retention": [{"days": r.days, "answers": r.answers, "correct": r.correct,
                           "percent": _rounded(r.percent),
                           "by_type": {k: {"answers": n, "correct": ok} for k, (n, ok) in r.by_type.items()}}
                          for r in self.retention],
            "muscles": [_mastery_dict(m) for m in self.muscles],
            "topics": [_mastery_dict(m) for m in self.topics],
        }


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _mastery_dict(m: Mastery) -> dict[str, Any]:
    data = asdict(m)
    data.pop("weakest")
    data["known"] = round(m.known, 3)
    data["retrievability"] = _rounded(m.retrievability, 3)
    data["stability_days"] = _rounded(m.stability_days)
    return data


@dataclass(frozen=True)
class DeckStats:
    deck_id: str
    name: str
    cards: int
    studied: int
    in_review: int
    suspended: int
    leeches: int


def deck_stats(deck: Deck, progress: Mapping[str, CardProgress]) -> DeckStats:
    states = [progress[c.id] for c in deck.cards if c.id in progress]
    return DeckStats(
        deck_id=deck.id,
        name=deck.name,
        cards=len(deck.cards),
        studied=sum(1 for s in states if s.reps > 0),
        in_review=sum(1 for s in states if s.phase == "review"),
        suspended=sum(1 for s in states if s.suspended),
        leeches=sum(1 for s in states if s.leech),
    )


# -- the pieces ---------------------------------------------------------------------------------------

def streaks(study_days: Iterable[date], today: date) -> Streaks:
    """Current and longest run of consecutive study days with a review. Today not studied yet does
    not break the current run: it is still open."""
    days = set(study_days)
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return Streaks(current, longest)


def forecast(cards: Iterable[Card], progress: Mapping[str, CardProgress], now: datetime,
             days: int = FORECAST_DAYS) -> tuple[int, ...]:
    """Cards due on each study day from today on; cards overdue count today. New cards, which
    come when the daily new-card limit lets them, and suspended cards are left out."""
    today = study_day(now)
    counts = [0] * days
    for card in cards:
        state = progress.get(card.id)
        if state is None or is_new(state) or state.suspended:
            continue
        due = max(study_day(state.due), today)
        if state.buried_until is not None:
            due = max(due, state.buried_until)
        offset = (due - today).days
        if offset < days:
            counts[offset] += 1
    return tuple(counts)


def history_days(history: ReviewHistory, today: date, deck_ids: set[str] | None,
                 days: int = HISTORY_DAYS) -> tuple[DayCount, ...]:
    first = today - timedelta(days=days - 1)
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        totals = history.day(day, deck_ids)
        out.append(DayCount(day, totals.reviews, round(totals.ms / 1000)))
    return tuple(out)


def retention(history: ReviewHistory, today: date, deck_ids: set[str] | None,
              windows: Sequence[int] = RETENTION_WINDOWS) -> tuple[Retention, ...]:
    found = []
    for window in windows:
        by_type: dict[str, list[int]] = {}
        for i in range(window):
            for kind, (n, ok) in history.day(today - timedelta(days=i), deck_ids).recall.items():
                pair = by_type.setdefault(kind, [0, 0])
                pair[0] += n
                pair[1] += ok
        answers = sum(n for n, _ in by_type.values())
        correct = sum(ok for _, ok in by_type.values())
        found.append(Retention(window, answers, correct,
                               {k: (n, ok) for k, (n, ok) in sorted(by_type.items()) if n}))
    return tuple(found)


def _mastery(key: str, label: str, cards: list[Card], progress: Mapping[str, CardProgress],
             scheduler: Scheduler, now: datetime) -> Mastery:
    # (retrievability, stability, card id): FSRS counts elapsed time in whole days, so every card
    # answered today is at 100%; the least stable of those is the weakest.
    studied: list[tuple[float, float, str]] = []
    for card in cards:
        state = progress.get(card.id)
        if state is None or is_new(state):
            continue
        stability = scheduler.stability(state)
        studied.append((scheduler.retrievability(state, now), stability or 0.0, card.id))
    studied.sort()
    stabilities = [s for _, s, _ in studied]
    known = sum(r for r, _, _ in studied) / len(cards) if cards else 0.0
    return Mastery(
        key=key, label=label, cards=len(cards), studied=len(studied), known=known,
        retrievability=sum(r for r, _, _ in studied) / len(studied) if studied else None,
        stability_days=_statistics.median(stabilities) if stabilities else None,
        weakest=tuple(card_id for _, _, card_id in studied[:WEAKEST_CARDS]),
    )


def mastery_by_muscle(decks: Sequence[Deck], progress: Mapping[str, CardProgress], scheduler: Scheduler,
                      now: datetime, muscles: MuscleIndex | None = None) -> tuple[Mastery, ...]:
    index = muscles or MuscleIndex(decks)
    groups: dict[str, list[Card]] = {}
    for card in _active(decks, progress):
        muscle = index.muscle_of(card)
        if muscle is not None:
            groups.setdefault(muscle.key, []).append(card)
    return tuple(_mastery(key, index.muscles[key].name, cards, progress, scheduler, now)
                 for key, cards in groups.items())


def mastery_by_topic(decks: Sequence[Deck], progress: Mapping[str, CardProgress], scheduler: Scheduler,
                     now: datetime) -> tuple[Mastery, ...]:
    groups: dict[str, list[Card]] = {key: [] for key, _ in TOPICS}
    for card in _active(decks, progress):
        groups[topic_of(card)].append(card)
    return tuple(_mastery(key, label, groups[key], progress, scheduler, now)
                 for key, label in TOPICS if groups[key])


def _active(decks: Sequence[Deck], progress: Mapping[str, CardProgress]) -> list[Card]:
    """The cards that count for mastery: all but suspended ones."""
    return [card for deck in decks for card in deck.cards
            if not (card.id in progress and progress[card.id].suspended)]


def compute(decks: Sequence[Deck], progress: Mapping[str, CardProgress], history: ReviewHistory,
            scheduler: Scheduler, now: datetime, *, still_due: int, deck_id: str | None = None) -> Statistics:
    """Every figure of the statistics, for ``decks`` (one deck when ``deck_id`` is given)."""
    today = study_day(now)
    ids = {deck.id for deck in decks} if deck_id is not None else None
    day = history.day(today, ids)
    studied_days = [d for d, per_deck in history.days.items()
                    if any(ids is None or deck in ids for deck in per_deck)]
    total = sum(t.reviews for per_deck in history.days.values() for deck, t in per_deck.items()
                if ids is None or deck in ids)
    return Statistics(
        deck_id=deck_id,
        decks=tuple(deck.id for deck in decks),
        day=today,
        total_reviews=total,
        today=Today(day.reviews, day.correct, round(day.ms / 1000), still_due),
        streaks=streaks(studied_days, today),
        forecast=forecast((c for d in decks for c in d.cards), progress, now),
        history=history_days(history, today, ids),
        desired_retention=scheduler.settings.desired_retention,
        retention=retention(history, today, ids),
        muscles=mastery_by_muscle(decks, progress, scheduler, now),
        topics=mastery_by_topic(decks, progress, scheduler, now),
    )


def weakest_cards(decks: Sequence[Deck], mastery: Mastery) -> Deck:
    """A muscle's (or topic's) weakest studied cards as one deck, to cram now: the cards keep their
    ids, so the practice is logged against them, and the schedule is left as it is."""
    wanted = set(mastery.weakest)
    cards = tuple(c for d in decks for c in d.cards if c.id in wanted)
    notes = tuple({c.note_id: c.note for c in cards}.values())
    return Deck(id=f"weakest:{mastery.key}", name=f"{mastery.label}: weakest cards",
                path=decks[0].path, notes=notes, cards=cards,
                description=f"The {len(cards)} {mastery.label} cards you are least likely to recall now")


def type_label(kind: str) -> str:
    return TYPE_LABELS.get(kind, kind)


def gather(decks: Sequence[Deck], store: Any, scheduler: Scheduler, now: datetime, *,
           deck_id: str | None = None) -> Statistics:
    """The statistics of ``decks`` from a store: its running totals, card states and today's counts."""
    still_due = sum(deck_counts(deck, store, scheduler, now).to_study for deck in decks)
    return compute(decks, store.all_progress(), store.review_history(), scheduler, now,
                   still_due=still_due, deck_id=deck_id)
