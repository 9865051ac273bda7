"""Order: the items of an ordered list card, shuffled; put them back in order."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from hipquiz.core.decks import Card
from hipquiz.core.questions.base import AskContext, Check, Question, QuestionType, numbered
from hipquiz.core.questions.names import NameIndex
from hipquiz.core.questions.select import is_ordered_list
from hipquiz.core.questions.text import SEPARATORS

if TYPE_CHECKING:
    from hipquiz.core.questions.grades import GradeThresholds


class Order(QuestionType):
    name = "order"
    instruction = "Put these in the right order (first to last)."
    # An ordered list's prompt asks for an order: in the select mode it is asked as "put in order".
    asked_in = "select"

    def supports(self, card: Card, ctx: AskContext) -> bool:
        return is_ordered_list(card)

    def build(self, card: Card, ctx: AskContext, rng: random.Random) -> Question:
        items = list(card.answer_items)
        options = items[:]
        # Never in order, and (with three items or more) never simply reversed: both give it away.
        while options == items or (len(items) >= 3 and options == items[::-1]):
            rng.shuffle(options)
        return Question(self.name, card, card.prompt, tuple(options),
                        tuple(options.index(item) for item in items), self.instruction, ctx.names)

    def check(self, question: Question, response: Any, names: NameIndex | None) -> Check:
        """``response``: option indices in the user's order (0-based), or text like "3 1 2 4" (1-based)."""
        n = len(question.options)
        if isinstance(response, str):
            order = parse_order(response, n)
        else:
            order = tuple(response)
            if sorted(order) != list(range(n)) or any(isinstance(i, bool) for i in order):
                raise ValueError(f"order answer must use each option index 0-{n - 1} once, got {list(order)}")
        marks = tuple(given == right for given, right in zip(order, question.answer_indices))
        return Check(
            all(marks),
            given=numbered(question.options[i] for i in order),
            expected=numbered(question.options[i] for i in question.answer_indices),
            item_marks=marks,
            kind=self.name,
        )

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        return thresholds.list_limits(options)


def parse_order(text: str, n: int) -> tuple[int, ...]:
    """The user's order typed as option numbers ("3 1 2 4", "3,1,2,4", or "3124" when there are
    fewer than 10 options) → 0-based option indices. Raises ValueError with a message to show."""
    example = " ".join(str(i) for i in range(min(n, 4), 0, -1))
    tokens = [t for t in re.split(SEPARATORS, text.strip()) if t]
    if len(tokens) == 1 and n < 10 and tokens[0].isdigit() and len(tokens[0]) == n > 1:
        tokens = list(tokens[0])
    if not tokens:
        raise ValueError(f"type the option numbers in order, like {example!r}")
    numbers: list[int] = []
    for token in tokens:
        if not token.isdigit():
            raise ValueError(f"{token!r} is not an option number (use 1-{n}, like {example!r})")
        number = int(token)
        if not 1 <= number <= n:
            raise ValueError(f"{number} is not an option (use the numbers 1-{n})")
        if number in numbers:
            raise ValueError(f"{number} is given twice (use each of 1-{n} once)")
        numbers.append(number)
    if len(numbers) != n:
        missing = ", ".join(str(i) for i in range(1, n + 1) if i not in numbers)
        raise ValueError(f"put all {n} options in order: {missing} missing")
    return tuple(number - 1 for number in numbers)
