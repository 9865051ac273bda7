"""Question types: build a question from a card, check an answer, turn the check into a rating.

One module per type, each a ``QuestionType`` (``base.py``): ``supports`` (can this card be asked
so?), ``build`` (the question), ``check`` (the verdict on a response) and ``limits`` (the answer
times that make a right answer Easy or Hard):

``flip``    show the prompt, reveal the answer, the user rates themself; every card can be flipped.
``choice``  one right answer among four options, three distractors of the same kind.
``typed``   type a short answer; a small typo is forgiven, a look-alike never.
``select``  tick all the right items of a list among distractors.
``order``   put the items of an ordered list back in order (asked in the select mode).

``mixed.py`` picks the type for a card in a session's mode. Everything here is pure and
deterministic given the ``random.Random`` passed in, and imports nothing of the screen.

Adding a question type takes exactly two places:

1. here: a module ``hipquiz/core/questions/NAME.py`` with a ``QuestionType`` subclass (set ``name``,
   ``instruction``, ``asked_in`` — the mode that asks it, a new one if you also set ``mode_label``
   — and ``form``), listed in ``_TYPES`` in ``registry.py``;
2. on screen: a ``QuestionUI`` subclass in ``hipquiz/tui/question_ui.py`` (its key hint, the answer
   widgets it shows and focuses, how it reads a response and shows a verdict), listed in ``UIS``.

Nothing else compares type names: the session, the mode picker, grading and the study screen ask
the registries.
"""

from __future__ import annotations

import random
from typing import Any, Iterable, Mapping, Sequence

from hipquiz.core.decks import Card, Deck
from hipquiz.core.questions.base import AGAIN, EASY, GOOD, HARD, AskContext, Check, Question, QuestionType
from hipquiz.core.questions.choice import CHOICE_DISTRACTORS
from hipquiz.core.questions.grades import GradeThresholds, grade
from hipquiz.core.questions.mixed import pick
from hipquiz.core.questions.names import NameIndex, answer_muscles, muscle_id, names_for
from hipquiz.core.questions.order import parse_order
from hipquiz.core.questions.registry import (
    FLIP,
    MIXED,
    MODE_ALIASES,
    MODE_LABELS,
    MODES,
    QUESTION_TYPES,
    TYPES,
    form_name,
    mode_called,
    mode_type,
    question_type,
)
from hipquiz.core.questions.select import SELECT_MIN_DISTRACTORS, parse_selection
from hipquiz.core.questions.text import match_key, normalize, typo_tolerance
from hipquiz.core.questions.typed import TYPED_MAX_CHARS, TYPED_MAX_WORDS, check_typed

__all__ = [
    "AGAIN", "CHOICE_DISTRACTORS", "EASY", "FLIP", "GOOD", "HARD", "INSTRUCTIONS", "MIXED", "MODES",
    "MODE_ALIASES", "MODE_LABELS", "QUESTION_TYPES", "SELECT_MIN_DISTRACTORS", "TYPED_MAX_CHARS", "TYPED_MAX_WORDS",
    "TYPES", "AskContext", "Check", "GradeThresholds", "NameIndex", "Question", "QuestionType",
    "answer_muscles", "build_question", "check_answer", "check_typed", "form_name", "grade", "match_key",
    "mode_called", "mode_counts", "mode_type", "muscle_id", "normalize", "parse_order", "parse_selection", "pick_kind", "question_type",
    "supported_types", "typo_tolerance",
]

INSTRUCTIONS = {name: kind.instruction for name, kind in TYPES.items()}


def _context(card: Card, deck: Deck | None, extra_names: Iterable[str] | None,
             names: NameIndex | None) -> AskContext:
    return AskContext(deck, names_for(card, deck, names), tuple(extra_names or ()))


def supported_types(card: Card, deck: Deck | None = None, extra_names: Iterable[str] | None = None,
                    *, names: NameIndex | None = None) -> tuple[str, ...]:
    """The question types that make sense for ``card``, in ``QUESTION_TYPES`` order.

    Pass the card's ``deck``: choice and select need other cards of the deck for distractors
    (without it only a list note's own distractors count).
    """
    ctx = _context(card, deck, extra_names, names)
    return tuple(name for name, kind in TYPES.items() if kind.supports(card, ctx))


def build_question(card: Card, kind: str, deck: Deck | None = None, rng: random.Random | None = None,
                   extra_names: Iterable[str] | None = None, *, names: NameIndex | None = None) -> Question:
    """Ask ``card`` as ``kind``. Raises ValueError when the card cannot be asked that way.

    ``extra_names`` are further muscle names (say, of other decks) usable as distractors; ``names``
    is the index for typed answers (default: built from ``deck``, without user aliases).
    """
    question_kind = question_type(kind)
    ctx = _context(card, deck, extra_names, names)
    if not question_kind.supports(card, ctx):
        raise ValueError(f"card {card.id} cannot be asked as a {kind} question")
    return question_kind.build(card, ctx, rng if rng is not None else random.Random())


def check_answer(question: Question, response: Any, names: NameIndex | None = None) -> Check:
    """Judge a response to ``question`` (each type's ``check`` says what it takes: a bool for flip,
    an option index for choice, ticked indices or "1 3" for select, an order or "3 1 2" for order,
    the text for typed). Raises ValueError for a response of the wrong shape."""
    return question_type(question.kind).check(question, response, names or question.names)


def pick_kind(card: Card, mode: str, type_stats: Mapping[str, tuple[int, int]] | None = None,
              rng: random.Random | None = None, *, deck: Deck | None = None,
              supported: Sequence[str] | None = None, names: NameIndex | None = None) -> str:
    """The question type to ask ``card`` in ``mode`` (see ``mixed.pick``). Pass ``deck`` (or
    ``supported``) so choice and select are known to be possible."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (one of: {', '.join(MODES)})")
    if supported is None and mode != MIXED:
        # A fixed mode asks only whether the card has that mode's forms, not every type's.
        ctx = _context(card, deck, (), names)
        supported = [name for name, kind in TYPES.items() if kind.asked_in == mode and kind.supports(card, ctx)]
    kinds = tuple(supported) if supported is not None else supported_types(card, deck, names=names)
    return pick(kinds, mode, type_stats, rng)


def mode_counts(deck: Deck, names: NameIndex | None = None) -> dict[str, int]:
    """Mode → how many cards of ``deck`` that mode asks in its own way (not as a flip card)."""
    names = names or NameIndex.from_deck(deck)
    counts = dict.fromkeys(MODES, 0)
    for card in deck.cards:
        kinds = supported_types(card, deck, names=names)
        checked = [kind for kind in kinds if not TYPES[kind].self_rated]
        for mode in MODES:
            if mode == FLIP:
                counts[mode] += 1
            elif mode == MIXED:
                counts[mode] += bool(checked)
            else:
                counts[mode] += pick(kinds, mode) != FLIP
    return counts
