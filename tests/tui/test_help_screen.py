"""The help screen reads well at any width: keys beside what they do when there is room, above it
when there is not (a 15-column key column would leave a 40-column terminal two words a line)."""

from __future__ import annotations

import pytest

from hipquiz.tui.screens.help import HelpModal


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size, beside", [((80, 24), True), ((40, 12), False)])
async def test_a_key_and_what_it_does_share_a_line_only_when_there_is_room(make_app, size, beside):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        line = next(line for line in screen_lines(app) if "Enter / click" in line)
        assert ("study the" in line) == beside, line
        if not beside:
            at = screen_lines(app).index(line)
            assert "study the highlighted deck" in screen_lines(app)[at + 1]
