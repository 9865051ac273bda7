"""The verdict words of feedback.py, for answers the Pilot tests do not give."""

from __future__ import annotations

import random

from hipquiz.core.questions import Check, build_question, check_answer
from hipquiz.tui import feedback


def card(library, note_id: str):
    deck = library.decks[0]
    return deck, next(c for c in deck.cards if c.note_id == note_id)


def select_question(library):
    deck, big = card(library, "big-muscles")
    return build_question(big, "select", deck, random.Random(4))


def test_select_with_nothing_ticked(types_library):
    question = select_question(types_library)
    check = check_answer(question, frozenset())
    assert str(feedback.verdict(question, check)) == "✗ Nothing ticked — the 3 right items are marked “missed”"


def test_select_partly_right_with_no_wrong_ticks(types_library):
    question = select_question(types_library)
    check = check_answer(question, frozenset(question.answer_indices[:2]))
    assert str(feedback.verdict(question, check)) == "✗ Not quite — 2 of 3 right items ticked, no wrong ones"


def test_select_all_right_items_and_two_wrong_ones(types_library):
    question = select_question(types_library)
    wrong = [i for i in range(len(question.options)) if i not in question.answer_indices][:2]
    check = check_answer(question, frozenset(question.answer_indices) | set(wrong))
    assert str(feedback.verdict(question, check)) == "✗ Not quite — 3 of 3 right items ticked, 2 wrong items ticked"


def test_a_typo_of_a_name_other_than_the_answer_as_written_says_its_spelling(types_library):
    deck, tfl = card(types_library, "tfl")
    question = build_question(tfl, "typed", deck)
    check = Check(True, given="tensor fasia lata ", expected="tensor fascia lata", near_miss=True, kind="typed")
    assert str(feedback.verdict(question, check)) == ("✓ Accepted (typo) — you typed: tensor fasia lata\n"
                                                      "The spelling is: tensor fascia lata")
