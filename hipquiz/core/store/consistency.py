"""Card states that are out of step with the review log: reviews saved, their card never updated.

Schema 2's ``record_review`` wrote the log first (the review with the card's state before it,
``previous``, and after it, ``after``) and the card second; a crash in between left a card whose
state is still exactly its newest review's ``previous``. Schema 3 replays such lines at open (see
``log/pending.json``); card files behind them otherwise (pending.json lost, a card file put back by
hand) may lag several reviews. The signature needs no time order (clocks may have been skewed, log
files may be dated in the future): card states never repeat (each review changes the counts and
times), so a state is the ``previous`` of one review only, the next one never applied. Following
that chain from the card's state reaches its newest review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from hipquiz.core.model import CardProgress, ReviewRecord

T = TypeVar("T")


def unapplied_reviews(cards: Mapping[str, CardProgress],
                      reviews: Iterable[tuple[ReviewRecord, dict[str, Any] | None]]
                      ) -> dict[str, tuple[ReviewRecord, dict[str, Any]]]:
    """card id -> (its first review not applied, the state after its last one) for each card whose
    state is a review's ``previous`` rather than its ``after`` (a card never saved counts as the
    state None): the chain of reviews from the card's state on, however long, in one pass."""
    return follow(cards, ((r.card_id, r.previous, after, r) for r, after in reviews if after is not None))


def follow(cards: Mapping[str, CardProgress],
           steps: Iterable[tuple[str, CardProgress | None, dict[str, Any], T]]
           ) -> dict[str, tuple[T, dict[str, Any]]]:
    """card id -> (the first step taken, the state after the last) following each card's steps
    ``(card id, state before, state after, what)`` from its state in ``cards``: a step is taken when
    its state before is the card's state and it changes it."""
    by_card: dict[str, list[tuple[CardProgress | None, dict[str, Any], T]]] = {}
    for card_id, before, after, what in steps:
        by_card.setdefault(card_id, []).append((before, after, what))
    found: dict[str, tuple[T, dict[str, Any]]] = {}
    for card_id, card_steps in by_card.items():
        state = cards.get(card_id)
        taken: list[T] = []
        last: dict[str, Any] | None = None
        for _ in range(len(card_steps)):  # each step taken is another one: never more than there are
            step = _next_step(state, card_steps)
            if step is None:
                break
            taken.append(step[2])
            last, state = step[1], step[3]
        if taken and last is not None:
            found[card_id] = (taken[0], last)
    return found


def _next_step(state: CardProgress | None, steps: list[tuple[CardProgress | None, dict[str, Any], T]]
               ) -> tuple[CardProgress | None, dict[str, Any], T, CardProgress] | None:
    """The step whose state before is ``state`` and that changes it, with the new state."""
    for before, after, what in steps:
        if before == state:
            new = CardProgress.from_dict(after)
            if new != state:
                return before, after, what, new
    return None


def describe(card_id: str, review: ReviewRecord) -> str:
    return (f"card {card_id!r} is out of step with the review log: its review of "
            f"{review.reviewed_at:%Y-%m-%d %H:%M} UTC was saved but the card was not updated")
