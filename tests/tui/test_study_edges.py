"""Study-screen edges a new user met: a confirmation left over on the next card, q at the smallest
size, a picture card asked in words at 40x12 after its answer."""

from __future__ import annotations

from textual.widgets import Static

from hipquiz.tui.screens.study import StudyScreen


async def _study(pilot) -> StudyScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StudyScreen)
    return pilot.app.screen


def _note(screen) -> str:
    note = screen.query_one("#note", Static)
    return str(note.content) if note.display and note.has_class("-shown") else ""


async def test_the_undone_message_goes_with_the_card_it_brought_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _study(pilot)
        await pilot.press("space", "3", "u")
        await pilot.pause()
        back = screen.card
        assert _note(screen) == "Undone: the card is back"
        await pilot.press("3")  # rated again: the next card is not "back"
        await pilot.pause()
        assert screen.card is not back
        assert _note(screen) == ""
