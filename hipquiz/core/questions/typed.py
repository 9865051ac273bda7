"""Typed: the user types a short answer (a muscle name, or a basic answer of a few words).

Grading is hipquiz/core/grading.py's: on the terms of the anatomy lexicon, forgiving what students
add or drop ("muscle", "n.", roots, word order), and never taking another term, a look-alike or
another real word for a typo of the right answer.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Iterable

from hipquiz.core.decks import Card, Deck
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex, answer_muscles
from hipquiz.core.grading import grade_card
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
        return bool(answer_muscles(card, ctx.names)) or is_short(card.answer)

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        return Question(self.name, card, card.prompt, instruction=self.instruction, names=ctx.names,
                        rivals=rival_answers(card, ctx.deck))

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the text typed."""
        card = question.card
        return check_typed(card, str(response), names or question.names or NameIndex.from_notes([card.note]),
                           rivals=question.rivals)

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        return thresholds.typed_fast_seconds, thresholds.typed_slow_seconds


def is_short(text: str) -> bool:
    return 0 < words(text) <= TYPED_MAX_WORDS and len(text) <= TYPED_MAX_CHARS


def rival_answers(card: Card, deck: Deck | None) -> tuple[str, ...]:
    """The answers other notes give to the same kind of question."""
    if deck is None or card.answer_field == "name":
        return ()
    rivals: list[str] = []
    for other in deck.cards:
        if other.note_id != card.note_id and other.answer_field == card.answer_field and not other.answer_items:
            rivals.extend(other.accepted or (other.answer,))
    return tuple(rivals)


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
    verdict = grade_card(card, text, also_right=also_right, other_answers=(*rivals, *others))
    return Check(verdict.correct, given=text, expected=card.answer, near_miss=verdict.near_miss, kind="typed",
                 named=verdict.named, ambiguous=verdict.ambiguous, note=verdict.note)
