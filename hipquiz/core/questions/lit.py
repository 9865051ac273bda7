"""Which muscle is lit: a drawing with one region lit; choose its name or type it.

Asked for cards that describe where a muscle lies and ask which muscle it is
(``name-from-location``), of muscles that are drawn. The options are the lit muscle and its
look-alikes (the regions beside it in the view, then the deck's other muscles); a typed name is
checked as a typed answer.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from hipquiz.core import figures
from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex
from hipquiz.core.questions.typed import check_typed
from hipquiz.core.questions.where import words_form

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds

LIT_DISTRACTORS = 3


class Lit(QuestionType):
    name = "lit"
    instruction = "Name the lit muscle."
    asked_in = "pictures"
    written = True
    # Mostly answered by picking a name shown: a first right answer earns Good at most.
    recognition = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        if not figures.asks_name_from_location(card):
            return False
        term = figures.term_of(card.note)
        views = figures.views_showing(term) if term is not None else ()
        return bool(views) and len(_candidates(card, ctx, views[0].id, term)) >= LIT_DISTRACTORS

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        from hipquiz.core.questions.figure_question import FigureQuestion  # (see its module)

        term = figures.term_of(card.note)
        assert term is not None
        view = rng.choice(figures.views_showing(term))
        options = [card.answer, *_candidates(card, ctx, view.id, term)[:LIT_DISTRACTORS]]
        rng.shuffle(options)
        return FigureQuestion(self.name, card, "Which muscle is lit?", tuple(options),
                              (options.index(card.answer),), self.instruction, ctx.names,
                              figure=figures.Figure(view.id, lit=term), words=words_form(card, ctx, rng))

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the index of the option chosen, or the name typed."""
        card = question.card
        names = names or question.names or NameIndex.from_notes([card.note])
        if isinstance(response, str):
            return _as_lit(check_typed(card, response, names))
        n = len(question.options)
        if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < n:
            raise ValueError(f"choose an option 1-{n} or type the name")
        right = question.answer_indices[0]
        given = question.options[response]
        return Check(response == right, given=given, expected=question.options[right], kind=self.name,
                     named="" if response == right else given)

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        # Typing the name takes longer than pressing a number: the typed limits fit both.
        return thresholds.typed_fast_seconds, thresholds.typed_slow_seconds


def _candidates(card: Card, ctx: AskContext, view_id: str, term: str) -> list[str]:
    """Names to choose from, best first: the regions beside the lit one, nearest first; then the
    deck's other muscles (a view with few named regions, like the obturator externus's). None
    names the lit muscle, and no two name the same one."""
    view = figures.atlas().view(view_id)
    assert view is not None
    found: list[str] = []
    right = (card.answer, *card.accepted)
    for text in (*(figures.display_name(t) for t in figures.look_alikes(view, term)),
                 *(ctx.names.display(m) for m in ctx.names.muscles)):
        if any(ctx.names.same_meaning(text, r) for r in (*right, *found)):
            continue
        found.append(text)
    return found


def _as_lit(check: Check) -> Check:
    from dataclasses import replace

    return replace(check, kind=Lit.name)
