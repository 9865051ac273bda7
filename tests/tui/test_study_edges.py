"""Study-screen edges a new user met: a confirmation left over on the next card, q at the smallest
size, a picture card asked in words at 40x12 after its answer."""

from __future__ import annotations

from textual.widgets import Static

from tui_support import start_studying


def _note(screen) -> str:
    note = screen.query_one("#note", Static)
    return str(note.content) if note.display and note.has_class("-shown") else ""


async def test_the_undone_message_goes_with_the_card_it_brought_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("space", "3", "u")
        await pilot.pause()
        back = screen.card
        assert _note(screen) == "Undone: the card is back"
        await pilot.press("3")  # rated again: the next card is not "back"
        await pilot.pause()
        assert screen.card is not back
        assert _note(screen) == ""


def _too_small_text(app) -> str:
    from hipquiz.tui.screens.too_small import TooSmallModal

    assert isinstance(app.screen, TooSmallModal)
    return str(app.screen.query_one("#too-small-message", Static).content)


async def test_q_at_the_smallest_size_goes_back_as_q_does_on_the_study_screen(make_app):
    from hipquiz.tui.screens.home import HomeScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.resize_terminal(25, 7)
        await pilot.pause()
        assert "q goes back" in _too_small_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # not closed: back on the deck list, still covered
        assert isinstance(app.screen_stack[-2], HomeScreen)
        assert "q quits" in _too_small_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_at_40_columns_a_note_takes_the_progress_place_instead_of_cutting_it(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await start_studying(pilot)
        progress = screen.query_one("#progress", Static)
        await pilot.press("b")  # bury: "Buried until tomorrow" in the title bar
        await pilot.pause()
        bar = screen.query_one(".title-bar")
        assert _note(screen).startswith("Buried")
        note = screen.query_one("#note", Static)
        assert note.region.right <= bar.region.right, "the note is cut"
        assert not progress.display or progress.region.right <= bar.region.right, \
            "the progress cut to fit beside the note"
        screen._clear_note()  # (its timer, run now)
        await pilot.pause()
        assert progress.display and progress.region.right <= bar.region.right
        assert str(progress.render()).endswith("done")
