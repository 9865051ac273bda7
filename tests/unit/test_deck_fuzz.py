"""Fuzzed deck files (mutated shipped decks, deep nesting, control characters, huge strings): each
loads, or is refused with FILE:LINE messages. Never another exception, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipquiz.core.decks import DeckError, load_deck, shipped_decks_dir

SHIPPED = sorted(shipped_decks_dir().glob("*.toml"))
TEXTS = [p.read_text(encoding="utf-8") for p in SHIPPED]
NASTY = ["[", "]", "{", "}", '"', "'", '"""', "\\", "\\u001b", "\x1b", "\x00", "\x07", "\r", "\x9b", "=",
         "\n", "[[notes]]\n", "#", "¬†", "\ufeff", "a.b.c = 1\n", "x" * 5000, "[" * 600, "{a=" * 300]
LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): \S")


@st.composite
def mutated_deck(draw) -> str:
    text = draw(st.sampled_from(TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if action == "insert":
            piece = draw(st.sampled_from(NASTY) | st.text(max_size=6))
            text = text[:at] + piece + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 200)):]
        else:
            text = text[:at] + text[at:at + 300] * draw(st.integers(2, 5)) + text[at + 300:]
    return text


def assert_loads_or_file_line(path: Path, text: str) -> None:
    try:
        load_deck(path)
    except DeckError as exc:
        assert exc.problems
        lines = text.count("\n") + 2
        for problem in exc.problems:
            shown = str(problem)
            match = LINE.match(shown)
            assert match and match.group("path") == str(path), shown
            assert 0 <= int(match.group("line")) <= lines, shown
            assert "\n" not in shown and "\x1b" not in shown and "\x00" not in shown, shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mutated_deck())
def test_a_mutated_shipped_deck_loads_or_is_refused_with_file_line(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "deck.toml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    assert_loads_or_file_line(path, text)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(depth=st.integers(1, 3000), opener=st.sampled_from(["[", "{a = ", "a."]))
def test_nesting_of_any_depth_loads_or_is_refused_with_file_line(tmp_path_factory, depth, opener):
    closer = {"[": "]", "{a = ": "}", "a.": ""}[opener]
    value = opener * depth + ("1" if opener != "a." else "x = 1") + closer * depth
    text = TEXTS[0] + ("\nbad = " + value if opener != "a." else "\n" + value) + "\n"
    path = tmp_path_factory.mktemp("deep") / "deck.toml"
    path.write_text(text, encoding="utf-8")
    assert_loads_or_file_line(path, text)
