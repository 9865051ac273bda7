"""Flip: show the prompt, reveal the answer, the user rates themself. Every card can be flipped."""

from __future__ import annotations

import random
from typing import Any

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex


class Flip(QuestionType):
    name = "flip"
    instruction = "Think of the answer, then reveal it."
    asked_in = "flip"
    mode_label = "Flip cards"
    self_rated = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        return True

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        return Question(self.name, card, card.prompt, instruction=self.instruction, names=ctx.names)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: whether the user knew it."""
        return Check(bool(response), expected=question.card.answer, kind=self.name)
