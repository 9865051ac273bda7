"""Select on a nerve's roots marks roots as typed answers are graded (REVIEW-user2 #7): a root that a
source gives (the reference's "accept L5–S2" for the nerve to piriformis) is never marked wrong
when ticked with the rest of that root set, nor offered as a distractor; and a whole root set a
source gives, ticked, leaves none of the card's other roots "missed"."""

from __future__ import annotations

import random

from hipquiz.core.decks import load_deck, shipped_decks_dir
from hipquiz.core.questions import Question, build_question, check_answer

TEXTBOOK = load_deck(shipped_decks_dir() / "textbook-anatomy.toml")


def _card(note_id: str):
    return next(card for card in TEXTBOOK.cards if card.id == f"hip-anatomy/{note_id}/list")


def _ask(note_id: str, options: tuple[str, ...]) -> Question:
    card = _card(note_id)
    return Question("select", card, card.prompt, options, tuple(i for i, o in enumerate(options) if o in card.answer_items))


def _tick(question: Question, *roots: str):
    return check_answer(question, {question.options.index(root) for root in roots})


def test_l5_with_s1_s2_is_right_for_the_nerve_to_piriformis():
    question = _ask("nerve-to-piriformis-roots", ("S1", "L5", "S2", "S3"))
    check = _tick(question, "L5", "S1", "S2")
    assert check.correct and all(check.item_marks)
    assert _tick(question, "S1", "S2").correct
    assert not _tick(question, "S1", "S2", "S3").correct  # no source gives S3
    assert not _tick(question, "L5", "S1").correct  # S2 missed


def test_a_whole_root_set_a_source_gives_is_right_and_the_roots_it_leaves_out_are_not_missed():
    # Superior gluteal nerve: L4, L5, S1 (Gray's), "accept L4–S1 or L4–L5" (the reference sheet);
    # typed "superior gluteal nerve (L4, L5)" is right, so ticking L4 and L5 is too (REVIEW-smoke4 #2).
    question = _ask("superior-gluteal-nerve-roots", ("L4", "L5", "S1", "S2"))
    check = _tick(question, "L4", "L5")
    assert check.correct and all(check.item_marks)
    assert _tick(question, "L4", "L5", "S1").correct
    assert not _tick(question, "L4").correct  # no source gives L4 alone: L5 (and S1) missed
    assert not _tick(question, "L4", "S1").correct  # nor L4 with S1 without L5
    assert not _tick(question, "L4", "L5", "S2").correct  # S2: no source gives it


def test_a_root_no_source_gives_with_the_rest_is_still_wrong():
    # Nerve to quadratus femoris: L4–S1 or L5–S1 (or L5–S2); L4 to S2 together is no root set.
    question = _ask("nerve-to-quadratus-femoris-roots", ("L4", "L5", "S1", "S2"))
    check = _tick(question, "L4", "L5", "S1", "S2")
    assert not check.correct and check.item_marks == (True, True, True, False)
    assert not _tick(_ask("inferior-gluteal-nerve-roots", ("L4", "L5", "S1", "S2")), "L4", "L5", "S1", "S2").correct


def test_an_accepted_root_is_never_offered_as_a_distractor():
    card = _card("nerve-to-piriformis-roots")
    for seed in range(30):
        question = build_question(card, "select", TEXTBOOK, random.Random(seed))
        assert "L5" not in question.options
        assert {"S1", "S2"} <= set(question.options)
