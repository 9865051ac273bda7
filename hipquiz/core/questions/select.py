"""Select: "Which of these…?": the items of a list card mixed with distractors; tick all the right
ones. Marked item by item."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Pool, Question, QuestionType
from hipquiz.core.questions.names import NameIndex
from hipquiz.core.questions.text import SEPARATORS

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds

# Fewest distractors that make "tick all that apply" more than "tick everything".
SELECT_MIN_DISTRACTORS = 2


def is_ordered_list(card: Card) -> bool:
    """A list whose order is the answer (asked as "put in order", never "select")."""
    return bool(card.note.type == "list" and card.note.fields.get("ordered") and len(card.answer_items) >= 2)


class Select(QuestionType):
    name = "select"
    instruction = "Select all that apply."
    asked_in = "select"
    mode_label = "Select all that apply"
    form = "select-all"

    def supports(self, card: Card, ctx: AskContext) -> bool:
        if not card.answer_items or is_ordered_list(card):
            return False
        return len(select_pool(card, ctx)) >= SELECT_MIN_DISTRACTORS

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        items = list(card.answer_items)
        distractors = select_pool(card, ctx).draw(3 if len(items) <= 3 else 4, rng)
        options = items + distractors
        rng.shuffle(options)
        right = tuple(i for i, option in enumerate(options) if option in items)
        return Question(self.name, card, card.prompt, tuple(options), right, self.instruction, ctx.names)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: the set of ticked option indices (0-based), or text like "1 3" (1-based)."""
        n = len(question.options)
        if isinstance(response, str):
            chosen = parse_selection(response, n)
        else:
            chosen = frozenset(response)
            bad = [i for i in chosen if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < n]
            if bad:
                raise ValueError(f"select answer holds {bad[0]!r}, not an option index 0-{n - 1}")
        right = frozenset(question.answer_indices)
        marks = tuple((i in chosen) == (i in right) for i in range(n))
        return Check(
            all(marks),
            given="; ".join(question.options[i] for i in sorted(chosen)),
            expected="; ".join(question.options[i] for i in sorted(right)),
            item_marks=marks,
            kind=self.name,
        )

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        return thresholds.list_limits(options)


def parse_selection(text: str, n: int) -> frozenset[int]:
    """Ticked option numbers typed as "1 3" or "1,3" → 0-based indices; empty text = none."""
    chosen: set[int] = set()
    for token in (t for t in SEPARATORS.split(text.strip()) if t):
        if not token.isdigit() or not 1 <= int(token) <= n:
            raise ValueError(f"{token!r} is not an option (use the numbers 1-{n})")
        chosen.add(int(token) - 1)
    return frozenset(chosen)


def select_pool(card: Card, ctx: AskContext) -> Pool:
    names, deck = ctx.names, ctx.deck
    items = card.answer_items
    pool = Pool(names, items)
    for text in card.note.items("distractors"):
        pool.add(text, 0)
    item_muscles = frozenset().union(*(names.owners(item) for item in items))
    if item_muscles:
        # Items are muscle names ("Which muscles insert into the IT band?"): other muscles.
        for muscle in names.muscles:
            if muscle not in item_muscles:
                pool.add(names.display(muscle), 1)
        for text in ctx.extra_names:
            pool.add(text, 2)
    if deck is not None and card.note.type == "list" and not item_muscles:
        # Items of other lists. Not for a muscle's functions or relations: hip muscles share many
        # actions, so another muscle's function, worded differently, may well be true of this one.
        for other in deck.cards:
            if other.note_id == card.note_id or other.note.type != "list":
                continue
            for text in (*other.answer_items, *other.note.items("distractors")):
                pool.add(text, 3)
    return pool
