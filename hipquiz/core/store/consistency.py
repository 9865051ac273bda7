"""Card states that are out of step with the review log: a review saved, its card never updated.

Schema 2's ``record_review`` wrote the log first (the review with the card's state before it,
``previous``, and after it, ``after``) and the card second; a crash in between left a card whose
state is still exactly its newest review's ``previous``. Schema 3 replays such lines at open (see
``log/pending.json``), so a card in that state beyond them is damage (a card file put back by hand). That signature needs no time order (clocks may have been
skewed, log files may be dated in the future): card states never repeat (each review changes the
counts and times), so a state can be the ``previous`` of one review only, the one never applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hipquiz.core.model import CardProgress, ReviewRecord


def unapplied_reviews(cards: Mapping[str, CardProgress],
                      reviews: Iterable[tuple[ReviewRecord, dict[str, Any] | None]]
                      ) -> dict[str, tuple[ReviewRecord, dict[str, Any]]]:
    """card id -> (review, after) for each card whose state is its review's ``previous``, not yet its
    ``after`` (a card never saved counts as the state None)."""
    current = {card_id: progress.to_dict() for card_id, progress in cards.items()}
    found: dict[str, tuple[ReviewRecord, dict[str, Any]]] = {}
    for review, after in reviews:
        if after is None:
            continue
        before = review.previous.to_dict() if review.previous is not None else None
        state = current.get(review.card_id)
        if state == before and state != after:
            found[review.card_id] = (review, after)
    return found


def describe(card_id: str, review: ReviewRecord) -> str:
    return (f"card {card_id!r} is out of step with the review log: its review of "
            f"{review.reviewed_at:%Y-%m-%d %H:%M} UTC was saved but the card was not updated")
