"""Deck files: loading, every validation error with its line, card generation, stable ids."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hipquiz.core.decks import DeckError, load_deck, load_library

HEADER = """\
[deck]
id = "demo"
name = "Demo deck"
"""

TFL = """\
[[notes]]
id = "tfl"
type = "muscle"
name = "Tensor fasciae latae"
aliases = ["TFL"]
location = "Top, outside (anterolateral side) of the thigh"
functions = ["Medial rotation of the hip", "Flexion of the hip"]
source = "The TFL is found on the top, outside (anterolateral side) of your thigh."
"""

FEMUR = """\
[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "Femur"
source = "your thigh bone (femur bone)"
"""

ORDER = """\
[[notes]]
id = "layers"
type = "list"
question = "The gluteal muscles from superficial to deep"
items = ["Gluteus maximus", "Gluteus medius", "Gluteus minimus"]
ordered = true
source = "Anatomy reference"
"""


def write(tmp_path: Path, text: str, name: str = "deck.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    return [str(p) for p in caught.value.problems]


def test_a_valid_deck_loads_with_notes_and_generated_cards(tmp_path):
    deck = load_deck(write(tmp_path, HEADER + TFL + FEMUR + ORDER))
    assert deck.id == "demo" and deck.name == "Demo deck"
    assert [n.id for n in deck.notes] == ["tfl", "femur", "layers"]
    assert [c.id for c in deck.cards] == [
        "demo/tfl/location",
        "demo/tfl/name-from-location",
        "demo/tfl/functions",
        "demo/tfl/name-from-functions",
        "demo/femur/basic",
        "demo/layers/list",
    ]


def test_muscle_cards_ask_each_direction(tmp_path):
    deck = load_deck(write(tmp_path, HEADER + TFL))
    cards = {c.template: c for c in deck.cards}
    assert cards["location"].prompt == "Where is the Tensor fasciae latae?"
    assert cards["location"].answer == "Top, outside (anterolateral side) of the thigh"
    assert "top, outside (anterolateral side) of the thigh" in cards["name-from-location"].prompt
    assert cards["name-from-location"].answer == "Tensor fasciae latae"
    assert cards["name-from-location"].accepted == ("Tensor fasciae latae", "TFL")
    assert cards["functions"].answer_items == ("Medial rotation of the hip", "Flexion of the hip")
    assert "Flexion of the hip" in cards["name-from-functions"].prompt
    assert all(c.source.startswith("The TFL is found") for c in deck.cards)


def test_ordered_list_answer_is_numbered(tmp_path):
    card = load_deck(write(tmp_path, HEADER + ORDER)).cards[0]
    assert card.answer.splitlines() == ["1. Gluteus maximus", "2. Gluteus medius", "3. Gluteus minimus"]


def test_cards_key_limits_the_templates(tmp_path):
    text = HEADER + TFL.replace('source =', 'cards = ["location"]\nsource =')
    deck = load_deck(write(tmp_path, text))
    assert [c.template for c in deck.cards] == ["location"]


def test_basic_reverse_makes_a_second_card(tmp_path):
    text = HEADER + FEMUR.replace("source =", "reverse = true\nsource =")
    deck = load_deck(write(tmp_path, text))
    reverse = deck.cards[1]
    assert reverse.id == "demo/femur/reverse"
    assert (reverse.prompt, reverse.answer) == ("Femur", "What is the thigh bone called?")


def test_card_ids_survive_reordering_and_unrelated_edits(tmp_path):
    before = load_deck(write(tmp_path, HEADER + TFL + FEMUR, "a.toml"))
    edited_tfl = TFL.replace("Flexion of the hip", "Flexion of the hip joint")
    after = load_deck(write(tmp_path, HEADER + "\n# a comment\n" + FEMUR + edited_tfl, "b.toml"))
    assert {c.id for c in before.cards} == {c.id for c in after.cards}
    by_id_before = {c.id: c for c in before.cards}
    by_id_after = {c.id: c for c in after.cards}
    # The untouched card keeps its answer hash; the edited answer gets a new one.
    assert by_id_before["demo/femur/basic"].answer_hash == by_id_after["demo/femur/basic"].answer_hash
    assert by_id_before["demo/tfl/location"].answer_hash == by_id_after["demo/tfl/location"].answer_hash
    assert by_id_before["demo/tfl/functions"].answer_hash != by_id_after["demo/tfl/functions"].answer_hash


def test_non_breaking_spaces_become_plain_spaces(tmp_path):
    text = HEADER + FEMUR.replace("your thigh bone", "your\u00a0thigh   bone")
    card = load_deck(write(tmp_path, text)).cards[0]
    assert card.source == "your thigh bone (femur bone)"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (FEMUR.replace('answer = "Femur"', 'answr = "Femur"'), ["deck.toml:9: unknown key 'answr' in a basic note: did you mean 'answer'?"]),
        (FEMUR.replace('answer = "Femur"', 'answer = ""'), ["deck.toml:9: 'answer' is empty"]),
        (FEMUR.replace('answer = "Femur"', 'answer = "   "'), ["deck.toml:9: 'answer' is empty"]),
        (FEMUR.replace('answer = "Femur"', "answer = 3"), ["deck.toml:9: 'answer' must be text"]),
        (FEMUR.replace('type = "basic"', 'type = "muscel"'), ["deck.toml:7: unknown note type 'muscel'"]),
        (FEMUR + FEMUR, ["deck.toml:11: duplicate note id 'femur' (first used on line 5)"]),
        (FEMUR.replace('id = "femur"', 'id = "Femur Bone"'), ["deck.toml:6: note id 'Femur Bone' may hold only"]),
        (FEMUR.replace("your thigh bone", "your¬†thigh bone"), ["deck.toml:10: encoding damage '¬†'"]),
        (FEMUR.replace("your thigh bone", "your thighâ€™s bone"), ["deck.toml:10: encoding damage"]),
        (FEMUR.replace('answer = "Femur"', 'answer = "Femur'), ["deck.toml:9: not valid TOML"]),
        (TFL.replace('functions = [', 'functions = ["", '), ["deck.toml:11: 'functions' holds an empty entry"]),
        (TFL.replace('source =', 'cards = ["basic"]\nsource ='), ["deck.toml:12: unknown card template 'basic' for a muscle note"]),
        (TFL.replace('source =', 'confusable = ["nobody"]\nsource ='), ["deck.toml:12: confusable names unknown note id 'nobody'"]),
        (ORDER.replace("ordered = true", "ordered = \"yes\""), ["deck.toml:10: 'ordered' must be true or false"]),
        (ORDER.replace("ordered = true", 'distractors = ["Gluteus medius"]'), ["deck.toml:10: 'Gluteus medius' is both an item and a distractor"]),
        ('[[notes]]\nid = "x"\ntype = "muscle"\nname = "Piriformis"\nsource = "list"\n', ["deck.toml:5: this note makes no card"]),
    ],
)
def test_each_problem_is_reported_with_its_line(tmp_path, body, expected):
    problems = problems_of(write(tmp_path, HEADER + "\n" + body))
    for wanted in expected:
        assert any(p.split(str(tmp_path) + "/")[-1].startswith(wanted) for p in problems), (wanted, problems)


def test_missing_deck_table_and_notes(tmp_path):
    problems = problems_of(write(tmp_path, 'title = "x"\n'))
    assert any("unknown table or key 'title'" in p for p in problems)
    assert any("missing the [deck] table" in p for p in problems)
    assert any("the deck has no [[notes]]" in p for p in problems)


def test_unknown_deck_key(tmp_path):
    problems = problems_of(write(tmp_path, HEADER + 'author = "me"\n\n' + FEMUR))
    assert any(p.endswith("deck.toml:4: unknown key 'author' in [deck] (allowed: description, id, name, source)") for p in problems)


@pytest.mark.parametrize("deck_table", [
    '[deck]\nid = ""\nname = ""\n',
    'deck.id = ""\ndeck.name = ""\n',  # dotted keys: the same [deck] table written another way
    '[deck]  # the deck\n"id" = ""\nname = ""\n',
])
def test_each_deck_key_is_reported_on_its_own_line(tmp_path, deck_table):
    problems = problems_of(write(tmp_path, "# My deck\n" + deck_table + "\n" + FEMUR))
    lines = {p.split(": ", 1)[1]: p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems}
    first = deck_table.count("\n")  # the line of id: the last but one of the table, after the comment
    assert lines["[deck] needs a non-empty text 'id'"] == str(first)
    assert lines["[deck] needs a non-empty text 'name'"] == str(first + 1)


def test_not_utf8_is_reported_with_its_line(tmp_path):
    path = tmp_path / "deck.toml"
    path.write_bytes((HEADER + FEMUR).encode("utf-8").replace(b"Femur", b"F\xe9mur"))
    problems = problems_of(path)
    assert problems == [f"{path}:8: not UTF-8 text (byte 0xe9); save the file as UTF-8"]


def test_every_problem_is_reported_at_once(tmp_path):
    body = FEMUR.replace('answer = "Femur"', 'answer = ""') + TFL.replace('type = "muscle"', 'type = "x"')
    assert len(problems_of(write(tmp_path, HEADER + body))) == 2


def test_library_loads_user_decks_and_reports_broken_ones(tmp_path):
    user = tmp_path / "decks"
    user.mkdir()
    write(user, HEADER + FEMUR, "mine.toml")
    write(user, HEADER.replace('"demo"', '"broken"') + FEMUR.replace('answer = "Femur"', ""), "broken.toml")
    library = load_library(user)
    assert library.find("demo").path == user / "mine.toml"
    assert library.find("Demo deck") is library.find("demo")
    assert library.card("demo/femur/basic").answer == "Femur"
    assert [p.path.name for p in library.problems] == ["broken.toml"]


def test_a_sub_table_of_a_note_is_reported_at_its_own_line(tmp_path):
    body = FEMUR + "\n[notes.extra]\nx = 1\n"
    problems = problems_of(write(tmp_path, HEADER + "\n" + body))
    assert any(p.endswith("deck.toml:12: unknown key 'extra' in a basic note (allowed: accept, answer, cards, "
                          "caveat, distractors, facts, id, pictured, question, related, reverse, source, tags, type, typed)") for p in problems), problems


@pytest.mark.parametrize("damage", ["Â©", "Ã©", "â€œ", "¬†"])
def test_other_mojibake_is_refused(tmp_path, damage):
    problems = problems_of(write(tmp_path, HEADER + FEMUR.replace("thigh bone", f"thigh{damage}bone")))
    assert any("encoding damage" in p for p in problems)


def test_two_deck_files_with_one_id_are_reported(tmp_path):
    user = tmp_path / "decks"
    user.mkdir()
    write(user, HEADER + FEMUR, "a.toml")
    write(user, HEADER + FEMUR, "b.toml")
    library = load_library(user)
    assert [str(p) for p in library.problems] == [
        f"{user / 'b.toml'}:2: deck id 'demo' is also used by {user / 'a.toml'}; this deck was not loaded: "
        "give each deck its own id"]
    assert library.find("demo").path.name == "a.toml"
