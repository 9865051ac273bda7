"""What a study session keeps of the answers given: the answer shown before a card is rated
(``Shown``), an answer taken and not saved yet (``GivenAnswer``), and what undo takes back
(``Undoable``).

Apart from session.py so that a start imports none of them: the session needs them from the first
answer shown on, not to show the first card (tests/tui/test_start_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipquiz.core.decks import Card
    from hipquiz.core.model import CardProgress, ReviewRecord
    from hipquiz.core.outcome import Outcome
    from hipquiz.core.questions import Check, Question


@dataclass(frozen=True)
class Shown:
    """What the screen showed of a card's answer before it was rated: the question, and for a
    checked answer the verdict, the response and the seconds it took (``check`` is None for a flip
    card revealed). Undo brings it back with the card, so that an answer once shown is never asked
    afresh."""

    question: Question
    check: Check | None = None
    response: Any = None
    seconds: float = 0.0


@dataclass(frozen=True)
class GivenAnswer:
    """An answer the session has taken (``StudySession.give``), to be saved with ``save``."""

    card: Card
    review: ReviewRecord
    outcome: Outcome


@dataclass(frozen=True)
class Undoable:
    """What undo needs to take back the last answer, bury or suspend."""

    card: Card
    review: ReviewRecord | None = None
    # For an answer: what the screen had shown before the rating.
    shown: Shown | None = None
    # For a bury or suspend: the progress before it (None for a card never saved), and the new
    # card that took the place of a new card put aside.
    previous: CardProgress | None = None
    refilled: Card | None = None
    # For an answer: the accepted answer the user kept right after it (note key, text).
    alias: tuple[str, str] | None = None
