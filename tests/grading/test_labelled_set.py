"""The grader against a teacher: the labelled typed answers of cases.toml (see labelled.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from labelled import Score, evaluate, find_card, load_cases  # noqa: E402

from hipquiz.core.decks import load_library  # noqa: E402
from hipquiz.core.lexicon import Lexicon  # noqa: E402
from hipquiz.core.questions import build_question, check_answer, supported_types  # noqa: E402

MIN_CASES = 400
MIN_AGREEMENT = 0.97


def _app_grader(card, deck, text):
    check = check_answer(build_question(card, "typed", deck), text)
    return "wrong" if not check.correct else "typo" if check.near_miss else "right"


@pytest.fixture(scope="module")
def score() -> Score:
    return evaluate(_app_grader)


def test_the_set_is_large_enough(score):
    assert score.cases >= MIN_CASES, f"only {score.cases} cases ran; cards gone: {score.missing_cards}"


def test_agreement_with_the_teacher(score):
    assert score.agreement >= MIN_AGREEMENT, (
        f"agreement {score.agreement:.1%} < {MIN_AGREEMENT:.0%}; disagreements:\n" + "\n".join(score.disagreements()))


def test_no_other_term_or_look_alike_is_ever_accepted(score):
    lexicon = Lexicon.shipped()
    library = load_library()
    named_other = []
    for case, got in score.false_accepts:
        card, _ = find_card(library, case.card_id)
        typed = lexicon.lookup(case.text)
        expected = {t.id for a in (card.answer, *card.accepted) if (t := lexicon.lookup(a)) is not None}
        if typed is not None and typed.id not in expected:
            named_other.append(f"{case.card_id}: {case.text!r} names the {typed.name}, accepted as {got}")
    assert not named_other, "\n".join(named_other)


def test_every_typed_card_of_the_shipped_decks_has_cases():
    library = load_library()
    labelled = {case.card_id for case in load_cases()}
    missing = [card.id for deck in library.decks for card in deck.cards
               if "typed" in supported_types(card, deck) and card.id not in labelled]
    assert not missing, "typed cards without labelled answers in tests/grading/cases.toml:\n" + "\n".join(missing)


def test_every_card_has_right_and_wrong_answers():
    blocks: dict[str, set[str]] = {}
    for case in load_cases():
        blocks.setdefault(case.card_id, set()).add(case.expected)
    thin = [card for card, verdicts in blocks.items() if not {"right", "wrong"} <= verdicts]
    assert not thin, thin
