"""Structured muscle notes: fields with sources, cards both ways, related notes buried, give-aways."""

from __future__ import annotations

import random
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from hipquiz.core import giveaways
from hipquiz.core.decks import DeckError, load_deck
from hipquiz.core.questions import NameIndex, build_question, supported_types
from hipquiz.core.scheduler import GOOD, Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession
from hipquiz.core.store import Store

DECK = """\
[deck]
id = "demo"
name = "Demo"

[sources]
grays = "Gray's Anatomy (1918), p. 959"
gpn = "gpnotebook, gluteus medius"

[[notes]]
id = "gmed"
type = "muscle"
source = "grays"
name = "gluteus medius"
caveat = "In a flexed hip, sources disagree on how it rotates."

[notes.origin]
answer = "the outer (gluteal) surface of the ilium between the anterior and posterior gluteal lines"
terms = ["gluteal surface of the ilium"]
typed = ["gluteal surface of the ilium"]
source = ["gpn"]

[notes.innervation]
answer = "superior gluteal nerve (L4, L5, S1)"
terms = ["superior gluteal nerve"]
source = "grays"
caveat = "gpnotebook gives L5, S1."

[[notes.actions]]
movement = "abduction of the hip"
role = "prime"
source = "grays"

[[notes]]
id = "gmin"
type = "muscle"
source = "grays"
name = "gluteus minimus"

[notes.innervation]
answer = "superior gluteal nerve (L4, L5, S1)"
terms = ["superior gluteal nerve"]
source = "grays"

[[notes.actions]]
movement = "abduction of the hip"
source = "grays"

[[notes]]
id = "qf"
type = "muscle"
source = "grays"
name = "quadratus femoris"

[notes.innervation]
answer = "nerve to quadratus femoris"
terms = ["nerve to quadratus femoris"]
source = "grays"

[[notes.actions]]
movement = "adduction of the hip"
role = "assists"
source = "grays"

[[notes]]
id = "oe"
type = "muscle"
source = "grays"
name = "obturator externus"

[notes.innervation]
answer = "obturator nerve"
terms = ["obturator nerve"]
source = "grays"

[[notes.actions]]
movement = "abduction of the hip"
role = "disputed"
source = "grays"

[[notes]]
id = "pir"
type = "muscle"
source = "grays"
name = "piriformis"

[notes.innervation]
answer = "nerve to piriformis"
terms = ["nerve to piriformis"]
source = "grays"

[[notes.actions]]
movement = "abduction of the hip"
when = "flexed"
source = "grays"

[[notes]]
id = "trendelenburg"
type = "basic"
source = "grays"
related = ["gmed"]
question = "Weakness of the gluteus medius, the prime mover of hip abduction, gives which sign?"
answer = "a Trendelenburg sign"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def deck(tmp_path):
    return load_deck(write(tmp_path, DECK))


def card(deck, card_id):
    return next(c for c in deck.cards if c.id == card_id)


def test_a_field_makes_a_card_both_ways(deck):
    forward = card(deck, "demo/gmed/innervation")
    assert forward.prompt == "Which nerve supplies the gluteus medius?"
    assert forward.answer == "superior gluteal nerve (L4, L5, S1)"
    back = card(deck, "demo/supplied-by-superior-gluteal-nerve/supplied-by")
    assert back.prompt == "Of this deck's muscles, which does the superior gluteal nerve supply?"
    assert back.answer_items == ("gluteus medius", "gluteus minimus")
    single = card(deck, "demo/supplied-by-obturator-nerve/supplied-by")
    assert single.prompt == "Of this deck's muscles, which one does the obturator nerve supply?"
    assert single.answer == "obturator externus"
    # "Which muscle does the nerve to piriformis supply?" would answer itself: not made.
    assert not any("nerve to piriformis supply" in c.prompt for c in deck.cards)
    assert not any("nerve to quadratus femoris supply" in c.prompt for c in deck.cards)


def test_movement_cards_keep_disputed_and_conditional_muscles_apart(deck):
    moves = card(deck, "demo/moves-abduction-of-the-hip/moves")
    # The piriformis abducts only the flexed hip, so the prompt says which hip is meant.
    assert moves.prompt == "Of this deck's muscles, which abduct the hip (hip straight, not flexed)?"
    assert moves.answer_items == ("gluteus medius", "gluteus minimus")
    assert moves.unfair == ("obturator externus",)
    only_flexed = card(deck, "demo/moves-only-when-abduction-of-the-hip-when-flexed/moves-only-when")
    assert only_flexed.answer == "piriformis"
    prime = card(deck, "demo/prime-mover-abduction-of-the-hip/prime-mover")
    assert prime.answer == "gluteus medius"
    # The gluteus minimus's role is not stated: it may be called prime somewhere, so it is never wrong.
    assert "gluteus minimus" in prime.unfair


def test_a_disputed_option_is_never_offered_as_wrong(deck):
    names = NameIndex.from_deck(deck)
    moves = card(deck, "demo/moves-abduction-of-the-hip/moves")
    assert "select" in supported_types(moves, deck, names=names)
    for seed in range(30):
        question = build_question(moves, "select", deck, random.Random(seed), names=names)
        assert "obturator externus" not in question.options


def test_the_answer_screen_cites_the_fields_own_work(deck):
    origin = card(deck, "demo/gmed/origin")
    assert origin.source == "gpnotebook, gluteus medius"
    assert not origin.source_is_quote
    assert card(deck, "demo/gmed/innervation").caveat == "gpnotebook gives L5, S1."
    # A muscle's own caveat goes with its actions, not with every field.
    assert card(deck, "demo/gmed/origin").caveat == ""
    assert card(deck, "demo/gmed/actions").caveat == "In a flexed hip, sources disagree on how it rotates."
    assert card(deck, "demo/trendelenburg/basic").source == "Gray's Anatomy (1918), p. 959"


def test_a_short_typed_form_makes_a_long_answer_typeable(deck):
    names = NameIndex.from_deck(deck)
    origin = card(deck, "demo/gmed/origin")
    assert "typed" in supported_types(origin, deck, names=names)
    assert "gluteal surface of the ilium" in origin.accepted


@pytest.mark.parametrize(
    "old, new, message",
    [
        ('source = ["gpn"]', 'source = ["nope"]', "cites source 'nope', which the deck's [sources] table does not have"),
        ('role = "prime"', 'role = "boss"', "role 'boss' is not one of: prime, main, assists, disputed"),
        ('movement = "abduction of the hip"\nrole = "prime"', 'movement = "abducting"\nrole = "prime"',
         "movement 'abducting' is not"),
        ('related = ["gmed"]', 'related = ["gmax"]', "related names unknown note id 'gmax'"),
    ],
)
def test_a_mistake_in_a_structured_field_is_reported_at_its_line(tmp_path, old, new, message):
    assert old in DECK
    path = write(tmp_path, DECK.replace(old, new, 1))
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    problems = [str(p) for p in caught.value.problems]
    assert any(message in p for p in problems), problems
    assert all(p.startswith(f"{path}:") and p.split(":")[1].isdigit() and p.split(":")[1] != "1"
               for p in problems), problems


def test_related_notes_are_buried_like_siblings(tmp_path, deck):
    path = write(tmp_path, DECK)
    clock = lambda: datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)  # noqa: E731
    with Store.open(tmp_path / "data", now=clock) as store:
        session = StudySession(load_deck(path), store, Scheduler(SchedulerSettings(enable_fuzzing=False)), now=clock)
        shown = []
        while (next_card := session.next_card()) is not None and len(shown) < 50:
            shown.append(next_card.note_id)
            session.answer(next_card, GOOD, duration_ms=1000)
        # One card of gmed was shown; the Trendelenburg card, related to it, waits for another day,
        # and so does "which does the superior gluteal nerve supply?" (derived from gmed and gmin).
        assert "gmed" in shown
        assert "trendelenburg" not in shown
        assert "supplied-by-superior-gluteal-nerve" not in shown


def test_the_give_away_finder_sees_an_answer_stated_in_another_prompt(deck):
    found = {(g.giver.note_id, g.taker.note_id) for g in giveaways.find(deck)}
    # The derived card names the nerve that the muscle's nerve card asks for (declared related).
    assert ("supplied-by-superior-gluteal-nerve", "gmed") in found
    # The Trendelenburg card states the prime mover card's answer with its clue ("prime mover").
    assert ("trendelenburg", "prime-mover-abduction-of-the-hip") in found
    assert [(g.giver.note_id, g.taker.note_id) for g in giveaways.undeclared(deck)] == [
        ("trendelenburg", "prime-mover-abduction-of-the-hip")]


def test_a_mention_without_the_clue_is_no_give_away(deck):
    nerve = card(deck, "demo/gmed/innervation")
    origin = card(deck, "demo/gmed/origin")
    # "Where does the gluteus medius…" names the muscle but says nothing about its nerve.
    assert not giveaways.gives_away(origin, nerve)
