"""Every multiple-choice question of both shipped decks offers wrong answers a teacher would sign:
answers to the same sort of question (an attachment among attachments, never "below it, undivided"
or where a foramen leads), within the group the prompt names ("which glute muscle…?" among the
glutes), and never the answer alone repeating a word of the prompt (the only option with
"obturator" in "What is the origin of the obturator internus?"). The checks (choice_checks.py)
are worked out apart from hipquiz.core.questions; the hand-labelled judgements
(tests/data/fair_distractors.toml) come from the reference sheets.
"""

from __future__ import annotations

import random
from functools import lru_cache

import pytest

from hipquiz.core.lexicon import Lexicon
from hipquiz.core.questions import build_question, supported_types

from choice_checks import (
    clue_problems,
    deck_problems,
    group_problems,
    groups_named,
    judgements,
    kind_problems,
    loose,
    self_problems,
    wrong_options,
)
from test_fair_choices import FILES, choice_cards, deck

SEEDS = range(6)


def asked(name: str, seeds=SEEDS):
    shipped = deck(name)
    for card in choice_cards(name):
        for seed in seeds:
            yield card, build_question(card, "choice", shipped, random.Random(seed))


@pytest.mark.parametrize("name", FILES)
def test_every_option_is_of_the_answers_kind(name):
    lexicon = Lexicon.shipped()
    problems = {p for card, question in asked(name) for p in kind_problems(deck(name), card, question, lexicon)}
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.parametrize("name", FILES)
def test_a_prompt_naming_a_group_asks_among_its_members(name):
    lexicon = Lexicon.shipped()
    problems = {p for card, question in asked(name) for p in group_problems(card, question, lexicon)}
    assert not problems, "\n".join(sorted(problems))


def test_the_glute_question_names_the_glutes():
    # Without this, a lexicon change could make the group test pass vacuously.
    assert {"gluteus maximus", "gluteus medius", "gluteus minimus"} in groups_named(
        "According to the article, which glute muscle is not one of the small hip muscles?", Lexicon.shipped())


@pytest.mark.parametrize("name", FILES)
def test_the_answer_is_never_alone_in_repeating_a_word_of_the_prompt(name):
    problems = {p for card, question in asked(name) for p in clue_problems(card, question)}
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.parametrize("name", FILES)
def test_no_wrong_option_names_the_muscle_asked_about(name):
    lexicon = Lexicon.shipped()
    problems = {p for card, question in asked(name) for p in self_problems(card, question, lexicon)}
    assert not problems, "\n".join(sorted(problems))


@pytest.mark.parametrize("name", FILES)
def test_a_question_about_the_decks_muscles_offers_only_those(name):
    problems = {p for card, question in asked(name) for p in deck_problems(deck(name), card, question)}
    assert not problems, "\n".join(sorted(problems))


@lru_cache(maxsize=None)
def offered() -> frozenset[tuple[str, str]]:
    """(card id, option) of every wrong option offered in twenty questions of each choice card."""
    return frozenset((card.id, loose(option)) for name in FILES for card, question in asked(name, range(20))
                     for option in wrong_options(question))


def test_the_labelled_set_names_real_cards_and_both_verdicts():
    ids = {card.id for name in FILES for card in deck(name).cards}
    labels = judgements()
    assert {label["card"] for label in labels} <= ids
    assert {label["fair"] for label in labels} == {True, False}
    assert all(label["why"] for label in labels)


def test_no_option_labelled_unfair_is_ever_offered():
    unfair = {(label["card"], loose(label["option"])) for label in judgements() if not label["fair"]}
    assert not unfair & offered(), sorted(unfair & offered())


def test_options_labelled_fair_are_offered():
    # The fair ones are the distractors a teacher would pick (the obturator externus's origin for
    # the internus's, the other way round at the knee): each is offered in twenty questions.
    fair = {(label["card"], loose(label["option"])) for label in judgements() if label["fair"]}
    assert fair <= offered(), sorted(fair - offered())


def test_a_card_whose_answer_alone_names_the_muscle_asked_about_has_no_choice_form():
    # "Which nerve supplies the piriformis?" — "nerve to piriformis" would be the only option
    # saying "piriformis", and no other nerve of the sheets is named after it.
    shipped = deck("textbook-anatomy.toml")
    card = next(c for c in shipped.cards if c.id == "hip-anatomy/piriformis/innervation")
    assert "choice" not in supported_types(card, shipped)


def test_a_basic_notes_phrase_is_never_offered_for_another_sort_of_question():
    # The reviewer's IT band card: "below it, undivided" (where a nerve leaves, relative to a muscle)
    # and "to and from the perineum" (where a foramen leads) are no attachments, though all three
    # answer a "where…?" question.
    from test_questions import card_of, deck_of, note

    where = deck_of(
        note("attachment", "basic", question="Where is the upper attachment of the IT band?",
             answer="the iliac tubercle on the outer lip of the iliac crest"),
        note("sciatic", "basic", question="Where does the sciatic nerve leave the pelvis relative to the piriformis?",
             answer="below it, undivided"),
        note("foramen", "basic", question="Where does the lesser sciatic foramen lead?",
             answer="to and from the perineum"),
        note("artery", "basic", question="Where does the obturator artery leave the pelvis?",
             answer="through the obturator canal"),
        note("pain", "basic", question="Where is the pain of iliotibial band syndrome?",
             answer="on the outer knee, over the lateral femoral epicondyle"),
    )
    assert "choice" not in supported_types(card_of(where, "attachment/basic"), where)
