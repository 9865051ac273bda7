"""The decks hipquiz ships: they load cleanly, cover the article, and carry no encoding damage."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from hipquiz.core.decks import Deck, DeckError, load_deck

DECKS_DIR = Path(__file__).parents[2] / "decks"


def _shared_folder() -> Path:
    """The project's shared sources (article, reference sheets): $HIPQUIZ_SHARED, or a ``shared``
    folder beside any folder above this checkout (a worktree sits deeper than the main checkout)."""
    if os.environ.get("HIPQUIZ_SHARED"):
        return Path(os.environ["HIPQUIZ_SHARED"])
    here = Path(__file__).resolve()
    found = (folder / "shared" for folder in here.parents if (folder / "shared/seed/article.txt").is_file())
    return next(found, here.parents[3] / "shared")


SHARED = _shared_folder()
ARTICLE = SHARED / "seed/article.txt"


def need(path: Path) -> None:
    """Skip without the shared sources on a developer's machine; in CI their absence is a failure."""
    if not path.exists():
        message = f"{path} is missing (set HIPQUIZ_SHARED to the shared folder)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
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


FACTS_FILE = SHARED / "reference/article_facts.md"
# Lines the facts list calls no card material, and trivia: taught in a caveat, never asked.
NOT_ASKED = {"F25": ("sing", "song", "Dem Bones"), "F31": ("TV", "news")}


def _fact_quotes() -> dict[str, list[str]]:
    """Each fact's exact quotes, from the facts list (footnote stars and the mojibake space dropped)."""
    quotes: dict[str, list[str]] = {}
    for line in FACTS_FILE.read_text(encoding="utf-8").splitlines():
        if found := re.match(r"^(F\d+) \[", line):
            quotes[found.group(1)] = [_squash(q.replace("¬†", " ").lstrip("*"))
                                      for q in re.findall(r'"([^"]+)"', line)]
    return quotes


def test_hip_muscles_covers_every_article_fact():
    deck = _load("hip-muscles")
    covered = {fact for note in deck.notes for fact in note.facts}
    assert ALL_FACTS - covered == set()
    assert covered - ALL_FACTS == set(), "a note names a fact id that the article facts do not have"


def test_every_fact_of_a_note_is_quoted_in_its_source():
    need(FACTS_FILE)
    quotes = _fact_quotes()
    assert set(quotes) == ALL_FACTS
    deck = _load("hip-muscles")
    unquoted = [(note.id, fact) for note in deck.notes for fact in note.facts
                if not any(quote in _squash(note.source) for quote in quotes[fact])]
    assert unquoted == []


def test_no_card_asks_a_line_that_is_not_card_material():
    deck = _load("hip-muscles")
    for card in deck.cards:
        asked = f"{card.prompt} {card.answer} {' '.join(card.answer_items)}"
        for fact, words in NOT_ASKED.items():
            assert not any(re.search(rf"\b{re.escape(w)}\b", asked) for w in words), (card.id, fact)


def test_the_article_group_is_one_list_asked_according_to_the_article():
    deck = _load("hip-muscles")
    group_cards = [c for c in deck.cards if c.template == "group"]
    assert group_cards == []
    small = [c for c in deck.cards if len(c.answer_items) == 9]
    assert len(small) == 1 and small[0].prompt.startswith("According to the article")
    # The textbook groups are explained with it.
    assert "superficial gluteal group" in small[0].caveat and "deep six" in small[0].caveat


def test_anterolateral_is_front_and_outside_never_just_the_side():
    deck = _load("hip-muscles")
    card = next(c for c in deck.cards if "anterolateral" in c.prompt and "mean" in c.prompt)
    accepted = {a.casefold() for a in card.accepted}
    assert "front and outside" in accepted
    assert not any("side" in a and "outside" not in a for a in accepted)


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
    need(ARTICLE)
    # The article's mojibake non-breaking space is written as a plain space in the deck, and two
    # of its sentences are broken over a blank line; compare with whitespace runs collapsed.
    article = _squash(ARTICLE.read_text(encoding="utf-8").replace("¬†", " "))
    deck = _load("hip-muscles")
    missing = [note.id for note in deck.notes if _squash(note.source) not in article]
    assert missing == []


STRUCTURED_FIELDS = ("origin", "insertion", "innervation", "blood_supply", "actions", "layer", "groups")


@pytest.mark.parametrize("muscle", sorted(TEN_MUSCLES))
def test_every_textbook_muscle_has_every_field_with_a_source(muscle):
    deck = _load("hip-anatomy")
    note = deck.note(muscle)
    missing = [key for key in STRUCTURED_FIELDS if not note.fields.get(key)]
    assert missing == [], f"{muscle} lacks {missing}"
    for key in STRUCTURED_FIELDS:
        values = note.fields[key] if key == "actions" else (note.fields[key],)
        for value in values:
            assert value.sources and all(s in deck.sources for s in value.sources), (muscle, key)
    # The answer screen shows the work cited, never an internal section name.
    for card in (c for c in deck.cards if c.note_id == muscle):
        assert card.source and not card.source_is_quote, card.id
        assert "§" not in card.source and "reference" not in card.source.casefold(), card.id


def test_every_textbook_card_cites_a_work_from_the_reference_sheets():
    deck = _load("hip-anatomy")
    sheets = "".join(
        (SHARED / "reference" / name).read_text(encoding="utf-8")
        for name in ("anatomy_reference.md", "anatomy_addendum.md")
    ) if (SHARED / "reference").is_dir() else ""
    for card in deck.cards:
        assert card.reference, f"{card.id} shows no work cited"
    for key, citation in deck.sources.items():
        urls = re.findall(r"https?://\S+", citation)
        if sheets and urls:
            assert urls[0] in sheets, f"[sources] {key}: {urls[0]} is not in the reference sheets' source lists"


@pytest.mark.parametrize("deck_id", SHIPPED)
def test_no_card_gives_another_away_unless_their_notes_are_related(deck_id):
    from hipquiz.core import giveaways

    deck = _load(deck_id)
    assert [str(g) for g in giveaways.undeclared(deck)] == []


def test_every_term_of_the_textbook_fields_is_a_lexicon_term():
    from hipquiz.core.lexicon import Lexicon

    lexicon = Lexicon.shipped()
    deck = _load("hip-anatomy")
    missing = set()
    for note in (n for n in deck.notes if n.type == "muscle"):
        for key in STRUCTURED_FIELDS:
            values = note.fields[key] if key == "actions" else (note.fields[key],)
            for value in values:
                terms = (value.movement,) if key == "actions" else (*value.terms, *value.unsure)
                missing |= {t for t in terms if t and lexicon.lookup(t) is None}
    assert missing == set()
