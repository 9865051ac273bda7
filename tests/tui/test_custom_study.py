"""Custom study from the home screen (o) and the command palette's actions and themes."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select
from textual.widgets._select import SelectOverlay

from hipquiz.tui.screens.custom_study import CustomStudyModal
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.study import StudyScreen

from tui_support import saved


async def _open_form(pilot) -> CustomStudyModal:
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CustomStudyModal)
    return pilot.app.screen


async def test_custom_study_cram_with_a_limit_leaves_the_schedule_alone(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot)
        form.query_one("#kind", Select).value = "cram"
        form.query_one("#limit", Input).value = "2"
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        assert "cram" in str(screen.query_one("#deck-name").render())
        assert "2 to practise" in str(screen.query_one("#progress").render())
        await pilot.press("space")
        await pilot.pause()
        # Cram does not schedule: the buttons promise no wait.
        assert str(screen.query_one("#rate-3").label).strip().endswith("Good")
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("space", "3")
        await pilot.pause()
        # The limit ends the session after two answers.
        assert not isinstance(app.screen, StudyScreen)
    with saved(data_dir, store) as reopened:
        assert [r.cram for r in reopened.reviews()] == [True, True]
        assert all(p.reps == 0 for p in reopened.all_progress().values())


async def test_a_wrong_limit_is_explained_in_the_form(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await _open_form(pilot)
        form.query_one("#limit", Input).value = "0"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert "card limit" in str(form.query_one("#custom-study-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_the_palette_offers_the_main_actions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Study Mini hip deck", "Cram Mini hip deck", "Cram today's mistakes", "Custom study",
                       "Statistics", "Cards", "Help", "Theme"):
            assert wanted in titles
        assert any(title.startswith("Mode: ") for title in titles)


async def test_a_chosen_theme_is_remembered(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert store.get_setting("theme") == "nord"
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


def _many_tags_app(tmp_path, store, settings, clock):
    """A deck with 20 tags: more than the custom-study dialog has room for."""
    from hipquiz.core.decks import DeckLibrary, load_deck
    from hipquiz.tui.app import HipquizApp
    from tui_support import collection_of

    notes = "".join(f'\n[[notes]]\nid = "n{i}"\ntype = "basic"\ntags = ["tag-{i:02}"]\nsource = "s"\n'
                    f'question = "Question {i}?"\nanswer = "answer {i}"\n' for i in range(20))
    path = tmp_path / "tags.toml"
    path.write_text('[deck]\nid = "tags"\nname = "Many tags"\n' + notes, encoding="utf-8")
    library = DeckLibrary([load_deck(path)], [])
    return HipquizApp(collection=collection_of(library, store, clock, {"settings": settings}))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_the_open_tag_list_stays_inside_the_dialog(tmp_path, store, settings, clock, size):
    app = _many_tags_app(tmp_path, store, settings, clock)
    async with app.run_test(size=size) as pilot:
        form = await _open_form(pilot)
        await pilot.press("tab", "enter")  # the tag list, opened
        await pilot.pause()
        tag = form.query_one("#tag", Select)
        assert tag.expanded
        listed = tag.query_one(SelectOverlay).region
        inside = form.query_one("#custom-study").region.shrink((1, 1, 1, 1))  # within the border
        assert inside.contains_region(listed), (listed, inside)
        assert listed.height >= 3  # a few tags to choose from, and ↑/↓ scrolls the rest
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert tag.value == "tag-01" and not tag.expanded
