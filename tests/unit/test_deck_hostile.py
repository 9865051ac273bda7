"""Hostile or broken deck files: each refused with FILE:LINE, skipped, never a hang or a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hipquiz.cli import main
from hipquiz.core.decks import MAX_DECK_BYTES, DeckError, load_deck, load_library

GOOD = """\
[deck]
id = "mine"
name = "My deck"

[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "Femur"
source = "your thigh bone (femur bone)"
"""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    return [str(p) for p in caught.value.problems]


def test_a_deck_nested_a_thousand_levels_deep_is_reported_at_its_line(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text(GOOD + "tags = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    problems = problems_of(path)
    assert problems == [f"{path}:11: lists or tables nested more than 16 levels deep (a deck needs 2)"]


@pytest.mark.parametrize("deep", [
    "x = " + "{a = " * 1000 + "1" + "}" * 1000,
    "x" + ".a" * 1000 + " = 1",
], ids=["inline-tables", "dotted-keys"])
def test_deep_inline_tables_and_dotted_keys_are_refused(tmp_path, deep):
    path = tmp_path / "deep.toml"
    path.write_text(GOOD + deep + "\n", encoding="utf-8")
    problems = problems_of(path)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:11: ") and "nested" in problems[0]


def test_a_deep_deck_in_the_deck_folder_is_skipped_and_the_others_still_work(tmp_path, capsys):
    decks = tmp_path / "data" / "decks"
    decks.mkdir(parents=True)
    (decks / "deep.toml").write_text(GOOD.replace("mine", "deep") + "tags = " + "[" * 1000 + "]" * 1000,
                                     encoding="utf-8")
    (decks / "mine.toml").write_text(GOOD, encoding="utf-8")
    assert main(["--data", str(tmp_path / "data"), "decks"]) == 1
    out, err = capsys.readouterr()
    assert "mine " in out
    assert f"{decks / 'deep.toml'}:11: " in err and "Traceback" not in err


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x00", "\x08", "\x7f", "\x9b", "\r"],
                         ids=["esc", "bel", "nul", "backspace", "del", "csi", "cr"])
def test_a_raw_control_character_is_refused_at_its_line(tmp_path, char):
    path = tmp_path / "ctl.toml"
    text = GOOD.replace('answer = "Femur"', f'answer = "Fe{char}mur"')
    path.write_bytes(text.encode("utf-8"))
    problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:9: control character U+{ord(char):04X}")
    assert char not in problems[0]


@pytest.mark.parametrize("escape", [r"\u001b]0;pwned\u0007", r"\u009b2J", r"\b", r"\f", r"\r", r"\u0000"])
def test_a_control_character_written_as_an_escape_is_refused_at_its_line(tmp_path, escape):
    path = tmp_path / "ctl.toml"
    path.write_text(GOOD.replace('question = "What', f'question = "{escape}What'), encoding="utf-8")
    problems = problems_of(path)
    assert problems and problems[0].startswith(f"{path}:8: control character written as '\\")
    assert all(p.startswith(f"{path}:8: ") for p in problems)


def test_control_characters_in_the_deck_table_and_in_lists_are_refused(tmp_path):
    path = tmp_path / "ctl.toml"
    text = GOOD.replace('name = "My deck"', r'name = "My \u001b[2J deck"') + 'tags = ["ok", "b\\u001bad"]\n'
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert [p.split(": ")[0] for p in problems] == [f"{path}:3", f"{path}:11"]


def test_tab_and_newline_are_allowed(tmp_path):
    path = tmp_path / "ok.toml"
    path.write_text(GOOD.replace('answer = "Femur"', 'answer = "Fe\\tmur\\nbone"').replace("\n", "\r\n"),
                    encoding="utf-8")
    assert load_deck(path).cards[0].answer


def test_a_file_name_with_control_characters_is_printed_without_them(tmp_path, capsys):
    path = tmp_path / "bad\x1b]0;pwned\x07.toml"
    path.write_text("not toml at all", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "]0;pwned.toml:1: not valid TOML" in err


def test_a_deck_over_the_size_limit_is_refused_at_once(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(GOOD + "# " + "x" * MAX_DECK_BYTES + "\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}:1: the deck file is larger than 1 MB; split it into smaller decks"]


def test_a_fifo_named_like_a_deck_is_skipped_without_waiting(tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    os.mkfifo(decks / "pipe.toml")
    (decks / "dev.toml").symlink_to("/dev/zero")
    (decks / "mine.toml").write_text(GOOD, encoding="utf-8")
    library = load_library(decks)
    assert "mine" in [d.id for d in library.decks]
    assert sorted(str(p) for p in library.problems) == [
        f"{decks / 'dev.toml'}:1: not a regular file; a deck must be a .toml file",
        f"{decks / 'pipe.toml'}:1: not a regular file; a deck must be a .toml file",
    ]


def test_the_size_limit_is_documented():
    readme = (Path(__file__).resolve().parents[2] / "decks" / "README.md").read_text(encoding="utf-8")
    assert "1 MB" in readme and "control character" in readme
