"""Typed: the user types a short answer (a muscle name, or a basic answer of a few words).

Grading is hipquiz/core/grading.py's: on the terms of the anatomy lexicon, forgiving what students
add or drop ("muscle", "n.", roots, word order), and never taking another term, a look-alike or
another real word for a typo of the right answer.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Iterable

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex, answer_muscles
from hipquiz.core.questions.text import words

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds

# An answer of at most this many words (and characters) can be typed.
TYPED_MAX_WORDS = 4
TYPED_MAX_CHARS = 40


class Typed(QuestionType):
    name = "typed"
    instruction = "Type the answer."
    asked_in = "typed"
    mode_label = "Typed answers"
    form = "typed-answer"
    written = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        if card.answer_items:
            return False
        # A long answer may still have short forms to type ("ASIS" for the TFL's origin).
        return bool(answer_muscles(card, ctx.names)) or is_short(card.answer) or bool(typed_forms(card))

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        # Other cards' answers to the same field (the deck index holds them once per field).
        rivals = ctx.index.rivals(card.answer_field) if ctx.deck is not None and card.answer_field != "name" else ()
        return Question(self.name, card, card.prompt, instruction=self.instruction, names=ctx.names,
                        rivals=rivals)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the text typed."""
        card = question.card
        return check_typed(card, str(response), names or question.names or NameIndex.from_notes([card.note]),
                           rivals=question.rivals)

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        return thresholds.typed_fast_seconds, thresholds.typed_slow_seconds


def typed_forms(card: Card) -> tuple[str, ...]:
    """Short forms the deck accepts as a typed answer where the answer shown is long."""
    from hipquiz.core.grading import card_typed_forms  # on first use: a flip card never needs it

    return card_typed_forms(card)


def is_short(text: str) -> bool:
    return 0 < words(text) <= TYPED_MAX_WORDS and len(text) <= TYPED_MAX_CHARS


def check_typed(card: Card, text: str, names: NameIndex, rivals: Iterable[str] = ()) -> Check:
    """Grade a typed answer on the anatomy lexicon (hipquiz/core/grading.py): right, right with a
    typo (``near_miss``), or wrong (``named`` says which other term it names; ``note`` says why
    when the verdict alone does not). The names of ``names`` count too: the user's aliases of the
    muscle asked for are right, the other muscles' names (of user decks as well) are wrong."""
    targets = answer_muscles(card, names)
    # Exactly a name of another muscle of the deck (of a user deck too): wrong, whatever else it is.
    others_named = sorted(names.owners(text) - targets)
    if others_named and not names.owners(text) & targets:
        return Check(False, given=text, expected=card.answer, kind="typed", named=names.display(others_named[0]))
    also_right = [name for muscle in sorted(targets) for name in names.names_of(muscle)]
    others = [name for muscle in names.muscles if muscle not in targets for name in names.names_of(muscle)]
    from hipquiz.core.grading import grade_card  # on first use: a flip card never needs it

    verdict = grade_card(card, text, also_right=also_right, other_answers=(*rivals, *others))
    return Check(verdict.correct, given=text, expected=card.answer, near_miss=verdict.near_miss, kind="typed",
                 named=verdict.named, ambiguous=verdict.ambiguous, note=verdict.note)
