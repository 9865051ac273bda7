"""Edges found by trying hipquiz in a real terminal: what a confirmation covers, Esc while typing,
what the counts say after an answer."""

from __future__ import annotations

from textual.widgets import Input, Static

from hipquiz.tui.screens.confirm import ConfirmModal
from hipquiz.tui.screens.home import HomeScreen
from tui_support import start_studying


def _note(screen) -> str:
    note = screen.query_one("#note", Static)
    return str(note.content) if note.display else ""


async def test_undo_and_bury_confirm_in_the_title_bar_not_over_the_buttons(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("space", "3", "u")
        await pilot.pause()
        assert _note(screen) == "Undone: the card is back"
        await pilot.press("b")
        await pilot.pause()
        assert _note(screen) == "Buried until tomorrow"
        # No toast is left over the answer and rating buttons.
        assert not app._notifications


async def test_undo_with_nothing_to_undo_says_so_and_why(make_app):
    """After reopening there is nothing to take back: `u` says so, not silence."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("u")
        await pilot.pause()
        assert _note(screen) == "Nothing to undo in this session"


async def test_counts_move_with_each_answer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        before = str(screen.query_one("#progress", Static).content)
        await pilot.press("space", "1")
        await pilot.pause()
        after = str(screen.query_one("#progress", Static).content)
        assert before == "3 new · 0 done"
        assert after == "2 new 1 learn · 1 done"


async def test_escape_while_typing_asks_and_can_keep_the_text(make_types_app):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        box = screen.query_one("#typed", Input)
        await pilot.press("g", "l", "u", "t")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and box.value == "glut" and app.focused is box
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_escape_with_an_empty_box_leaves_at_once(make_types_app):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_escape_on_the_home_screen_stays_and_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
