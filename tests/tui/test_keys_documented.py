"""Every key the home and study screens (and the app) bind is in the help screen and the README's
key table, and every command of the CLI's real command table is in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding

from hipquiz.cli import build_parser
from hipquiz.tui.app import HipquizApp
from hipquiz.tui.screens.help import KEYS
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
NAMES = {"space": "Space", "enter": "Enter", "escape": "Esc", "question_mark": "?", "exclamation_mark": "!",
         "left_square_bracket": "[", "right_square_bracket": "]", "up": "↑", "down": "↓"}


def shown(key: str) -> str:
    """How people (and the help screen) write a Textual key name: ctrl+z is Ctrl+Z."""
    if key in NAMES:
        return NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    return key.upper() if re.fullmatch(r"f\d+", key) else key


def bound_keys() -> list[tuple[str, str]]:
    found = []
    for owner in (HipquizApp, HomeScreen, StudyScreen):
        for binding in owner.BINDINGS:
            keys = binding.key if isinstance(binding, Binding) else binding[0]
            found += [(owner.__name__, key.strip()) for key in keys.split(",")]
    return found


HELP = "\n".join(f"{key}  {what}" for _section, rows in KEYS for key, what in rows)
README_KEYS = "\n".join(line for line in README.splitlines() if line.startswith("| "))


def mentioned(text: str, key: str) -> bool:
    if len(key) == 1 and key.isalnum():  # a letter or digit: as a word of its own ("u", "1 2 3 4", "1-4")
        return re.search(rf"(?<![\w+]){re.escape(key)}(?!\w)|\b1[-–]4\b" if key in "1234" else
                         rf"(?<![\w+]){re.escape(key)}(?!\w)", text) is not None
    return key in text or (key == "Esc" and "Escape" in text)


@pytest.mark.parametrize("owner, key", bound_keys())
def test_every_bound_key_is_in_the_help_screen_and_the_readme(owner, key):
    assert mentioned(HELP, shown(key)), f"{owner} binds {key!r} ({shown(key)}): not on the help screen"
    assert mentioned(README_KEYS, shown(key)), f"{owner} binds {key!r} ({shown(key)}): not in README's keys"


def commands() -> list[str]:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(subparsers.choices)


@pytest.mark.parametrize("command", commands())
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"^hipquiz {re.escape(command)}\b", README, re.MULTILINE), \
        f"'hipquiz {command}' is not in README's command list"
