"""Select: "Which of these…?": the items of a list card mixed with distractors; tick all the right
ones. Marked item by item."""

from __future__ import annotations

import random
import re
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
        accepted_roots = set().union(*_root_sets(card))
        # A root some source gives for the nerve asked about is no distractor (L5 for the nerve to
        # piriformis: "accept L5–S2").
        found = [text for text in ctx.index.select_distractors(card, ctx.extra_names) if text not in accepted_roots]
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
        also = _also_right(question, chosen)
        marks = tuple((i in chosen) == (i in right) or i in also for i in range(n))
        return Check(
            all(marks),
            given="; ".join(question.options[i] for i in sorted(chosen)),
            expected="; ".join(question.options[i] for i in sorted(right)),
            item_marks=marks,
            kind=self.name,
        )

    def limits(self, thresholds: GradeThresholds, options: int) -> tuple[float, float]:
        return thresholds.list_limits(options)


def _root_sets(card: Card) -> tuple[frozenset[str], ...]:
    """Every root set the lexicon accepts for the nerve whose roots the card asks ("From which spinal
    roots does the nerve to piriformis arise?"), as typed answers are graded; () for other cards."""
    if not card.answer_items or not all(_is_root(item) for item in card.answer_items):
        return ()
    from hipquiz.core.lexicon import Lexicon

    lexicon = Lexicon.current()
    prompt = f" {' '.join(lexicon.key(card.prompt))} "
    named = [(len(key), term) for term in lexicon.terms_of_kind("nerve") if term.roots
             for key in (lexicon.key(name) for name in term.names) if f" {' '.join(key)} " in prompt]
    if not named:
        return ()
    nerve = max(named, key=lambda found: found[0])[1]
    return tuple(frozenset(roots) for roots in nerve.roots)


def _is_root(text: str) -> bool:
    from hipquiz.core.lexicon import parse_roots

    return parse_roots(text) == (text.strip().upper(),)


def _also_right(question: Question, chosen: frozenset[int]) -> frozenset[int]:
    """Options marked right though the card's answer says otherwise, as typed roots are graded:
    roots ticked with the answer's that together make a root set a source gives (L5 with S1 and S2
    for the nerve to piriformis); and when the roots ticked are a whole root set a source gives,
    the card's roots left unticked (L4 and L5 for the superior gluteal nerve, "accept L4–S1 or
    L4–L5": S1 is not missed)."""
    sets = _root_sets(question.card)
    if not sets:
        return frozenset()
    ticked = frozenset(question.options[i] for i in chosen)
    if not any(ticked <= roots for roots in sets):
        return frozenset()
    extra = frozenset(i for i in chosen if i not in question.answer_indices)
    if ticked in sets:
        return extra | frozenset(i for i in question.answer_indices if i not in chosen)
    return extra


def parse_selection(text: str, n: int) -> frozenset[int]:
    """Ticked option numbers typed as "1 3" or "1,3" → 0-based indices; empty text = none."""
    chosen: set[int] = set()
    for token in (t for t in re.split(SEPARATORS, text.strip()) if t):
        if not token.isdigit() or not 1 <= int(token) <= n:
            raise ValueError(f"{token!r} is not an option (use the numbers 1-{n})")
        chosen.add(int(token) - 1)
    return frozenset(chosen)
