"""Choice: one right answer among four options; the three distractors are values of the same kind
(other muscle names for "which muscle…?", the answers to the most similar questions otherwise)."""

from __future__ import annotations

import random
from typing import Any

from rapidfuzz import fuzz

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Pool, Question, QuestionType
from hipquiz.core.questions.names import NameIndex, answer_muscles
from hipquiz.core.questions.text import normalize, words

# The answer and this many distractors.
CHOICE_DISTRACTORS = 3


class Choice(QuestionType):
    name = "choice"
    instruction = "Choose one."
    asked_in = "choice"
    mode_label = "Multiple choice"
    form = "multiple-choice"

    def supports(self, card: Card, ctx: AskContext) -> bool:
        return not card.answer_items and len(choice_pool(card, ctx)) >= CHOICE_DISTRACTORS

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        distractors = choice_pool(card, ctx).draw(CHOICE_DISTRACTORS, rng)
        options = [card.answer, *distractors]
        rng.shuffle(options)
        return Question(self.name, card, card.prompt, tuple(options), (options.index(card.answer),),
                        self.instruction, ctx.names)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the chosen option index (0-based)."""
        names = names or question.names
        n = len(question.options)
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < n:
            raise ValueError(f"choice answer must be an option index 0-{n - 1}, got {response!r}")
        right = question.answer_indices[0]
        given = question.options[response]
        named = ""
        if response != right and names is not None:
            owners = names.owners(given)
            if owners:
                named = names.display(sorted(owners)[0])
        return Check(response == right, given=given, expected=question.options[right], kind=self.name,
                     named=named)


def choice_pool(card: Card, ctx: AskContext) -> Pool:
    names, deck = ctx.names, ctx.deck
    pool = Pool(names, (card.answer, *card.accepted))
    targets = answer_muscles(card, names)
    if targets:
        # "Which muscle…?": other muscles, look-alikes first (the point of the exercise).
        for target in sorted(targets):
            for other in names.confusable(target):
                if other in names and other not in targets:
                    pool.add(names.display(other), 0)
        for muscle in names.muscles:
            if muscle not in targets:
                pool.add(names.display(muscle), 1)
        for text in ctx.extra_names:
            pool.add(text, 2)
        return pool
    if deck is None:
        return pool
    # Other values of the same field: first the answers to the most similar questions ("What is
    # the origin of the piriformis?" borrows from other origins, not from insertions or nerves),
    # then those of a similar length.
    length = words(card.answer)
    asked_about = names.mentions(card.prompt)
    question = without_names(card.prompt, names)
    for other in deck.cards:
        if other.note_id == card.note_id or other.answer_field != card.answer_field or other.answer_items:
            continue
        if answer_muscles(other, names):
            continue  # a muscle name is no plausible answer to "what pain…?"
        if names.mentions(other.answer) & asked_about:
            continue  # "Where is the gluteus minimus?" — "next to the gluteus minimus" gives itself away
        # The muscle names are left out of the comparison: "Which nerve supplies the TFL?" is like
        # "Which nerve supplies the piriformis?", not like "What is the origin of the TFL?".
        unlike = 100 - fuzz.token_sort_ratio(question, without_names(other.prompt, names))
        pool.add(other.answer, 10 * (unlike // 15) + abs(words(other.answer) - length) // 2)
    return pool


def without_names(text: str, names: NameIndex) -> str:
    padded = f" {normalize(text)} "
    for _key, name, _muscle in names.entries():
        spoken = normalize(name)
        if spoken:
            padded = padded.replace(f" {spoken} ", " ")
    return padded.strip()
