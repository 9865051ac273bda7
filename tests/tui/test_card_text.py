"""The card view's lines are updated only when what they show changes (card_view.show_text; the
verdict's colour drawn from its state): what is shown must still follow each card."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from hipquiz.tui.widgets import CardView

from tui_support import drawn, start_studying, theme_colour


def colour_of(line: Static) -> str:
    return drawn(line).colour


async def test_the_verdict_takes_the_colour_of_each_answer(make_types_app):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        line = screen.query_one(".verdict", Static)
        # Right, then (a card on) wrong, wrong again, then right: each verdict in its colour,
        # also after a card whose verdict was cleared while hidden.
        for answer, colour in (("TFL", "text-success"), ("", "text-error"), ("", "text-error"),
                               (None, "text-success")):
            if answer is None:
                answer = screen.question.card.answer
            await pilot.press(*("space" if ch == " " else ch for ch in answer), "enter")
            await pilot.pause()
            assert screen.revealed and line.display
            assert colour_of(line) == theme_colour(app, colour), (answer, str(line.content))
            await pilot.press("enter")
            await pilot.pause()
            assert not line.display


async def test_a_line_shown_again_with_other_styles_shows_them(make_types_app):
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        view = screen.query_one(CardView)
        line = screen.query_one(".verdict", Static)
        view.show_verdict(Content.assemble(("Not answered", "bold")), "error")
        await pilot.pause()
        view.show_verdict(Content("Not answered"), "error")
        await pilot.pause()
        assert line.content.plain == "Not answered" and not line.content.spans
        prompt = str(screen.query_one(".prompt", Static).content)
        await pilot.press("enter", "enter")  # the verdict, then the next card
        await pilot.pause()
        assert str(screen.query_one(".prompt", Static).content) != prompt


async def test_the_card_looks_the_same_focused_or_not(make_types_app):
    # CardView.watch_has_focus restyles nothing: were a style to depend on the card's focus, it
    # must restyle the card again.
    app = make_types_app("typed")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        view = screen.query_one(CardView)
        looks = {}
        for focused in (False, True, False):
            if focused:
                view.focus()
            else:
                screen.query_one("#typed").focus()
            await pilot.pause()
            assert view.has_focus == focused
            app.stylesheet.update_nodes(view.walk_children(with_self=True))
            seen = {node: node.styles.get_render_rules() for node in view.walk_children(with_self=True)
                    if node is not screen.query_one("#typed")}
            looks.setdefault(focused, seen)
        assert looks[True] == looks[False]
