"""At 40x12 every screen's footer shows whole keys, Help and the way back among them; the keys left
out are in the command palette (Ctrl+P, shown as "more") and the help screen."""

from __future__ import annotations

import pytest

from hipquiz.tui.screens.home import HomeScreen


def bottom_line(app) -> str:
    return app.screen._compositor.render_strips()[-1].text.rstrip()


# (keys from the home screen, words the footer must show).
SCREENS = [
    ([], ("⏎ Study", "q Quit", "? Help", "^p more")),
    (["enter"], ("space Show answer", "q Back", "? Help")),
    (["enter", "space"], ("q Back", "u Undo", "! Suspend", "? Help")),
    (["s"], ("q Back", "? Help")),
    (["c"], ("/ Search", "q Back", "? Help", "^p more")),
    (["c", "enter"], ("e Edit note", "q Back", "? Help")),
    (["c", "a"], ("^s Save", "esc Cancel")),
    (["o"], ("esc Cancel", "^s Start")),
    (["question_mark"], ("esc Close",)),
]


@pytest.mark.parametrize("keys, shown", SCREENS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
async def test_every_footer_at_40_by_12_shows_whole_keys_help_and_the_way_back(make_app, keys, shown):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        line = bottom_line(app)
        for words in shown:
            assert words in line, line
        # Nothing cut at the edge: the line ends with a whole key's words.
        assert len(line) < 40 and line.split()[-1] in {w.split()[-1] for w in shown} | {"more", "palette", "Help"}, line


async def test_the_footer_comes_back_whole_when_the_terminal_widens(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert "s Stats" not in bottom_line(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        for words in ("⏎ Study", "q Quit", "m Mode", "c Cards", "s Stats", "o Custom", "? Help", "^p palette"):
            assert words in bottom_line(app)
