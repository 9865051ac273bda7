"""The grading rules one by one, on answers written here (independent of the shipped decks)."""

from __future__ import annotations

import pytest

from hipquiz.core.grading import RIGHT, TYPO, WRONG, grade_answer, parse_number, split_roots
from hipquiz.core.lexicon import Lexicon

LEX = Lexicon.shipped()


def verdict(text: str, *accepted: str, **kw) -> str:
    return grade_answer(text, accepted, lexicon=LEX, **kw).verdict


@pytest.mark.parametrize(("text", "roots"), [
    ("superior gluteal nerve (L4, L5, S1)", ("L4", "L5", "S1")),
    ("superior gluteal nerve L4-S1", ("L4", "L5", "S1")),
    ("superior gluteal nerve (L4–S1)", ("L4", "L5", "S1")),
    ("superior gluteal nerve, roots L4 to S1", ("L4", "L5", "S1")),
    ("superior gluteal nerve (L4,5,S1)", ("L4", "L5", "S1")),
    ("nerve to piriformis S1/S2", ("S1", "S2")),
    ("superior gluteal nerve", ()),
])
def test_roots_are_read_apart_in_any_notation(text, roots):
    body, found = split_roots(text)
    assert found == roots
    assert LEX.lookup(body) is not None


def test_roots_given_must_be_roots_sources_give():
    assert verdict("inferior gluteal nerve (L5, S1, S2)", "inferior gluteal nerve") == RIGHT
    wrong = grade_answer("inferior gluteal nerve (L4, L5, S1)", ["inferior gluteal nerve"], lexicon=LEX)
    assert wrong.verdict == WRONG
    assert wrong.note == "roots L4–S1 are not those of the inferior gluteal nerve (L5–S2)"
    # Every root set a reference sheet gives is accepted (TFL: L4-S1 or L4-L5).
    assert verdict("superior gluteal nerve (L4, L5)", "superior gluteal nerve") == RIGHT
    # Roots right, but no nerve named.
    assert verdict("superior (L4-S1)", "superior gluteal nerve (L4, L5, S1)") == WRONG
    # Roots alone, where the nerve is asked for ("Which nerve supplies the TFL?").
    alone = grade_answer("L4 L5 S1", ["superior gluteal nerve"], lexicon=LEX)
    assert alone.verdict == WRONG and "name the nerve" in alone.note


def test_roots_as_the_answer():
    answer = ("L4, L5, S1, from the posterior divisions", "L4-S1")
    assert verdict("L4–S1", *answer) == RIGHT
    assert verdict("L4 to S1, posterior divisions", *answer) == RIGHT
    assert verdict("L4-S1, anterior divisions", *answer) == WRONG
    assert verdict("L5-S2", *answer) == WRONG


@pytest.mark.parametrize("text", [
    "piriformis m.", "piriformis muscle", "the piriformis", "PIRIFORMIS", "m. piriformis", "musculus piriformis",
])
def test_what_students_add_costs_nothing(text):
    assert verdict(text, "piriformis") == RIGHT  # not graded Hard as a typo


@pytest.mark.parametrize(("text", "expected"), [
    ("gluteal nerve, inferior", "inferior gluteal nerve"),
    ("inf. gluteal n.", "inferior gluteal nerve"),
    ("obt int", "obturator internus"),
    ("sup gemellus", "gemellus superior"),
    ("internal obturator", "obturator internus"),
    ("TFL muscle", "tensor fasciae latae"),
])
def test_abbreviations_and_word_order(text, expected):
    assert verdict(text, expected) == RIGHT


@pytest.mark.parametrize(("text", "result"), [
    ("strength and stability", RIGHT),
    ("stability & strength", RIGHT),
    ("strength, stability", RIGHT),
    ("stability/strength", RIGHT),
    ("strength and instability", WRONG),  # a real word, the opposite
    ("strength", WRONG),  # half an answer
    ("strenght and stability", TYPO),
])
def test_parts_in_any_order_with_any_separator(text, result):
    assert verdict(text, "strength and stability") == result


@pytest.mark.parametrize(("text", "result"), [
    ("9", RIGHT), ("nine", RIGHT), ("9 muscles", RIGHT), ("Nine muscles.", RIGHT),
    ("8", WRONG), ("none", WRONG), ("nien", TYPO), ("nine hundred", WRONG),
])
def test_numbers_as_digits_or_words(text, result):
    assert verdict(text, "9", prompt="How many small hip muscles are there?") == result


def test_parse_number():
    assert parse_number(("9", "muscles")) == (9, ("muscles",))
    assert parse_number(("nine",)) == (9, ())
    assert parse_number(("none",)) == (None, ("none",))


@pytest.mark.parametrize(("text", "result"), [
    ("twice a week", RIGHT),
    ("twise a week", TYPO),  # no word
    ("thrice a week", WRONG),  # a word of its own
    ("twice a weak", WRONG),  # "weak" is a word too
    ("3x a week", WRONG),
])
def test_a_real_word_is_never_a_typo(text, result):
    assert verdict(text, "twice a week", "2x a week") == result


def test_another_term_is_wrong_and_named():
    found = grade_answer("superior cluneal nerve", ["superior gluteal nerve"], lexicon=LEX)
    assert (found.verdict, found.named) == (WRONG, "superior cluneal nerves")
    found = grade_answer("under the gluteus minimus", ["under the gluteus maximus"], lexicon=LEX)
    assert (found.verdict, found.named) == (WRONG, "gluteus minimus")
    # A direction is part of an answer, not a thing named: wrong, and no "You named the anteromedial".
    found = grade_answer("front and inside", ["front and outside"], lexicon=LEX)
    assert (found.verdict, found.named) == (WRONG, "")
    # Not a term itself, but "externus" is a word of another term: no typo of "internus".
    assert verdict("nerve to obturator externus", "nerve to obturator internus") == WRONG


def test_the_word_that_tells_a_muscle_apart_alone_is_right_with_a_slip():
    # "medius" and "maximus" alone name one gluteal muscle each: graded alike (Hard), with the
    # whole name shown; "gluteus" alone, or another muscle's word, names no answer.
    for word, muscle in (("medius", "gluteus medius"), ("maximus", "gluteus maximus")):
        found = grade_answer(word, [muscle], lexicon=LEX)
        assert (found.verdict, found.note) == (TYPO, f"the full name is {muscle!r}")
    assert verdict("gluteus", "gluteus medius") == WRONG
    assert verdict("medius", "gluteus maximus") == WRONG
    assert verdict("maximus", "gluteus medius") == WRONG


def test_a_typo_as_near_another_term_is_wrong():
    found = grade_answer("obturator enternus", ["obturator internus"], lexicon=LEX)
    assert found.verdict == WRONG and found.ambiguous


def test_another_group_of_the_muscle_is_right_and_explained():
    piriformis = LEX["piriformis"]
    found = grade_answer("deep six", ["small hip muscles"], lexicon=LEX, subject=piriformis)
    assert found.verdict == RIGHT
    assert "small hip muscles" in found.note
    assert verdict("hip abductors", "small hip muscles", subject=piriformis) == WRONG


def test_repeating_the_question_is_no_answer():
    prompt = "What does the abbreviation TFL stand for?"
    assert verdict("TFL", "tensor fasciae latae", prompt=prompt) == WRONG
    assert verdict("tensor fascia latae", "tensor fasciae latae", prompt=prompt) == RIGHT


def test_an_aside_that_says_more_is_graded():
    assert verdict("obturator nerve (posterior branch)", "obturator nerve") == RIGHT
    assert verdict("obturator nerve (anterior branch)", "obturator nerve (posterior branch)", "obturator nerve") == WRONG


def test_blank_is_wrong():
    assert verdict("", "femur") == WRONG
    assert verdict(" .,; ", "femur") == WRONG


@pytest.mark.parametrize(("text", "accepted"), [
    ("unequally hard", "equally hard"),  # a negating prefix: the opposite, however near
    ("inequally hard", "equally hard"),
    ("unequaly hard", "equally hard"),
    ("inferolateral quadrant", "superolateral quadrant"),  # the quadrant over the sciatic nerve
    ("inferolaterl quadrant", "superolateral quadrant"),
    ("superomedial quadrant", "superolateral quadrant"),
    ("the side that does drop", "the side that doesn't drop"),  # a "not" dropped
    ("the side that does not drop", "the side that drops"),
    ("medially rotates the thigh", "laterally rotates the thigh"),
    ("externally rotates", "internally rotates"),
    ("ventral rami", "dorsal rami"),
])
def test_an_opposite_is_never_a_typo(text, accepted):
    assert verdict(text, accepted) == WRONG


@pytest.mark.parametrize(("text", "accepted"), [
    ("unequally hard", "equally hard"),
    ("inferolateral quadrant", "superolateral quadrant"),
    ("the side that does drop", "the side that doesn't drop"),
])
def test_the_note_says_an_opposite_is_no_typo(text, accepted):
    assert "says the opposite" in grade_answer(text, [accepted], lexicon=LEX).note


def test_a_slip_near_a_prefix_or_a_direction_is_still_a_typo():
    assert verdict("innferior gluteal nerve", "inferior gluteal nerve") in (RIGHT, TYPO)
    assert verdict("superolaterl quadrant", "superolateral quadrant") == TYPO
    assert verdict("equaly hard", "equally hard") == TYPO


@pytest.mark.parametrize(("text", "accepted"), [
    ("in front and to the side", "front and outside"),  # as near "front and inside" as a typo
    ("upper lateral quadrant", "internal iliac artery"),
    ("external iliac artery", "internal iliac artery"),
    ("above", "below it"),
    ("lateral", "medial"),
])
def test_no_bare_direction_is_named(text, accepted):
    assert grade_answer(text, [accepted], lexicon=LEX).named == ""


def test_two_directions_read_as_their_compound():
    # upper = superior, lateral = outer: "upper lateral quadrant" is the superolateral quadrant.
    for text in ("upper lateral quadrant", "lateral upper quadrant", "superior and lateral quadrant"):
        assert verdict(text, "superolateral quadrant") == RIGHT
    assert verdict("lower lateral quadrant", "superolateral quadrant") == WRONG
    assert verdict("upper lateral quadrnt", "superolateral quadrant") == TYPO
    assert verdict("lower lateral quadrnt", "superolateral quadrant") == WRONG


def test_inferior_to_is_below():
    assert verdict("inferior to it", "below it") == RIGHT
    assert verdict("superior to it", "below it") == WRONG


def test_a_place_may_be_framed_in_other_words():
    assert verdict("front and outside of the thigh", "anterolateral thigh") == RIGHT
    assert verdict("the anterolateral side of the thigh", "anterolateral thigh") == RIGHT
    assert verdict("front and inside of the thigh", "anterolateral thigh") == WRONG
    assert verdict("front and side of the thigh", "anterolateral thigh") == WRONG


def test_two_times_is_twice():
    assert verdict("two times weekly", "twice weekly") == RIGHT
    assert verdict("2x weekly", "twice weekly") == RIGHT
    assert verdict("three times weekly", "twice weekly") == WRONG


def test_a_term_is_named_only_when_the_text_is_that_term_misspelled():
    assert grade_answer("inferior glutael nerve", ["superior gluteal nerve"], lexicon=LEX).named == "inferior gluteal nerve"
    # "curve" is a word: the text is near the inferior gluteal nerve but does not name it.
    assert grade_answer("inferior gluteal curve", ["superior gluteal nerve"], lexicon=LEX).named == ""


def test_a_word_shared_by_two_parts_may_be_said_once():
    assert verdict("the gluteus medius and minimus tendons", "the gluteus medius and gluteus minimus tendons") == RIGHT
    assert verdict("sacrotuberous ligament and sacrospinous ligament", "sacrotuberous and sacrospinous ligaments") == RIGHT
    assert verdict("gluteus medius and maximus", "gluteus medius and gluteus minimus") == WRONG
