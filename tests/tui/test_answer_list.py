"""The options list on its own: how its rows are drawn as the highlight and the focus move."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Input

from hipquiz.tui.widgets.answer_list import AnswerList, OptionRow


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield AnswerList()
        yield Input()


def backgrounds(row: OptionRow) -> set[str]:
    """The background colours of every cell of the row, its padding to the right included."""
    lines = row.render_lines(Region(0, 0, row.size.width, row.size.height))
    return {segment.style.bgcolor.get_truecolor().hex for line in lines for segment in line if segment.style}


def colour(app: App, name: str) -> str:
    return Color.parse(app.get_css_variables()[name]).rich_color.get_truecolor().hex


async def test_the_highlight_fills_its_row_and_follows_the_focus():
    app = ListApp()
    async with app.run_test(size=(40, 12)) as pilot:
        answers = app.query_one(AnswerList)
        # The first option wraps: the highlight covers its second line and the space after it.
        await answers.set_options("choice", ["a long option that wraps onto a second line", "short"])
        answers.focus()
        await pilot.pause()
        first, second = answers.query(OptionRow)
        cursor = colour(app, "block-cursor-background")
        assert first.size.height == 2 and backgrounds(first) == {cursor}
        assert cursor not in backgrounds(second)
        await pilot.press("down")
        assert cursor not in backgrounds(first) and backgrounds(second) == {cursor}
        app.query_one(Input).focus()  # without the focus the row keeps a fainter highlight
        await pilot.pause()
        unfocused = backgrounds(second)
        assert len(unfocused) == 1 and cursor not in unfocused and unfocused != backgrounds(first)
        answers.focus()
        await pilot.pause()
        assert backgrounds(second) == {cursor}
