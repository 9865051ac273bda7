"""Terminals that cannot show everything: 16 colours, no colour, no Unicode symbols."""

from __future__ import annotations

from hipquiz.tui.app import starting_theme
from hipquiz.tui.glyphs import ascii_only

THEMES = {"textual-dark": object(), "nord": object(), "ansi-dark": object()}


def test_a_16_colour_terminal_starts_in_the_ansi_theme_unless_one_was_chosen():
    assert starting_theme(None, "standard", THEMES) == "ansi-dark"
    assert starting_theme(None, "truecolor", THEMES) is None
    assert starting_theme(None, "256", THEMES) is None
    assert starting_theme("nord", "standard", THEMES) == "nord"
    # A saved theme this Textual does not have (an older or newer one) is ignored.
    assert starting_theme("gone", "truecolor", THEMES) is None


def test_ascii_marks_on_the_linux_console_a_c_locale_or_when_asked():
    assert ascii_only({"TERM": "linux"}, "utf-8")
    assert ascii_only({"TERM": "xterm-256color", "HIPQUIZ_ASCII": "1"}, "utf-8")
    assert ascii_only({"TERM": "xterm"}, "ascii")
    assert not ascii_only({"TERM": "xterm-256color"}, "utf-8")
    assert not ascii_only({"TERM": "xterm", "HIPQUIZ_ASCII": "0"}, "utf-8")


async def test_a_saved_theme_colours_the_first_screen_without_restyling_it(make_app, store, monkeypatch):
    from textual.app import App
    from textual.color import Color

    from hipquiz.tui.app import HipquizApp

    store.set_setting("theme", "nord")
    restyles = []  # Textual's whole-CSS refresh: a theme set once the app runs restyles every widget
    monkeypatch.setattr(HipquizApp, "refresh_css", lambda app, animate=True: (restyles.append(app),
                                                                              App.refresh_css(app, animate)))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.screen.styles.background == Color.parse(app.get_theme("nord").background)
    assert restyles == []


async def test_the_ansi_theme_of_a_16_colour_terminal_is_not_saved_as_the_users_choice(make_app, store,
                                                                                       monkeypatch):
    from textual import constants
    from textual.app import App
    from textual.color import Color

    from hipquiz.tui.app import HipquizApp

    monkeypatch.setattr(constants, "COLOR_SYSTEM", "standard")
    restyles = []  # the ANSI theme is the app's from its first style, as a saved theme is
    monkeypatch.setattr(HipquizApp, "refresh_css", lambda app, animate=True: (restyles.append(app),
                                                                              App.refresh_css(app, animate)))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "ansi-dark"
        assert app.screen.styles.background == Color.parse(app.get_theme("ansi-dark").background)
    assert restyles == []
    # On a terminal with more colours the next time, hipquiz opens in its usual theme.
    assert store.get_setting("theme", None) is None
