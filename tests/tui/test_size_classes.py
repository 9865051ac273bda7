"""Each screen is styled for the terminal's size from its first style, and still follows a resize."""

from __future__ import annotations

import pytest
from textual.screen import Screen

from hipquiz.tui.screens.help import HelpModal
from hipquiz.tui.screens.study import StudyScreen

SMALL, LARGE = {"-narrow", "-short"}, {"-wide", "-tall"}


@pytest.mark.parametrize("size, classes, other", [((80, 24), LARGE, SMALL), ((40, 12), SMALL, LARGE)])
async def test_screens_have_their_size_classes_before_they_are_first_styled(make_app, monkeypatch, size,
                                                                            classes, other):
    restyled = []  # screens whose size classes changed once styled: Textual restyles every widget
    original = Screen.update_classes

    def spy(screen, changes, update=True, animate=True):
        before = set(screen.classes)
        result = original(screen, changes, update=update, animate=animate)
        if update and set(screen.classes) != before:
            restyled.append(type(screen).__name__)
        return result

    monkeypatch.setattr(Screen, "update_classes", spy)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert classes <= app.screen.classes
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen) and classes <= app.screen.classes
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal) and classes <= app.screen.classes
        assert restyled == []
        # Textual still moves the classes when the terminal changes size.
        await pilot.resize_terminal(120 - size[0], 36 - size[1])
        await pilot.pause()
        assert other <= app.screen.classes and not classes & app.screen.classes
