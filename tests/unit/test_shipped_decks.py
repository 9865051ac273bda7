"""The decks hipquiz ships: they load cleanly, cover the article, and carry no encoding damage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hipquiz.core.decks import Deck, DeckError, load_deck

DECKS_DIR = Path(__file__).parents[2] / "decks"
ARTICLE = Path(__file__).parents[3] / "shared/seed/article.txt"
SHIPPED = ("hip-muscles", "hip-anatomy")
FILES = {"hip-muscles": "hip-muscles.toml", "hip-anatomy": "textbook-anatomy.toml"}

TEN_MUSCLES = {
    "tensor-fasciae-latae",
    "gluteus-maximus",
    "gluteus-medius",
    "gluteus-minimus",
    "piriformis",
    "quadratus-femoris",
    "gemellus-superior",
    "gemellus-inferior",
    "obturator-internus",
    "obturator-externus",
}
ALL_FACTS = {f"F{n}" for n in range(1, 56)}


def _load(deck_id: str) -> Deck:
    try:
        deck = load_deck(DECKS_DIR / FILES[deck_id])
    except DeckError as exc:  # show every problem, not just "DeckError"
        pytest.fail("\n".join(str(p) for p in exc.problems))
    assert deck.id == deck_id
    return deck


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("deck_id", SHIPPED)
def test_shipped_deck_loads_with_its_id(deck_id):
    deck = _load(deck_id)
    assert deck.id == deck_id
    assert deck.cards


def test_hip_muscles_covers_every_article_fact():
    deck = _load("hip-muscles")
    covered = {fact for note in deck.notes for fact in note.facts}
    assert ALL_FACTS - covered == set()
    assert covered - ALL_FACTS == set(), "a note names a fact id that the article facts do not have"


@pytest.mark.parametrize("deck_id", SHIPPED)
def test_no_encoding_damage_in_any_card(deck_id):
    deck = _load(deck_id)
    for card in deck.cards:
        texts = (card.prompt, card.answer, card.source, card.note.caveat, *card.accepted)
        for text in texts:
            assert "¬" not in text, card.id
            assert "\u00a0" not in text, card.id


@pytest.mark.parametrize("deck_id", SHIPPED)
def test_all_ten_muscles_have_a_muscle_note(deck_id):
    deck = _load(deck_id)
    muscles = {note.id for note in deck.notes if note.type == "muscle"}
    assert TEN_MUSCLES <= muscles


@pytest.mark.parametrize("deck_id", SHIPPED)
def test_name_questions_have_one_answer(deck_id):
    # "Which muscle lies here / does this?" must not be asked twice with the same clue.
    deck = _load(deck_id)
    prompts = [c.prompt for c in deck.cards if c.template.startswith("name-from-")]
    assert len(prompts) == len(set(prompts))


def test_hip_muscles_sources_are_article_sentences():
    if not ARTICLE.is_file():
        pytest.skip(f"the article is not at {ARTICLE}")
    # The article's mojibake non-breaking space is written as a plain space in the deck, and two
    # of its sentences are broken over a blank line; compare with whitespace runs collapsed.
    article = _squash(ARTICLE.read_text(encoding="utf-8").replace("¬†", " "))
    deck = _load("hip-muscles")
    missing = [note.id for note in deck.notes if _squash(note.source) not in article]
    assert missing == []
