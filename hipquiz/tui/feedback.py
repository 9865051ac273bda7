"""What the study screen says after an answer: the verdict in words, and a mark per option.

Plain functions of a Question and its Check, so that they can be tested without a screen. The words
carry the verdict on their own ("✓ Right", "✗ Wrong"); colour only repeats it. What differs by
question type lives in ``question_ui``.
"""

from __future__ import annotations

from textual.content import Content

from hipquiz.core.decks import Card
from hipquiz.core.model import RATING_NAMES
from hipquiz.core.questions import MODE_LABELS, Check, Question
from hipquiz.tui.question_ui import ui_for

# Card templates that ask where a muscle lies: their feedback adds the note's region in words.
LOCATION_TEMPLATES = ("location", "name-from-location")

MODE_NAMES = MODE_LABELS


def region_words(card: Card) -> str:
    """The note's region in plain words ("anterolateral = front and outside") for a location card."""
    if card.template in LOCATION_TEMPLATES:
        return card.note.text("region")
    return ""


def verdict(question: Question, check: Check) -> Content:
    """A few lines: right or wrong first, then what was given beside what was expected."""
    return ui_for(question.kind).verdict(question, check)


def suggestion(rating: int) -> Content:
    return Content.assemble("Suggested rating: ", (RATING_NAMES[rating], "bold"),
                            " — Enter accepts it, 1-4 changes it.")
