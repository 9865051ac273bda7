"""Question types: which types a card supports, building questions, checking answers, grading,
and the choice of a type in mixed mode."""

from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipquiz.core.decks import Card, Deck, DeckError, Note, cards_for_note, load_deck, shipped_decks_dir
from hipquiz.core.questions import (
    MODES,
    QUESTION_TYPES,
    Check,
    GradeThresholds,
    NameIndex,
    Question,
    build_question,
    check_answer,
    grade,
    match_key,
    normalize,
    parse_order,
    parse_selection,
    pick_kind,
    question_type,
    supported_types,
)
from hipquiz.core.questions.text import core_text

# ---------------------------------------------------------------------------------------------
# Decks built in code
# ---------------------------------------------------------------------------------------------


def note(note_id: str, note_type: str, deck_id: str = "t", **fields) -> Note:
    fields = {"id": note_id, "type": note_type, "source": "test", **fields}
    for key, value in fields.items():
        if isinstance(value, list):
            fields[key] = tuple(value)
    return Note(deck_id=deck_id, id=note_id, type=note_type, source="test", line=1, fields=fields)


_PLACES = itertools.cycle(["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
                           "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma"])


def muscle(note_id: str, name: str, aliases=(), confusable=(), **fields) -> Note:
    # A location that does not name the muscle (a prompt naming its answer has no choice form).
    return note(note_id, "muscle", name=name, aliases=tuple(aliases), confusable=tuple(confusable),
                location=fields.pop("location", f"the {next(_PLACES)} spot"), **fields)


def deck_of(*notes: Note, deck_id: str = "t") -> Deck:
    cards = tuple(card for n in notes for card in cards_for_note(n))
    return Deck(deck_id, "Test deck", Path(f"{deck_id}.toml"), tuple(notes), cards)


def card_of(deck: Deck, card_id: str) -> Card:
    return next(card for card in deck.cards if card.id == f"{deck.id}/{card_id}")


HIP = deck_of(
    muscle("tfl", "tensor fasciae latae (TFL)",
           ["TFL", "tensor fasciae latae", "tensor fasciæ latæ", "tensor fascia latae", "tensor fascia lata"],
           location="top, outside (anterolateral side) of the thigh"),
    muscle("gluteus-maximus", "gluteus maximus", ["glute max", "GMax"], ["gluteus-medius", "gluteus-minimus"]),
    muscle("gluteus-medius", "gluteus medius", ["gluteus med", "GMed"], ["gluteus-maximus", "gluteus-minimus"]),
    muscle("gluteus-minimus", "gluteus minimus", ["glute min", "GMin"], ["gluteus-medius", "gluteus-maximus"]),
    muscle("piriformis", "piriformis", ["pyriformis", "piriform muscle"]),
    muscle("gemellus-superior", "gemellus superior", ["superior gemellus"], ["gemellus-inferior"]),
    muscle("gemellus-inferior", "gemellus inferior", ["inferior gemellus"], ["gemellus-superior"]),
    muscle("obturator-internus", "obturator internus", ["internal obturator"], ["obturator-externus"]),
    muscle("obturator-externus", "obturator externus", ["external obturator"], ["obturator-internus"]),
    muscle("quadratus-femoris", "quadratus femoris", ["QF"]),
    note("femur", "basic", question="What is the thigh bone called?", answer="femur", accept=["the femur"]),
    note("count", "basic", question="How many small hip muscles?", answer="9", accept=["nine"]),
    note("often", "basic", question="How often?", answer="twice per week", accept=["twice a week"]),
    note("not-small", "basic", question="Which glute is not small?", answer="gluteus maximus", accept=["glute max"]),
    note("where", "basic", question="Where do the small glutes lie?", answer="underneath the gluteus maximus",
         accept=["under the gluteus maximus"]),
    note("long", "basic", question="Why strong and flexible?",
         answer="to keep the knee and hip moving comfortably in a healthy range"),
    note("it-band", "list", question="Which muscles insert into the IT band?",
         items=["gluteus maximus", "tensor fasciae latae (TFL)"],
         distractors=["gluteus medius", "gluteus minimus", "piriformis"]),
    note("deep-six", "list", question="The deep six, superior to inferior?", ordered=True,
         items=["piriformis", "gemellus superior", "obturator internus", "gemellus inferior",
                "obturator externus", "quadratus femoris"]),
    note("activities", "list", question="Which activities?", items=["swim", "bike", "run"],
         distractors=["ski", "row"]),
)
HIP_NAMES = NameIndex.from_deck(HIP, {"t/gluteus-medius": ["glute med"]})


def _name_card(note_id: str) -> Card:
    return card_of(HIP, f"{note_id}/name-from-location")


# ---------------------------------------------------------------------------------------------
# Typed matching
# ---------------------------------------------------------------------------------------------

# (muscle asked for, typed text, correct, near miss, muscle named)
TYPED_TABLE = [
    ("tfl", "TFL", True, False, ""),
    ("tfl", "tfl", True, False, ""),
    ("tfl", "t.f.l.", True, False, ""),
    ("tfl", "tensor fascia lata", True, False, ""),
    ("tfl", "Tensor fasciae latae", True, False, ""),
    ("tfl", "tensor fasciæ latæ", True, False, ""),
    ("tfl", "TENSOR FASCIAE LATAE (TFL)", True, False, ""),
    ("tfl", "tensor fascia lat", True, True, ""),
    ("tfl", "TFM", False, False, ""),  # three letters: no typo allowed
    ("gluteus-medius", "glute med", True, False, ""),  # a user alias
    ("gluteus-medius", "  Gluteus   medius. ", True, False, ""),
    ("gluteus-medius", "Glúteus Médius", True, False, ""),
    ("gluteus-medius", "gluteus mediu", True, True, ""),
    ("gluteus-medius", "gluteus minimus", False, False, "gluteus minimus"),
    ("gluteus-medius", "gluteus maximus", False, False, "gluteus maximus"),
    ("gluteus-medius", "glute max", False, False, "gluteus maximus"),
    ("gluteus-medius", "gluteus minimis", False, False, "gluteus minimus"),  # a typo of the sibling
    ("gluteus-medius", "banana", False, False, ""),
    ("gluteus-medius", "", False, False, ""),
    ("gluteus-medius", " .,; ", False, False, ""),
    ("piriformis", "piriformus", True, True, ""),
    ("piriformis", "Pyriformis", True, False, ""),
    ("piriformis", "the piriformis", True, False, ""),
    ("obturator-internus", "obturator internus", True, False, ""),
    ("obturator-internus", "obturator intrnus", True, True, ""),
    ("obturator-internus", "obturator externus", False, False, "obturator externus"),
    ("obturator-internus", "external obturator", False, False, "obturator externus"),
    ("obturator-internus", "obturator extrnus", False, False, "obturator externus"),
    ("obturator-internus", "obturator", False, False, ""),
    ("gemellus-inferior", "gemellus superior", False, False, "gemellus superior"),
    ("gemellus-inferior", "superior gemellus", False, False, "gemellus superior"),
    ("gemellus-inferior", "inferior gemellus", True, False, ""),
    ("gemellus-inferior", "gemelus inferior", True, True, ""),
    ("gemellus-superior", "gemellus inferior", False, False, "gemellus inferior"),
    ("quadratus-femoris", "QF", True, False, ""),
    ("quadratus-femoris", "Q", False, False, ""),
]


@pytest.mark.parametrize(("muscle_id", "text", "correct", "near_miss", "named"), TYPED_TABLE)
def test_typed_matching(muscle_id, text, correct, near_miss, named):
    question = build_question(_name_card(muscle_id), "typed", HIP, random.Random(0), names=HIP_NAMES)
    check = check_answer(question, text)
    assert (check.correct, check.near_miss, check.named) == (correct, near_miss, named)
    assert check.kind == "typed"
    assert check.given == text


def test_user_alias_is_needed_for_an_informal_name():
    # "glute med" is a form of the lexicon; "middle glute" is nobody's but the user's.
    card = _name_card("gluteus-medius")
    assert check_answer(build_question(card, "typed", HIP), "glute med").correct
    without = check_answer(build_question(card, "typed", HIP), "middle glute")
    assert not without.correct
    names = NameIndex.from_deck(HIP, {"t/gluteus-medius": ["middle glute"]})
    with_alias = check_answer(build_question(card, "typed", HIP), "middle glute", names)
    assert with_alias.correct and not with_alias.near_miss


def test_user_aliases_of_other_decks_are_ignored():
    names = NameIndex.from_deck(HIP, {"other/gluteus-medius": ["glute med"], "t/nope": ["x"]})
    assert names.names_of("t/gluteus-medius") == ("gluteus medius", "gluteus med", "GMed")


def test_a_typo_as_close_to_a_sibling_as_to_the_answer_is_not_accepted():
    # "obturator enternus" is one edit from both internus and externus.
    check = check_answer(build_question(_name_card("obturator-internus"), "typed", HIP), "obturator enternus")
    assert not check.correct
    assert check.ambiguous
    assert check.named == "obturator externus"


@pytest.mark.parametrize(("card_id", "text", "correct", "near_miss", "named"), [
    ("femur/basic", "Femur", True, False, ""),
    ("femur/basic", "the femur", True, False, ""),
    ("femur/basic", "femor", True, True, ""),
    ("count/basic", "nine", True, False, ""),
    ("count/basic", "8", False, False, ""),
    ("often/basic", "Twice a week!", True, False, ""),
    ("often/basic", "twice per wek", True, True, ""),
    # "weak" is a word of its own: no typo of "week" (the rule for real words).
    ("often/basic", "twice per weak", False, False, ""),
    ("often/basic", "once a week", False, False, ""),
    # A basic card whose answer is a muscle name is protected like a name card.
    ("not-small/basic", "GMax", True, False, ""),
    ("not-small/basic", "gluteus medius", False, False, "gluteus medius"),
    ("not-small/basic", "gluteus minimus", False, False, "gluteus minimus"),
    # A longer answer with a typo is fine, one that swaps the muscle it names is not.
    ("where/basic", "undernaeth the gluteus maximus", True, True, ""),
    ("where/basic", "underneath the gluteus minimus", False, False, "gluteus minimus"),
    # A "typo" that swaps a word for its opposite is a wrong answer.
    ("where/basic", "over the gluteus maximus", False, False, ""),
])
def test_typed_matching_of_basic_answers(card_id, text, correct, near_miss, named):
    question = build_question(card_of(HIP, card_id), "typed", HIP, names=HIP_NAMES)
    check = check_answer(question, text)
    assert (check.correct, check.near_miss, check.named) == (correct, near_miss, named)


def test_typed_gluteus_max_is_a_short_form_not_a_typo():
    # The lexicon's abbreviations make "gluteus max" a right form (reference §2: "gluteus max").
    check = check_answer(build_question(card_of(HIP, "not-small/basic"), "typed", HIP), "gluteus max")
    assert check.correct and not check.near_miss
    check = check_answer(build_question(card_of(HIP, "not-small/basic"), "typed", HIP), "gluteus mex")
    assert not check.correct


@pytest.mark.parametrize(("text", "expected"), [
    ("  Gluteus   medius. ", "gluteus medius"),
    ("tensor fasciæ latæ", "tensor fasciae latae"),
    ("Tensor Fascia-Lata", "tensor fascia lata"),
    ("Œdème", "oedeme"),
    ("don’t", "dont"),
    ("G-max", "g max"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_match_key_ignores_spaces_and_a_leading_article():
    assert match_key("the G-max") == match_key("gmax") == "gmax"
    assert match_key("The") == "the"


# ---------------------------------------------------------------------------------------------
# Supported types and building questions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("card_id", "kinds"), [
    # The TFL is drawn: "which muscle is lit?" and "where is it?" (hipquiz/data/drawings.toml).
    ("tfl/name-from-location", ("flip", "choice", "typed", "lit")),
    ("tfl/location", ("flip", "choice", "where")),  # seven words: too long to type
    # "thigh bone" in the prompt names the femur; no other bone or "why" answer to offer.
    ("femur/basic", ("flip", "typed")),
    ("long/basic", ("flip",)),
    ("it-band/list", ("flip", "select")),
    ("deep-six/list", ("flip", "order")),
    ("activities/list", ("flip", "select")),
])
def test_supported_types(card_id, kinds):
    assert supported_types(card_of(HIP, card_id), HIP) == kinds


def test_the_articles_tfl_cards_are_asked_on_the_drawing():
    # Pictures mode has cards in the article deck too: its basic notes say which drawn muscle
    # they are about ("pictured"), so "where is the TFL found?" is asked as "which number is it?"
    # and "which muscle is found on the top outside of the thigh?" as "which muscle is lit?".
    article = load_deck(shipped_decks_dir() / "hip-muscles.toml")
    where_card = card_of(article, "tfl-location/basic")
    lit_card = card_of(article, "tfl-from-location/basic")
    assert "where" in supported_types(where_card, article)
    assert "lit" in supported_types(lit_card, article)
    where = build_question(where_card, "where", article, rng=random.Random(3))
    assert where.prompt == "Which number is the tensor fasciae latae?"
    assert check_answer(where, where.answer_indices[0]).correct
    lit = build_question(lit_card, "lit", article, rng=random.Random(3))
    assert lit.options[lit.answer_indices[0]] == "tensor fasciae latae (TFL)"
    assert check_answer(lit, "TFL").correct
    # The other cards of the deck name no drawn muscle and keep to words.
    assert "where" not in supported_types(card_of(article, "tfl-functions/list"), article)


def test_choice_needs_three_distractors():
    small = deck_of(muscle("a", "alpha"), muscle("b", "beta"), muscle("c", "gamma"))
    card = card_of(small, "a/name-from-location")
    assert supported_types(card, small) == ("flip", "typed")
    with pytest.raises(ValueError, match="cannot be asked as a choice"):
        build_question(card, "choice", small)
    bigger = deck_of(*small.notes, muscle("d", "delta"))
    assert "choice" in supported_types(card_of(bigger, "a/name-from-location"), bigger)


def test_aliases_do_not_count_as_distractors():
    # Four notes, but "b2" is only another name of "b": two distinct distractors.
    small = deck_of(muscle("a", "alpha"), muscle("b", "beta", ["bee"]), muscle("b2", "bee"), muscle("c", "gamma"))
    assert "choice" not in supported_types(card_of(small, "a/name-from-location"), small)


def test_choice_never_offers_a_second_right_answer():
    groups = deck_of(
        muscle("a", "alpha", group="superficial gluteal group"),
        muscle("b", "beta", group="superficial gluteal group (a hip abductor)"),
        muscle("c", "gamma", group="the superficial gluteal group"),
        muscle("d", "delta", group="deep six"),
        muscle("e", "epsilon", group="deep six (by function)"),
        muscle("f", "zeta", group="medial thigh"),
    )
    card = card_of(groups, "a/group")
    assert supported_types(card, groups) == ("flip", "typed")  # only two other groups remain
    names = NameIndex.from_deck(groups)
    assert names.same_meaning("superficial gluteal group", "superficial gluteal group (a hip abductor)")
    assert names.same_meaning("stretching", "a regular stretching routine")
    assert not names.same_meaning("small muscle group exercises", "large muscle group exercises")
    assert not names.same_meaning("9", "29")


def test_a_muscles_functions_are_not_asked_as_select():
    # Hip muscles share actions: another muscle's function may be true of this one as well.
    deck = deck_of(*(muscle(f"m{i}", f"muscle {i}", functions=[f"action {i}", f"motion {i}"]) for i in range(5)))
    assert supported_types(card_of(deck, "m0/functions"), deck) == ("flip",)


def test_unknown_or_unsupported_kind_raises():
    with pytest.raises(ValueError, match="unknown question type"):
        build_question(_name_card("tfl"), "essay", HIP)
    with pytest.raises(ValueError, match="cannot be asked as a order"):
        build_question(_name_card("tfl"), "order", HIP)
    with pytest.raises(ValueError, match="cannot be asked as a typed"):
        build_question(card_of(HIP, "it-band/list"), "typed", HIP)


def test_choice_offers_look_alikes_first():
    card = _name_card("gemellus-inferior")
    for seed in range(20):
        question = build_question(card, "choice", HIP, random.Random(seed))
        assert "gemellus superior" in question.options


def test_choice_options_are_shuffled_each_time():
    card = _name_card("piriformis")
    rng = random.Random(1)
    seen = {build_question(card, "choice", HIP, rng).answer_indices for _ in range(40)}
    assert seen == {(0,), (1,), (2,), (3,)}


def test_choice_uses_extra_names_when_the_deck_has_too_few():
    small = deck_of(muscle("a", "alpha"), muscle("b", "beta"))
    card = card_of(small, "a/name-from-location")
    question = build_question(card, "choice", small, random.Random(0), extra_names=["gamma", "delta", "ALPHA"])
    assert sorted(question.options) == ["alpha", "beta", "delta", "gamma"]


def test_choice_for_a_number_offers_numbers():
    # "How many…?" offered "twice per week" and "underneath the gluteus maximus": now numbers only.
    for seed in range(10):
        question = build_question(card_of(HIP, "count/basic"), "choice", HIP, random.Random(seed))
        assert "9" in question.options and all(option.isdigit() for option in question.options)


def test_select_prefers_the_notes_own_distractors():
    question = build_question(card_of(HIP, "it-band/list"), "select", HIP, random.Random(0))
    assert set(question.options) == {"gluteus maximus", "tensor fasciae latae (TFL)",
                                     "gluteus medius", "gluteus minimus", "piriformis"}
    assert {question.options[i] for i in question.answer_indices} == {"gluteus maximus", "tensor fasciae latae (TFL)"}


def test_select_falls_back_to_other_muscle_names():
    deep_six = card_of(HIP, "deep-six/list")
    unordered = deck_of(*(n for n in HIP.notes if n.id != "deep-six"),
                        note("deep-six", "list", question="Which are the deep six?", items=list(deep_six.answer_items)))
    question = build_question(card_of(unordered, "deep-six/list"), "select", unordered, random.Random(0))
    extra = set(question.options) - set(deep_six.answer_items)
    assert len(extra) == 4
    assert extra <= {"tensor fasciae latae (TFL)", "gluteus maximus", "gluteus medius", "gluteus minimus"}


def test_order_is_never_shown_in_order():
    card = card_of(HIP, "deep-six/list")
    rng = random.Random(3)
    for _ in range(50):
        question = build_question(card, "order", HIP, rng)
        assert question.options != card.answer_items
        assert tuple(question.options[i] for i in question.answer_indices) == card.answer_items
    two = deck_of(note("ab", "list", question="?", items=["a", "b"], ordered=True))
    assert "select" not in supported_types(card, HIP), "an ordered list asks for an order"
    assert build_question(two.cards[0], "order", two, rng).options == ("b", "a")


def test_questions_carry_an_instruction():
    for kind in ("flip", "choice", "typed"):
        assert build_question(_name_card("tfl"), kind, HIP).instruction
    assert build_question(card_of(HIP, "deep-six/list"), "order", HIP).instruction


# ---------------------------------------------------------------------------------------------
# Property tests on random small decks
# ---------------------------------------------------------------------------------------------

WORDS = st.text(alphabet="abcdeé .-", min_size=1, max_size=8).filter(lambda s: normalize(s) != "")


@st.composite
def small_decks(draw):
    notes: list[Note] = []
    for i in range(draw(st.integers(2, 7))):
        notes.append(muscle(
            f"m{i}", draw(WORDS), draw(st.lists(WORDS, max_size=2, unique=True)),
            location=draw(WORDS), group=draw(WORDS),
        ))
    for i in range(draw(st.integers(0, 5))):
        notes.append(note(f"b{i}", "basic", question=f"Q{i}?", answer=draw(WORDS)))
    for i in range(draw(st.integers(0, 3))):
        items = draw(st.lists(WORDS, min_size=1, max_size=5, unique=True))
        distractors = draw(st.lists(WORDS.filter(lambda w: w not in items), max_size=3, unique=True))
        notes.append(note(f"l{i}", "list", question=f"L{i}?", items=items, distractors=distractors,
                          ordered=draw(st.booleans())))
    return deck_of(*notes)


def _same_field_values(card: Card, deck: Deck, names: NameIndex) -> set[str]:
    values = {c.answer for c in deck.cards if c.answer_field == card.answer_field and not c.answer_items}
    values |= {names.display(m) for m in names.muscles}
    return values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck=small_decks(), seed=st.integers(0, 2**32 - 1))
def test_questions_on_random_decks(deck, seed):
    rng = random.Random(seed)
    names = NameIndex.from_deck(deck)
    for card in deck.cards:
        kinds = supported_types(card, deck, names=names)
        assert kinds[0] == "flip"
        assert set(kinds) <= set(QUESTION_TYPES)
        for kind in kinds:
            question = build_question(card, kind, deck, rng, names=names)
            assert question.kind == kind
            if kind == "choice":
                options = question.options
                assert len(options) == 4
                assert len({match_key(o) for o in options}) == 4
                assert not any(names.same_meaning(a, b) for i, a in enumerate(options) for b in options[i + 1:])
                # Options are shown in one style (asides, a leading "the", spacing): compare cores.
                assert [core_text(o) for o in options].count(core_text(card.answer)) == 1
                assert core_text(options[question.answer_indices[0]]) == core_text(card.answer)
                assert {core_text(o) for o in options} <= {core_text(v) for v in _same_field_values(card, deck, names)}
                assert check_answer(question, question.answer_indices[0]).correct
                wrong = (question.answer_indices[0] + 1) % 4
                assert not check_answer(question, wrong).correct
            elif kind == "select":
                items = card.answer_items
                options = question.options
                assert all(options.count(item) == 1 for item in items)
                assert {options[i] for i in question.answer_indices} == set(items)
                assert len(options) > len(items)
                others = [o for o in options if o not in items]
                assert not any(names.same_meaning(o, item) for o in others for item in items)
                assert check_answer(question, set(question.answer_indices)).correct
                assert not check_answer(question, set(range(len(options)))).correct
            elif kind == "order":
                n = len(card.answer_items)
                assert sorted(question.answer_indices) == list(range(n))
                assert sorted(question.options) == sorted(card.answer_items)
                assert question.options != card.answer_items
                assert tuple(question.options[i] for i in question.answer_indices) == card.answer_items
                assert check_answer(question, list(question.answer_indices)).correct
                assert not check_answer(question, list(range(n))).correct
            elif kind == "typed":
                check = check_answer(question, card.answer)
                assert check.correct and not check.near_miss


@settings(max_examples=100, deadline=None)
@given(deck=small_decks(), seed=st.integers(0, 2**32 - 1))
def test_typed_never_accepts_another_muscles_name(deck, seed):
    names = NameIndex.from_deck(deck)
    for card in deck.cards:
        if card.template != "name-from-location":
            continue
        question = build_question(card, "typed", deck, random.Random(seed), names=names)
        own = names.owners(card.answer)
        for other in names.muscles:
            if other in own:
                continue
            for text in names.names_of(other):
                if names.owners(text) & own:
                    continue  # the same text names both muscles
                assert not check_answer(question, text).correct, (card.answer, text)


# ---------------------------------------------------------------------------------------------
# Checking choice, select and order answers
# ---------------------------------------------------------------------------------------------


def _question(kind: str, options: tuple[str, ...], answer: tuple[int, ...]) -> Question:
    return Question(kind, card_of(HIP, "deep-six/list"), "?", options, answer)


def test_check_choice_names_the_muscle_picked():
    question = build_question(_name_card("gemellus-inferior"), "choice", HIP, random.Random(0))
    wrong = question.options.index("gemellus superior")
    check = check_answer(question, wrong)
    assert not check.correct
    assert check.named == "gemellus superior"
    assert check.expected == "gemellus inferior"
    with pytest.raises(ValueError):
        check_answer(question, 4)


def test_check_select_marks_each_option():
    question = _question("select", ("a", "b", "c", "d"), (0, 2))
    check = check_answer(question, {0, 1})
    assert not check.correct
    assert check.item_marks == (True, False, False, True)
    assert check.score == 0.5
    assert check_answer(question, {2, 0}).correct
    assert check_answer(question, "1 3").correct
    assert check_answer(question, set()).item_marks == (False, True, False, True)
    with pytest.raises(ValueError):
        check_answer(question, {7})


def test_check_order_marks_each_position():
    question = _question("order", ("c", "a", "b"), (1, 2, 0))
    assert check_answer(question, [1, 2, 0]).correct
    check = check_answer(question, [1, 0, 2])
    assert not check.correct
    assert check.item_marks == (True, False, False)
    assert check.given == "1. a\n2. c\n3. b"
    assert check.expected == "1. a\n2. b\n3. c"
    assert check_answer(question, "2 3 1").correct
    with pytest.raises(ValueError):
        check_answer(question, [1, 1, 0])


@pytest.mark.parametrize(("text", "n", "expected"), [
    ("3 1 2 4", 4, (2, 0, 1, 3)),
    ("3,1, 2,4", 4, (2, 0, 1, 3)),
    ("3124", 4, (2, 0, 1, 3)),
    (" 2 - 1 ", 2, (1, 0)),
    ("10 1 2 3 4 5 6 7 8 9", 10, (9, 0, 1, 2, 3, 4, 5, 6, 7, 8)),
])
def test_parse_order(text, n, expected):
    assert parse_order(text, n) == expected


@pytest.mark.parametrize(("text", "n", "message"), [
    ("", 4, "type the option numbers in order"),
    ("3 1 x 4", 4, "'x' is not an option number"),
    ("3 1 5 4", 4, "5 is not an option"),
    ("0 1 2 3", 4, "0 is not an option"),
    ("3 1 3 4", 4, "3 is given twice"),
    ("3 1", 4, "2, 4 missing"),
    ("31245", 4, "'31245' is not an option number|31245 is not an option"),
])
def test_parse_order_errors(text, n, message):
    with pytest.raises(ValueError, match=message):
        parse_order(text, n)


def test_parse_selection():
    assert parse_selection("1 3", 4) == {0, 2}
    assert parse_selection("", 4) == frozenset()
    with pytest.raises(ValueError, match="'5' is not an option"):
        parse_selection("1 5", 4)


# ---------------------------------------------------------------------------------------------
# Grading
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("check", "seconds", "rating"), [
    (Check(False, kind="choice"), 1, 1),
    (Check(False, kind="typed", named="obturator externus"), 1, 1),
    (Check(True, kind="choice"), 2, 4),
    (Check(True, kind="choice"), 6, 4),
    (Check(True, kind="choice"), 6.5, 3),
    (Check(True, kind="choice"), 19.9, 3),
    (Check(True, kind="choice"), 20, 2),
    (Check(True, kind="typed"), 8, 4),
    (Check(True, kind="typed"), 12, 3),
    (Check(True, kind="typed"), 25, 2),
    (Check(True, kind="typed", near_miss=True), 2, 2),
    (Check(True, kind="select", item_marks=(True,) * 4), 12, 4),
    (Check(True, kind="select", item_marks=(True,) * 4), 13, 3),
    (Check(True, kind="order", item_marks=(True,) * 8), 20, 4),  # 12 s + 2 s for each option beyond 4
    (Check(True, kind="order", item_marks=(True,) * 8), 53, 2),
    (Check(False, kind="select", item_marks=(True, True, True, False)), 3, 1),  # mostly right is Again
])
def test_grade(check, seconds, rating):
    assert grade(check, seconds) == rating


@pytest.mark.parametrize("kind, first_review, rating", [
    ("choice", True, 3),   # recognised among four on the first review: Good at most
    ("choice", False, 4),
    ("select", True, 3),
    ("typed", True, 4),    # recalled: Easy when fast, first review or not
    ("order", True, 4),
])
def test_recognition_is_not_recall_on_a_first_review(kind, first_review, rating):
    marks = (True,) * 4 if kind in ("select", "order") else ()
    assert grade(Check(True, kind=kind, item_marks=marks), 1, first_review=first_review) == rating


def test_grade_thresholds_from_settings():
    thresholds = GradeThresholds.from_settings({"fast_seconds": 3, "slow_seconds": 10, "near_miss_is_hard": False})
    assert grade(Check(True, kind="choice"), 4, thresholds) == 3
    assert grade(Check(True, kind="choice"), 10, thresholds) == 2
    assert grade(Check(True, kind="typed", near_miss=True), 9, thresholds) == 3
    assert GradeThresholds.from_settings({}) == GradeThresholds()
    with pytest.raises(ValueError, match="unknown grading setting 'fast'"):
        GradeThresholds.from_settings({"fast": 3})
    with pytest.raises(ValueError, match="must be less than"):
        GradeThresholds.from_settings({"fast_seconds": 30})
    with pytest.raises(ValueError, match="number of seconds"):
        GradeThresholds.from_settings({"slow_seconds": "long"})


# ---------------------------------------------------------------------------------------------
# Mixed mode
# ---------------------------------------------------------------------------------------------


def test_pick_kind_favours_the_weakest_type():
    card = _name_card("piriformis")
    stats = {"choice": (10, 0), "typed": (10, 6)}
    rng = random.Random(7)
    picks = [pick_kind(card, "mixed", stats, rng, deck=HIP, supported=("flip", "choice", "typed"))
             for _ in range(2000)]
    assert set(picks) == {"choice", "typed"}
    assert picks.count("typed") > 3 * picks.count("choice")


def test_pick_kind_tries_untried_types():
    card = _name_card("piriformis")
    rng = random.Random(2)
    picks = [pick_kind(card, "mixed", {"choice": (20, 0)}, rng, deck=HIP) for _ in range(500)]
    assert picks.count("typed") > picks.count("choice")


def test_pick_kind_fixed_modes():
    rng = random.Random(0)
    assert pick_kind(_name_card("tfl"), "typed", {}, rng, deck=HIP) == "typed"
    assert pick_kind(card_of(HIP, "it-band/list"), "typed", {}, rng, deck=HIP) == "flip"
    assert pick_kind(card_of(HIP, "it-band/list"), "mixed", {}, rng, deck=HIP) == "select"
    assert pick_kind(card_of(HIP, "tfl/location"), "select", {}, rng, deck=HIP) == "flip"
    lonely = deck_of(note("x", "basic", question="?", answer="a rather long answer of many words"))
    assert pick_kind(lonely.cards[0], "mixed", {}, rng, deck=lonely) == "flip"
    with pytest.raises(ValueError, match="unknown mode"):
        pick_kind(_name_card("tfl"), "essay", {}, rng)
    # Every mode but mixed asks types of its own: pictures asks "where is it?" and "which is lit?".
    assert set(MODES) - {"mixed"} <= {question_type(kind).asked_in for kind in QUESTION_TYPES}
    assert pick_kind(card_of(HIP, "tfl/location"), "pictures", {}, rng, deck=HIP) == "where"


def _shipped() -> list[Deck]:
    decks = []
    for path in sorted(shipped_decks_dir().glob("*.toml")):
        try:
            decks.append(load_deck(path))
        except DeckError:
            continue  # being written; test_shipped_decks reports its problems
    return decks


SHIPPED = _shipped()


@pytest.mark.skipif(not SHIPPED, reason="no shipped deck loads yet")
@pytest.mark.parametrize("deck", SHIPPED, ids=lambda d: d.id)
def test_every_shipped_card_can_be_asked_and_answered(deck):
    names = NameIndex.from_deck(deck)
    rng = random.Random(0)
    for card in deck.cards:
        for kind in supported_types(card, deck, names=names):
            question = build_question(card, kind, deck, rng, names=names)
            if kind == "typed":
                for accepted in card.accepted:
                    assert check_answer(question, accepted).correct, (card.id, accepted)
            elif kind == "choice":
                assert check_answer(question, question.answer_indices[0]).correct
            elif kind == "select":
                assert check_answer(question, set(question.answer_indices)).correct
            elif kind == "order":
                assert check_answer(question, list(question.answer_indices)).correct
            elif kind in ("where", "lit"):
                # The number (or the name) of the region drawn for the card's muscle.
                assert check_answer(question, question.answer_indices[0]).correct
                assert question.figure is not None and question.words is not None


@pytest.mark.skipif(not SHIPPED, reason="no shipped deck loads yet")
@pytest.mark.parametrize("deck", SHIPPED, ids=lambda d: d.id)
def test_shipped_confusable_muscles_are_never_accepted_for_each_other(deck):
    names = NameIndex.from_deck(deck)
    for muscle_note in (n for n in deck.notes if n.type == "muscle"):
        answer = f"{deck.id}/{muscle_note.id}"
        # Any card whose answer is this muscle's name.
        card = Card(f"{answer}/probe", deck.id, muscle_note.id, "name-from-location", "?", muscle_note.text("name"),
                    "name", (muscle_note.text("name"), *muscle_note.items("aliases")), (), muscle_note)
        question = Question("typed", card, "?", names=names)
        for other in muscle_note.items("confusable"):
            for text in names.names_of(f"{deck.id}/{other}"):
                check = check_answer(question, text)
                assert not check.correct, (muscle_note.id, text)
                assert check.named == names.display(f"{deck.id}/{other}")


def test_core_questions_does_not_import_the_ui():
    code = "import sys, hipquiz.core.questions; print(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


NERVES = deck_of(
    note("tfl-nerve", "basic", question="Which nerve supplies the TFL?", answer="superior gluteal nerve"),
    note("gmax-nerve", "basic", question="Which nerve supplies the gluteus maximus?", answer="inferior gluteal nerve"),
    note("qf-nerve", "basic", question="Which nerve supplies the quadratus femoris?",
         answer="nerve to quadratus femoris"),
    note("side", "basic", question="What does anterolateral mean?", answer="front and outside"),
)


@pytest.mark.parametrize(("card_id", "text", "correct"), [
    ("tfl-nerve/basic", "superior gluteal nerv", True),
    ("tfl-nerve/basic", "inferior gluteal nerve", False),  # another card's answer, exactly
    ("tfl-nerve/basic", "inferior gluteal nerv", False),   # closer to another card's answer
    ("gmax-nerve/basic", "superior gluteal nerve", False),
    ("side/basic", "front and inside", False),             # an opposite word is no typo
    ("side/basic", "front and outsde", True),
])
def test_a_typed_answer_close_to_another_cards_answer_is_wrong(card_id, text, correct):
    question = build_question(card_of(NERVES, card_id), "typed", NERVES)
    assert check_answer(question, text).correct is correct


def test_choice_distractors_answer_the_same_question_about_other_muscles():
    deck = deck_of(
        *(note(f"{m}-nerve", "basic", question=f"Which nerve supplies the {m}?", answer=f"nerve {i}")
          for i, m in enumerate(["piriformis", "gluteus maximus", "gluteus medius", "gluteus minimus"])),
        *(note(f"{m}-origin", "basic", question=f"What is the origin of the {m}?", answer=f"bone {i}")
          for i, m in enumerate(["piriformis", "gluteus maximus", "gluteus medius", "gluteus minimus"])),
        *(muscle(m.replace(" ", "-"), m) for m in ["piriformis", "gluteus maximus", "gluteus medius", "gluteus minimus"]),
    )
    rng = random.Random(0)
    for _ in range(20):
        question = build_question(card_of(deck, "piriformis-nerve/basic"), "choice", deck, rng)
        assert all(option.startswith("nerve") for option in question.options)


# ---------------------------------------------------------------------------------------------
# Fair distractors
# ---------------------------------------------------------------------------------------------

CLAIMS = deck_of(
    muscle("piriformis", "piriformis"),
    muscle("gluteus-medius", "gluteus medius"),
    muscle("gluteus-maximus", "gluteus maximus"),
    muscle("quadratus-femoris", "quadratus femoris"),
    note("sport", "basic", question="What does the piriformis do in sport?", answer="turns the leg out"),
    note("rest", "basic", question="What does the piriformis do at rest?", answer="holds the hip still"),
    note("walk", "basic", question="What does the gluteus medius do when walking?", answer="keeps the pelvis level"),
    note("climb", "basic", question="What does the gluteus maximus do when climbing?", answer="pushes the body up"),
    note("sit", "basic", question="What does the quadratus femoris do when sitting?", answer="steadies the femur"),
    note("often", "basic", question="How often should you stretch?", answer="twice per week"),
    note("count", "basic", question="How many gemelli are there?", answer="2",
         distractors=["12", "20", "22"]),
)


def test_a_claim_about_the_same_subject_is_never_a_distractor():
    # "holds the hip still" is what the piriformis does too: never offered as a wrong answer.
    card = card_of(CLAIMS, "sport/basic")
    for seed in range(10):
        options = set(build_question(card, "choice", CLAIMS, random.Random(seed)).options)
        assert options == {"turns the leg out", "keeps the pelvis level", "pushes the body up", "steadies the femur"}


def test_a_frequency_is_offered_among_frequencies_in_its_own_words():
    options = build_question(card_of(CLAIMS, "often/basic"), "choice", CLAIMS, random.Random(0)).options
    assert "twice per week" in options
    assert all(option.endswith(" per week") for option in options)


def test_a_basic_notes_own_distractors_come_first():
    for seed in range(5):
        options = build_question(card_of(CLAIMS, "count/basic"), "choice", CLAIMS, random.Random(seed)).options
        # The deck's own wrong answers, before any nearby number hipquiz would make up.
        assert set(options) == {"2", "12", "20", "22"}


def test_a_prompt_naming_its_answer_has_no_choice_form():
    stands_for = deck_of(*CLAIMS.notes, note("tfl", "basic", question="What does TFL stand for?",
                                             answer="tensor fasciae latae"))
    assert "choice" not in supported_types(card_of(stands_for, "tfl/basic"), stands_for)
