"""Leaving a screen while its callbacks are still queued: nothing may touch the dismissed screen.

`hipquiz study --mode choice`, press 1 then Escape at once: the verdict's scroll ran after the
study screen was gone and crashed with NoMatches '.verdict'.
"""

from __future__ import annotations

from textual import events

from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen


def quick_keys(app, *keys: str) -> None:
    """Queue the keys at once, as a quick hand types them (Pilot.press waits for each to be handled)."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_answer_then_escape_at_once_never_crashes(make_types_app):
    app = make_types_app("choice")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(6):
            await pilot.press("enter")
            await pilot.pause()
            if not isinstance(app.screen, StudyScreen):
                break
            quick_keys(app, "1", "escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
    assert app.return_code is None  # still running when the test closed it: nothing ended it


async def test_rate_then_escape_while_the_alias_offer_opens_leaves_no_modal_behind(make_types_app, store):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"thing", "enter")
        await pilot.pause()
        # Good on a wrong typed answer offers to keep it as an alias: Esc before the offer shows.
        quick_keys(app, "3", "escape")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), app.screen_stack
        assert len(app.screen_stack) == 1
    assert app.return_code is None  # still running when the test closed it: nothing ended it
    assert [r.rating for r in store.reviews()] == [3], "the answer given before Esc is saved"

