"""Figures for `hipquiz stats` and the stats screen: one place computes them for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping

from hipquiz.core.decks import Deck
from hipquiz.core.model import RATING_NAMES, CardProgress, ReviewRecord
from hipquiz.core.session import study_day


@dataclass(frozen=True)
class DeckStats:
    deck_id: str
    name: str
    cards: int
    studied: int
    in_review: int
    suspended: int
    leeches: int


@dataclass(frozen=True)
class ReviewTotals:
    reviews: int = 0
    today: int = 0
    by_rating: dict[str, int] = field(default_factory=lambda: {name: 0 for name in RATING_NAMES.values()})

    @property
    def remembered_percent(self) -> int:
        if not self.reviews:
            return 0
        return round(100 * (self.reviews - self.by_rating["Again"]) / self.reviews)


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


def review_totals(reviews: Iterable[ReviewRecord], now: datetime) -> ReviewTotals:
    today = study_day(now)
    totals = ReviewTotals()
    count = today_count = 0
    for review in reviews:
        count += 1
        today_count += study_day(review.reviewed_at) == today
        totals.by_rating[RATING_NAMES[review.rating]] += 1
    return ReviewTotals(count, today_count, totals.by_rating)
