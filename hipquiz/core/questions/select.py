"""Select: "Which of these…?": the items of a list card mixed with distractors; tick all the right
ones. Marked item by item."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType
from hipquiz.core.questions.names import NameIndex
from hipquiz.core.questions.text import SEPARATORS

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds

# Fewest distractors that make "tick all that apply" more than "tick everything".
SELECT_MIN_DISTRACTORS = 2
# Distractors drawn from among the best this many (after the note's own).
SELECT_SHORTLIST = 8


def is_ordered_list(card: Card) -> bool:
    """A list whose order is the answer (asked as "put in order", never "select")."""
    return bool(card.note.type == "list" and card.note.fields.get("ordered") and len(card.answer_items) >= 2)


class Select(QuestionType):
    name = "select"
    instruction = "Select all that apply."
    asked_in = "select"
    mode_label = "Select all that apply"
    form = "select-all"
    recognition = True

    def supports(self, card: Card, ctx: AskContext) -> bool:
        if not card.answer_items or is_ordered_list(card):
            return False
        return len(ctx.index.select_distractors(card, ctx.extra_names)) >= SELECT_MIN_DISTRACTORS

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        items = list(card.answer_items)
        found = ctx.index.select_distractors(card, ctx.extra_names)
        # The note's own distractors first (written for it), then the best of the rest, each in a
        # random order.
        own = [text for text in found if text in card.note.items("distractors")]
        rest = [text for text in found if text not in own][:SELECT_SHORTLIST]
        rng.shuffle(own)
        rng.shuffle(rest)
        distractors = (own + rest)[:3 if len(items) <= 3 else 4]
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
