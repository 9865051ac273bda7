"""User decks: found in the shipped folder, the user's folder and --deck paths; clashes refused;
new-deck's template; validate reports each mistake once, at its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core.decks import DeckError, load_deck
from hipquiz.core.library import DeckOrigin, discover

FEMUR_DECK = """\
[deck]
id = "{id}"
name = "{name}"

[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "Femur"
source = "your thigh bone (femur bone)"
"""


def deck_text(deck_id: str, name: str = "A deck") -> str:
    return FEMUR_DECK.format(id=deck_id, name=name)


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("HIPQUIZ_DATA", str(folder))
    return folder


def test_decks_are_found_in_the_shipped_and_user_folders_and_deck_paths(tmp_path):
    user = tmp_path / "data" / "decks"
    user.mkdir(parents=True)
    (user / "mine.toml").write_text(deck_text("mine"), encoding="utf-8")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "shared.toml").write_text(deck_text("shared"), encoding="utf-8")
    single = tmp_path / "one.toml"
    single.write_text(deck_text("single"), encoding="utf-8")

    library = discover(user, [folder, single])

    assert library.problems == []
    assert library.origins["hip-muscles"] is DeckOrigin.SHIPPED
    assert library.origins["mine"] is DeckOrigin.USER
    assert library.origins["shared"] is DeckOrigin.PATH
    assert library.origins["single"] is DeckOrigin.PATH
    assert library.find("single").path == single


def test_a_user_deck_with_a_shipped_id_is_refused_and_the_shipped_one_kept(tmp_path):
    user = tmp_path / "decks"
    user.mkdir()
    (user / "copy.toml").write_text(deck_text("hip-muscles", "My copy"), encoding="utf-8")

    library = discover(user)

    assert library.find("hip-muscles").name != "My copy"
    assert [str(p) for p in library.problems] == [
        f"{user / 'copy.toml'}:2: deck id 'hip-muscles' is the id of a deck shipped with hipquiz; "
        "this deck was not loaded: give it its own id in [deck]"]


def test_a_missing_user_folder_is_no_problem_and_the_same_file_twice_is_one_deck(tmp_path):
    assert discover(tmp_path / "nowhere").problems == []
    user = tmp_path / "decks"
    user.mkdir()
    (user / "mine.toml").write_text(deck_text("mine"), encoding="utf-8")
    library = discover(user, [user / "mine.toml"])
    assert library.problems == [] and library.origins["mine"] is DeckOrigin.USER


def test_the_trainer_creates_the_user_deck_folder_and_paths_prints_it(data, capsys, monkeypatch):
    import hipquiz.tui.app

    monkeypatch.setattr(hipquiz.tui.app.HipquizApp, "run", lambda self: None)
    assert main([]) == 0
    assert (data / "decks").is_dir()
    assert main(["paths"]) == 0
    assert f"decks: {data / 'decks'}" in capsys.readouterr().out


def test_deck_option_loads_a_file_and_a_missing_path_is_a_usage_error(data, tmp_path, capsys):
    extra = tmp_path / "extra.toml"
    extra.write_text(deck_text("extra", "Extra deck"), encoding="utf-8")
    assert main(["--deck", str(extra), "decks"]) == 0
    assert any(line.startswith("extra ") for line in capsys.readouterr().out.splitlines())
    assert main(["decks", "--deck", str(tmp_path / "gone.toml")]) == 2
    assert capsys.readouterr().err.strip() == f"hipquiz: error: --deck {tmp_path / 'gone.toml'}: no such deck file or folder"


def test_new_deck_writes_a_valid_commented_template_into_the_user_folder(data, capsys):
    assert main(["new-deck", "Hüft Flexoren"]) == 0
    path = data / "decks" / "huft-flexoren.toml"
    deck = load_deck(path)
    assert deck.id == "huft-flexoren" and deck.name == "Hüft Flexoren"
    text = path.read_text(encoding="utf-8")
    assert text.count("# [[notes]]") == 2  # the muscle and list examples, ready to uncomment
    uncommented = "\n".join(line.removeprefix("# ") if line.startswith("# ") and "=" in line or line == "# [[notes]]"
                            else line for line in text.splitlines()
                            if not line.startswith("# A ") and not line.startswith("# Progress"))
    assert {n.type for n in load_deck_text(uncommented, path).notes} == {"basic", "muscle", "list"}
    assert main(["new-deck", "Hüft Flexoren"]) == 1
    assert "exists already" in capsys.readouterr().err


def test_new_deck_refuses_a_shipped_deck_id(data, capsys):
    assert main(["new-deck", "hip muscles"]) == 1
    assert "a deck with the id 'hip-muscles' exists already" in capsys.readouterr().err
    assert not (data / "decks" / "hip-muscles.toml").exists()


def load_deck_text(text: str, path: Path):
    from hipquiz.core.decks import parse_deck

    return parse_deck(text, path)


HEADER = '[deck]\nid = "demo"\nname = "Demo"\n\n'
TFL = textwrap.dedent("""\
    [[notes]]
    id = "tfl"
    type = "muscle"
    name = "Tensor fasciae latae"
    location = "Top, outside (anterolateral side) of the thigh"
    confusable = ["gmed"]
    source = "s"

    """)
GMED = textwrap.dedent("""\
    [[notes]]
    id = "gmed"
    type = "muscle"
    name = "Gluteus medius"
    location = "Outer surface of the ilium"
    confusable = ["tfl"]
    source = "s"
    """)


@pytest.mark.parametrize(
    ("mistake", "expected"),
    [
        # One bad value in a note must not make the notes naming it report "unknown note id".
        (('location = "Top', 'cards = ["basic"]\nlocation = "Top'),
         ["9: unknown card template 'basic' for a muscle note (one of: location, name-from-location, functions, "
          "name-from-functions, group, relations, origin, insertion, innervation, blood-supply, layer, groups, "
          "actions)"]),
        (('type = "muscle"\nname = "Tensor', 'type = "muscel"\nname = "Tensor'),
         ["7: unknown note type 'muscel' (one of: muscle, basic, list)"]),
        (('name = "Tensor fasciae latae"', 'nmae = "Tensor fasciae latae"'),
         ["8: unknown key 'nmae' in a muscle note: did you mean 'name'?"]),
        (('name = "Tensor fasciae latae"', 'name = 3'), ["8: 'name' must be text in quotes"]),
        (('source = "s"\n', 'source = "s"\nsource = "t"\n'), ["12: not valid TOML: Cannot overwrite a value"]),
        (('confusable = ["gmed"]', 'confusable = ["gmax"]'), ["10: confusable names unknown note id 'gmax'"]),
        (('source = "s"\n\n', 'source = "s\n\n'), ["11: not valid TOML: Illegal character '\\n'"]),
    ],
)
def test_validate_prints_each_mistake_once_at_its_line(tmp_path, capsys, mistake, expected):
    old, new = mistake
    text = HEADER + TFL + GMED
    assert old in text
    path = tmp_path / "deck.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{path}:{line}" for line in expected]


def test_a_valid_deck_validates_cleanly(tmp_path, capsys):
    path = tmp_path / "deck.toml"
    path.write_text(HEADER + TFL + GMED, encoding="utf-8")
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (f"{path}: ok: deck 'demo', 2 notes, 4 cards; "
                                                "cards per mode: choice 1, typed 2, select 0, pictures 4, mixed 4")
    with pytest.raises(DeckError):
        load_deck(tmp_path / "none.toml")
