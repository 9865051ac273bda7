"""What a card's saved FSRS state (``CardProgress.fsrs``) must hold for the scheduler to use it.

The store checks every card state it reads with :func:`check_fsrs_state`, so that a hand-edited or
foreign value (an empty object, an unknown state, a negative stability) is refused where it is
read, naming its file, instead of failing in the middle of a review. The fields are those
``fsrs.Card.from_dict`` reads; this module does not import fsrs (the store must not: it stays fast
to import), and a test checks the state numbers against fsrs's own.
"""

from __future__ import annotations

from typing import Any

from hipquiz.core.model import RecordError, parse_time

# fsrs.State: Learning = 1, Review = 2, Relearning = 3.
FSRS_STATES = (1, 2, 3)
REVIEW = 2


# Bounds of a usable fsrs state: FSRS keeps difficulty in 1-10 and stability (in days) far below a
# million; dates past year 9000 would overflow when an interval is added.
_MAX_STABILITY = 1e6
_LAST_YEAR = 9000


def check_fsrs_state(state: Any) -> None:
    """Raise RecordError unless ``state`` (a CardProgress's ``fsrs``) can be scheduled: the fields
    fsrs.Card.from_dict reads, of the types and in the ranges fsrs works with."""

    def number(key: str, low: float, high: float, *, required: bool) -> None:
        value = state.get(key)
        if value is None and not required:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise RecordError(f"fsrs {key} must be a number from {low:g} to {high:g}, got {_short(value)}")

    def moment(key: str, *, required: bool) -> None:
        value = state.get(key)
        if value is None and not required:
            return
        when = parse_time(value, f"fsrs {key}")
        if not 1970 <= when.year <= _LAST_YEAR:
            raise RecordError(f"fsrs {key} is out of range: {_short(value)}")

    if not isinstance(state, dict):
        raise RecordError("the fsrs state must be an object")
    card_id, phase, step = state.get("card_id"), state.get("state"), state.get("step")
    if isinstance(card_id, bool) or not isinstance(card_id, int):
        raise RecordError(f"fsrs card_id must be a whole number, got {_short(card_id)}")
    if phase not in FSRS_STATES or isinstance(phase, bool):
        raise RecordError(f"unknown fsrs state {_short(phase)}")
    learning = phase != REVIEW
    if step is not None and (isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < 100):
        raise RecordError(f"fsrs step must be a small whole number, got {_short(step)}")
    if learning and step is None:
        raise RecordError("a learning card's fsrs step is missing")
    # A card past its first review has a memory state; a new card in learning may not yet.
    reviewed = state.get("last_review") is not None or not learning
    number("stability", 1e-6, _MAX_STABILITY, required=reviewed)
    number("difficulty", 1, 10, required=reviewed)
    moment("due", required=True)
    moment("last_review", required=not learning)


def _short(value: Any) -> str:
    """A value as a message may quote it: a 5,000-character text must not make a 5,000-character line."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
