"""Typed: the user types a short answer (a muscle name, or a basic answer of a few words).

Matching forgives case, punctuation, accents, extra spaces and a small typo, but never takes a
look-alike muscle for a typo of the right one: the text is matched against every known name of
every muscle of the deck (``NameIndex``) and the closest name decides.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any, Iterable

from rapidfuzz.distance import Levenshtein

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex, answer_muscles
from hipquiz.core.questions.text import match_key, swaps_an_opposite, typo_tolerance, words

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
    return tuple(getattr(card, "typed", ()) or ())


def is_short(text: str) -> bool:
    return 0 < words(text) <= TYPED_MAX_WORDS and len(text) <= TYPED_MAX_CHARS


_RIVAL = "\x00rival"
_TARGET = ""  # owner of a candidate name that is a right answer


def check_typed(card: Card, text: str, names: NameIndex, rivals: Iterable[str] = ()) -> Check:
    """Match a typed answer against the card's accepted answers, every muscle name of ``names``
    and the ``rivals`` (other cards' answers of the same kind).

    The closest name decides: exact (after normalising) → right; another muscle's name → wrong,
    and ``named`` says which; within ``typo_tolerance`` of a right answer and of nothing else →
    right with ``near_miss``; as close to another name or rival as to a right one → wrong,
    ``ambiguous``. A "typo" that swaps a word for its opposite ("inferior" for "superior",
    "inside" for "outside") is wrong however few letters differ.
    """
    key = match_key(text)
    expected = card.answer
    if not key:
        return Check(False, given=text, expected=expected, kind="typed")
    targets = answer_muscles(card, names)
    owner_of: dict[str, str] = {}
    text_of: dict[str, str] = {}
    for accepted in (*card.accepted, *typed_forms(card), card.answer):
        if match_key(accepted):
            owner_of[match_key(accepted)] = _TARGET
            text_of.setdefault(match_key(accepted), accepted)
    for name_key, name, muscle in names.entries():
        owner = _TARGET if muscle in targets else muscle
        if owner_of.get(name_key) != _TARGET:
            owner_of[name_key] = owner
            text_of[name_key] = name
    for rival in rivals:
        rival_key = match_key(rival)
        if rival_key and rival_key not in owner_of:
            owner_of[rival_key] = _RIVAL
            text_of[rival_key] = rival
    scored = sorted((Levenshtein.distance(key, candidate), candidate) for candidate in owner_of)
    best = scored[0][0]
    closest = [candidate for distance, candidate in scored if distance == best]
    owners = {owner_of[c] for c in closest}
    others = sorted(o for o in owners if o != _TARGET)
    named_muscles = [o for o in others if o != _RIVAL]
    if best == 0:
        if _TARGET in owners:
            return Check(True, given=text, expected=expected, kind="typed")
        return Check(False, given=text, expected=expected, kind="typed",
                     named=names.display(named_muscles[0]) if named_muscles else "")
    within = [c for c in closest if best <= typo_tolerance(c, key)]
    if not within:
        return Check(False, given=text, expected=expected, kind="typed")
    if others:
        # The typo is at least as close to another muscle or answer: never a typo of the right one.
        return Check(False, given=text, expected=expected, kind="typed",
                     named=names.display(named_muscles[0]) if named_muscles else "",
                     ambiguous=_TARGET in owners)
    # A near miss of a longer answer must not swap the muscle it names ("under the gluteus minimus").
    swapped = names.mentions(text) - names.mentions(text_of[within[0]]) - targets
    if swapped:
        return Check(False, given=text, expected=expected, kind="typed", named=names.display(sorted(swapped)[0]))
    if swaps_an_opposite(text, text_of[within[0]]):
        return Check(False, given=text, expected=expected, kind="typed")
    return Check(True, given=text, expected=expected, kind="typed", near_miss=True)
