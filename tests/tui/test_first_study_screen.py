"""`hipquiz study` opens on the study screen alone (no home screen under it): each way out of it
reaches a complete home screen, and what opens over it comes back to the same session."""

from __future__ import annotations

from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen
from hipquiz.tui.screens.summary import SummaryScreen
from hipquiz.tui.screens.too_small import TooSmallModal


async def test_from_the_summary_of_the_first_study_screen_enter_goes_home(make_app):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen) and len(app.screen_stack) == 1
        await pilot.press("space", "4", "space", "4", "space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_q_on_a_too_small_first_study_screen_leaves_for_home(make_app):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(30, 10)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallModal)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, TooSmallModal) and isinstance(app.screen_stack[0], HomeScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_statistics_from_the_palette_come_back_to_the_same_session(make_app):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        study = app.screen
        app.open_stats()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is study
        await pilot.press("space", "3")
        await pilot.pause()
        assert study.card is not None
