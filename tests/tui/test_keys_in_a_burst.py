"""Keys typed in one burst on the home screen (a fast typist, a paste): the ones behind Enter belong
to the card that Enter opens, not to the home screen's commands; and keys behind q (quit) are not
run while the app closes."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.stats import StatsScreen

from tui_support import START, post_keys, until


def letters(word: str) -> list[tuple[str, str]]:
    return [(letter, letter) for letter in word]


@pytest.fixture
def no_wait_ends_by_itself(monkeypatch):
    """Held keys wait for what they wait for, not for the longest wait (longer than a test waits)."""
    from hipquiz.tui import app as app_module

    monkeypatch.setattr(app_module, "SCREEN_WAIT_SECONDS", 60)


async def test_an_answer_typed_right_behind_enter_goes_to_the_card(make_types_app, no_wait_ends_by_itself):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # "s" opens statistics and "q" quits on the home screen; "c" opens the card browser.
        post_keys(app, ("enter", "\r"), *letters("quads"))
        await until(lambda: app.screen.query("#typed") and app.screen.query_one("#typed", Input).value == "quads",
                    "the typed answer to reach the card's text box")
        assert not any(isinstance(screen, StatsScreen) for screen in app.screen_stack)
        assert app.is_running and app.crashed is None


async def test_keys_behind_q_are_not_run_while_the_app_closes(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        post_keys(app, ("q", "q"), ("c", "c"), ("s", "s"))
        await until(lambda: not app.is_running, "the app to close")
    assert app.crashed is None


async def test_keys_wait_no_longer_than_the_deck_chosen_needs(make_app, store, library, no_wait_ends_by_itself):
    # Nothing to study in the deck: Enter says so and opens nothing; the key behind it then runs.
    from hipquiz.core.session import set_suspended

    for card in library.decks[0].cards:
        set_suspended(store, make_app().scheduler, card, True, START)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        post_keys(app, ("enter", "\r"), ("s", "s"))
        await until(lambda: isinstance(app.screen, StatsScreen), "the key behind Enter to open statistics")
