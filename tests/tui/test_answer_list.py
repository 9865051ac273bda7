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


async def test_the_rows_are_stacked_each_as_tall_as_its_text():
    # AnswerList.arrange arranges the rows at the list's width alone (one arrangement a layout).
    app = ListApp()
    async with app.run_test(size=(30, 20)) as pilot:
        answers = app.query_one(AnswerList)
        await answers.set_options("select", ["short", "an option long enough to wrap onto three lines here",
                                             "another that wraps onto two"])
        await pilot.pause()
        rows = list(answers.query(OptionRow))
        assert [row.region.height for row in rows] == [1, 3, 2]
        assert [row.region.y for row in rows] == [answers.region.y + n for n in (0, 1, 4)]
        assert answers.region.height == 6


class LinesApp(App):
    def compose(self) -> ComposeResult:
        from hipquiz.tui.widgets.card_view import CardView

        yield CardView()


async def test_a_line_set_again_is_redrawn_when_only_its_looks_change():
    # Lines whose text is set again unchanged are left alone (an update lays them out and draws
    # them again); a change of looks alone, same words, must still show.
    from textual.content import Content
    from textual.widgets import Static

    from hipquiz.tui.widgets.card_view import CardView, Verdict, show_text

    app = LinesApp()
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(CardView)
        await view.complete()  # the how-to-answer lines are mounted with a question, or then
        hint = view.query_one(".hint", Static)  # drawn in plain weight
        show_text(hint, Content.assemble(("Where is it?", "bold")))
        await pilot.pause()
        assert all(segment.style.bold for segment in drawn_segments(hint))
        show_text(hint, Content("Where is it?"))
        await pilot.pause()
        assert not any(segment.style.bold for segment in drawn_segments(hint))

        verdict = Verdict()
        await view.mount(verdict)
        verdict.show("✓ Right", "right")
        await pilot.pause()
        right = {segment.style.color for segment in drawn_segments(verdict)}
        verdict.show("✓ Right", "wrong")  # the same words in another state: another colour
        await pilot.pause()
        assert {segment.style.color for segment in drawn_segments(verdict)}.isdisjoint(right)

        row = OptionRow(0)
        await app.query_one(CardView).mount(row)
        row.show("1", Content.assemble(("gluteus medius", "bold")))
        await pilot.pause()
        assert all(segment.style.bold for segment in drawn_segments(row) if "gluteus" in segment.text)
        row.show("1", Content("gluteus medius"))
        await pilot.pause()
        assert not any(segment.style.bold for segment in drawn_segments(row) if "gluteus" in segment.text)


def drawn_segments(widget) -> list:
    """The segments of a widget's lines that carry text."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [segment for line in lines for segment in line if segment.text.strip() and segment.style]
