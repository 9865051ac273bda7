"""An answer is saved off the event loop: the next card is shown while it is written, keys that would
touch the store wait for the save, a failed save brings the card back."""

from __future__ import annotations

import asyncio
import threading

from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen

from tui_support import text_of, until


async def press_now(pilot, *keys: str) -> None:
    """Keys as a person presses them, without waiting for saves (Pilot.press does, see conftest)."""
    await pilot.app._press_keys(keys)
    await asyncio.sleep(0.05)


def slow_saves(screen, monkeypatch) -> threading.Event:
    """Saves that wait until the returned event is set (and must run off the event loop)."""
    release = threading.Event()
    real_save = screen.session.save

    def slow_save(given):
        assert threading.current_thread() is not threading.main_thread(), "saved on the event loop"
        release.wait(10)
        real_save(given)

    monkeypatch.setattr(screen.session, "save", slow_save)
    return release


async def test_the_next_card_is_shown_while_the_answer_is_saved(make_app, store, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        release = slow_saves(screen, monkeypatch)
        first = screen.card
        await pilot.press("space")
        await press_now(pilot, "3")
        # The next question is on screen at once, while the answer is still being written.
        await until(lambda: screen.card is not first, "the next card shown while saving")
        second = screen.card
        assert second is not first and not release.is_set() and store.reviews() == []
        assert text_of(screen, ".prompt") == second.prompt
        await press_now(pilot, "space")
        await until(lambda: screen.revealed, "the next card's answer shown while saving")
        # A rating meanwhile is taken once the answer before it is saved, and not before.
        await press_now(pilot, "1")
        assert screen.card is second and store.reviews() == []
        release.set()
        await pilot.pause()
        assert [(r.card_id, r.rating) for r in store.reviews()] == [(first.id, 3), (second.id, 1)]
        assert screen.card not in (first, second) and not screen.revealed


async def test_undo_pressed_while_saving_undoes_that_answer_once_saved(make_app, store, monkeypatch):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        release = slow_saves(screen, monkeypatch)
        first = screen.card
        await pilot.press("space")
        await press_now(pilot, "3", "u")
        # The rating moved on at once; the undo waits for its save (a key held, not yet done).
        await until(lambda: screen.card is not first and screen._after_save is not None,
                    "the rating shown and the undo held while saving")
        release.set()
        await until(lambda: screen.card is first, "the held undo bringing the card back")
        await pilot.pause()
        assert store.reviews() == []
        assert screen.card is first and screen.revealed, "the undone card comes back with its answer shown"
        assert text_of(screen, ".prompt") == first.prompt
        assert text_of(screen, "#progress") == "3 new · 0 done"


async def test_escape_while_saving_leaves_once_the_answer_is_saved(make_app, store, monkeypatch):
    release = threading.Event()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        real_save = screen.session.save
        monkeypatch.setattr(screen.session, "save", lambda given: release.wait(10) and real_save(given))
        await pilot.press("space")
        await press_now(pilot, "3", "escape")
        assert app.screen is screen
        release.set()
        await until(lambda: isinstance(app.screen, HomeScreen), "leaving once the answer was saved")
        assert [r.rating for r in store.reviews()] == [3]
