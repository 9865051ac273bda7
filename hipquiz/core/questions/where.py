"""Where is it: a drawing with several numbered regions, "Which number is the gemellus inferior?".

Checked like a choice question: the options are the numbered regions (the muscle asked and its
look-alikes, the regions beside it in the view), and the response is the index of the number
chosen. Asked for cards whose answer is a location, of muscles that are drawn.

Each picture question carries its words form (``words``): the same card as a choice (or flip)
question, which the screen asks instead when the terminal is too small for the drawing.
"""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from hipquiz.core import figures
from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.choice import Choice
from hipquiz.core.questions.flip import Flip
from hipquiz.core.questions.names import NameIndex

TOO_SMALL = "Too small a terminal for the drawing, so this is asked in words."


def words_form(card: Card, ctx: AskContext, rng: random.Random) -> Question:
    """The card as a choice question if it has that form, else as a flip card; the instruction says
    why it is not shown as a picture."""
    kind = Choice() if Choice().supports(card, ctx) else Flip()
    question = kind.build(card, ctx, rng)
    return replace(question, instruction=f"{TOO_SMALL} {question.instruction}")


class Where(QuestionType):
    name = "where"
    instruction = "Find it on the drawing."
    asked_in = "pictures"
    mode_label = "Pictures"
    form = "picture"
    recognition = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        if not figures.asks_location(card):
            return False
        term = figures.term_of(card.note)
        return term is not None and bool(figures.views_showing(term, with_neighbours=2))

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        from hipquiz.core.questions.figure_question import FigureQuestion  # (see its module)

        term = figures.term_of(card.note)
        assert term is not None
        figure = figures.where_figure(term, rng)
        assert figure is not None
        terms = [t for t, _ in figure.labels]
        options = tuple(figures.display_name(t) for t in terms)
        # A muscle note is named after its muscle; a basic note's name is its question.
        name = card.note.name if card.note.type == "muscle" else figures.display_name(term)
        return FigureQuestion(self.name, card, f"Which number is the {name}?", options,
                              (terms.index(term),), self.instruction, ctx.names, figure=figure,
                              words=words_form(card, ctx, rng))

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the index of the region chosen (its number minus 1)."""
        n = len(question.options)
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < n:
            raise ValueError(f"there is no region {response + 1 if isinstance(response, int) else response!r} "
                             f"(use the numbers 1-{n})")
        right = question.answer_indices[0]
        given = question.options[response]
        return Check(response == right, given=given, expected=question.options[right], kind=self.name,
                     named="" if response == right else given)
