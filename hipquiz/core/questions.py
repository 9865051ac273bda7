"""Question types: build a question from a card, check an answer, turn the check into a rating."""

from __future__ import annotations

import random
from dataclasses import dataclass

from hipquiz.core.decks import Card, Deck

# How a card can be asked. "flip" shows the answer and lets the user rate themself.
QUESTION_TYPES = ("flip",)
# What a user can choose for a session; "mixed" picks a type per card.
MODES = ("flip",)


@dataclass(frozen=True)
class Question:
    kind: str
    card: Card
    prompt: str
    # choice / select / order: the items shown, in the order shown.
    options: tuple[str, ...] = ()
    # choice: (right index,); select: the right indices; order: option indices in the right order.
    answer_indices: tuple[int, ...] = ()


@dataclass(frozen=True)
class Check:
    """The verdict on one answer."""

    correct: bool
    given: str = ""
    expected: str = ""
    # typed: accepted, but not spelled as expected (the UI shows the right spelling).
    near_miss: bool = False
    # select / order: one mark per option or position.
    item_marks: tuple[bool, ...] = ()


def build_question(card: Card, kind: str, deck: Deck | None = None, rng: random.Random | None = None) -> Question:
    if kind == "flip":
        return Question("flip", card, card.prompt)
    raise ValueError(f"unknown question type {kind!r}")
