"""Every multiple-choice question of both shipped decks is fair, over many shuffles: the options are
of one kind, none is named in the prompt, none is a part of another, the right one is not given
away by its form (asides on all or none) nor by its length (longest no more often than chance).

The kinds here are worked out independently of hipquiz.core.questions: from the lexicon's data
(``decks/lexicon.toml``: each term's kind and forms) and the plain form of the text.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipquiz.core.decks import Deck, load_deck
from hipquiz.core.lexicon import Lexicon, plain_words
from hipquiz.core.questions import build_question, supported_types

DECKS_DIR = Path(__file__).parents[2] / "decks"
FILES = ("hip-muscles.toml", "textbook-anatomy.toml")
ASIDE = re.compile(r"\([^()]*\)")
NUMBER = re.compile(r"^(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)( \w+)?$")
FREQUENCY = re.compile(r"\b(once|twice|times|daily|weekly)\b")
# Chance: the right answer is one of four options; a little room for ties and small samples.
LONGEST_AT_MOST = 0.25 + 0.10


@lru_cache(maxsize=None)
def deck(name: str) -> Deck:
    return load_deck(DECKS_DIR / name)


@lru_cache(maxsize=None)
def choice_cards(name: str) -> tuple:
    shipped = deck(name)
    return tuple(card for card in shipped.cards if "choice" in supported_types(card, shipped))


def words(text: str) -> tuple[str, ...]:
    return plain_words(ASIDE.sub(" ", text))


def kind_of(option: str) -> str:
    """number / frequency / the lexicon kind of the term the option is / phrase."""
    plain = " ".join(words(option))
    if NUMBER.match(plain):
        return "number"
    if FREQUENCY.search(plain):
        return "frequency"
    term = Lexicon.shipped().lookup(ASIDE.sub(" ", option))
    return term.kind if term is not None else "phrase"


def inside(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    """Whether the words ``part`` occur together, in order, within ``whole``."""
    return bool(part) and any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def named_in(option: str, prompt: str) -> bool:
    """The option, or any accepted form of the term it is, appears in the prompt."""
    prompt_words = plain_words(prompt)
    if inside(words(option), prompt_words):
        return True
    term = Lexicon.shipped().lookup(ASIDE.sub(" ", option))
    forms = (term.name, *term.forms) if term is not None else ()
    return any(inside(plain_words(form), prompt_words) for form in forms)


def test_both_decks_have_choice_questions():
    # Few on the article deck: its answers are claims about the same few muscles, fair as choices
    # only with distractors the deck writes for them (a basic note's `distractors`).
    assert len(choice_cards("hip-muscles.toml")) >= 3 and len(choice_cards("textbook-anatomy.toml")) >= 30


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
@pytest.mark.parametrize("name", FILES)
def test_every_choice_question_is_fair(name, seed):
    rng = random.Random(seed)
    for card in choice_cards(name):
        question = build_question(card, "choice", deck(name), rng)
        options = question.options
        where = f"{card.id}: {options}"
        assert len(options) == 4 and len(set(options)) == 4, where
        assert len({kind_of(option) for option in options}) == 1, where
        assert not any(named_in(option, question.prompt) for option in options), where
        for a in options:
            for b in options:
                assert a == b or not inside(words(a), words(b)), f"{a!r} is a part of {b!r} in {where}"
        asides = [bool(ASIDE.search(option)) for option in options]
        assert all(asides) or not any(asides), where


def test_the_right_answer_is_not_the_longest_more_often_than_chance():
    # Over every choice question of both decks: a card whose answer is longer than anything of its
    # kind (the TFL among muscle names) cannot be balanced alone, but must not tip the whole.
    rng = random.Random(8)
    asked = longest = 0
    per_deck = {}
    for name in FILES:
        before = (asked, longest)
        for _ in range(40):
            for card in choice_cards(name):
                question = build_question(card, "choice", deck(name), rng)
                right = question.options[question.answer_indices[0]]
                others = [o for i, o in enumerate(question.options) if i != question.answer_indices[0]]
                asked += 1
                longest += len(right) > max(len(o) for o in others)
        per_deck[name] = f"{longest - before[1]} of {asked - before[0]}"
    assert longest / asked <= LONGEST_AT_MOST, f"right answer longest in {longest} of {asked}: {per_deck}"
