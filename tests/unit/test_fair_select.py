""""Select all that apply" offers wrong items a teacher would sign: of the same kind as the right
items (no muscle names among actions: a free elimination), and never something true of the card's
muscle. The kinds are worked out as in test_fair_choices, apart from hipquiz.core.questions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from hipquiz.core.decks import load_deck
from hipquiz.core.model import utc_now
from hipquiz.core.questions import build_question, supported_types
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession
from hipquiz.core.store import Store

from test_fair_choices import FILES, deck, kind_of

# From /work/shared/reference/anatomy_reference.md (✔): the TFL flexes, abducts and medially
# rotates the hip. None of these may be offered as a wrong item about the TFL, however worded.
TFL_TRUE_ACTION_WORDS = ("flex", "abduct", "medial rotation", "internal rotation", "medially rotat")


def select_questions(name: str, seeds=range(12)):
    shipped = deck(name)
    for card in shipped.cards:
        if "select" not in supported_types(card, shipped):
            continue
        for seed in seeds:
            yield card, build_question(card, "select", shipped, random.Random(seed))


@pytest.mark.parametrize("name", FILES)
def test_select_distractors_are_of_the_items_kind(name):
    for card, question in select_questions(name):
        items = set(card.answer_items)
        own = set(card.note.items("distractors"))
        kinds = {kind_of(item) for item in items}
        for option in question.options:
            if option in items or option in own:
                continue  # the deck's own wrong items were written for this question
            assert kind_of(option) in kinds, f"{card.id}: {option!r} among {sorted(items)}"


def test_the_tfls_actions_are_never_offered_muscles_or_its_own_true_actions():
    shipped = deck("hip-muscles.toml")
    card = next(c for c in shipped.cards if c.note_id == "tfl-functions")
    assert "select" in supported_types(card, shipped)
    for seed in range(40):
        question = build_question(card, "select", shipped, random.Random(seed))
        wrong = [option for i, option in enumerate(question.options) if i not in question.answer_indices]
        for option in wrong:
            assert kind_of(option) == "movement", f"{option!r} offered among the TFL's actions"
            assert not any(word in option.lower() for word in TFL_TRUE_ACTION_WORDS), option


ACTIONS_DECK = '''
[deck]
id = "acts"
name = "Acts"

[[notes]]
id = "tfl-acts"
type = "list"
question = "What does the TFL do at the hip?"
items = ["flexion of the hip", "medial rotation of the hip"]
distractors = ["extension of the hip"]
source = "s"

[[notes]]
id = "glute-acts"
type = "list"
question = "What does the gluteus maximus do at the hip?"
items = ["extension of the hip", "lateral rotation of the hip", "abduction of the hip"]
source = "s"

[[notes]]
id = "exercises"
type = "list"
question = "Which activities work the big leg muscles?"
items = ["swim", "bike", "run"]
source = "s"

[[notes]]
id = "advised-against"
type = "list"
question = "Which activities does the coach advise against?"
items = ["sprint", "jump"]
source = "s"
'''


def _acts(tmp_path: Path):
    path = tmp_path / "acts.toml"
    path.write_text(ACTIONS_DECK, encoding="utf-8")
    return load_deck(path)


def test_a_list_of_activities_borrows_only_activities_from_other_lists(tmp_path: Path):
    acts = _acts(tmp_path)
    card = next(c for c in acts.cards if c.note_id == "exercises")
    for seed in range(20):
        question = build_question(card, "select", acts, random.Random(seed))
        wrong = {option for i, option in enumerate(question.options) if i not in question.answer_indices}
        assert wrong <= {"sprint", "jump"}, wrong


def test_a_list_with_too_few_fair_distractors_is_asked_as_a_flip_card_that_says_so(tmp_path: Path):
    # Another muscle's actions may be true of the TFL too (it abducts the hip): with one wrong
    # item of its own, the TFL's list has no fair select form.
    acts = _acts(tmp_path)
    card = next(c for c in acts.cards if c.note_id == "tfl-acts")
    with Store.open(tmp_path / "data", now=utc_now) as store:
        session = StudySession(acts, store, Scheduler(SchedulerSettings(enable_fuzzing=False)), mode="select")
        question = session.ask(card)
    assert question.kind == "flip" and not question.options
    assert "no select-all form" in question.instruction
