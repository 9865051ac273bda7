"""An answer is saved off the event loop: keys wait for the save, a failed save keeps the card."""

from __future__ import annotations

import asyncio
import threading

from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen


async def press_now(pilot, *keys: str) -> None:
    """Keys as a person presses them, without waiting for saves (Pilot.press does, see conftest)."""
    await pilot.app._press_keys(keys)
    await asyncio.sleep(0.05)


async def test_keys_pressed_while_an_answer_is_saved_do_nothing(make_app, store, monkeypatch):
    release = threading.Event()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        real_answer = screen.session.answer

        def slow_answer(*args, **kwargs):
            assert threading.current_thread() is not threading.main_thread(), "saved on the event loop"
            release.wait(10)
            return real_answer(*args, **kwargs)

        monkeypatch.setattr(screen.session, "answer", slow_answer)
        first = screen.card
        await pilot.press("space")
        await press_now(pilot, "3")
        # Saving: the screen still draws, and what is pressed meanwhile is not acted on.
        await press_now(pilot, "space", "1", "u", "b")
        assert screen.card is first and not release.is_set()
        assert store.reviews() == []
        release.set()
        await pilot.pause()
        assert screen.card is not first
        assert [r.rating for r in store.reviews()] == [3]
        assert not screen.revealed, "the keys pressed during the save did not reach the next card"


async def test_escape_while_saving_leaves_once_the_answer_is_saved(make_app, store, monkeypatch):
    release = threading.Event()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        screen = app.screen
        real_answer = screen.session.answer
        monkeypatch.setattr(screen.session, "answer",
                            lambda *a, **k: release.wait(10) and real_answer(*a, **k))
        await pilot.press("space")
        await press_now(pilot, "3", "escape")
        assert app.screen is screen
        release.set()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [r.rating for r in store.reviews()] == [3]
