"""The options list on its own: how its rows are drawn as the highlight and the focus move."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region
from textual.widgets import Input

from hipquiz.tui.widgets.answer_list import AnswerList

from tui_support import option_lines


class ListApp(App):
    def compose(self) -> ComposeResult:
        yield AnswerList()
        yield Input()


def backgrounds(lines) -> set[str]:
    """The background colours of every cell of an option's lines, the space to the right included."""
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
        first, second = option_lines(answers)
        cursor = colour(app, "block-cursor-background")
        assert len(first) == 2 and backgrounds(first) == {cursor}
        assert cursor not in backgrounds(second)
        await pilot.press("down")
        first, second = option_lines(answers)
        assert cursor not in backgrounds(first) and backgrounds(second) == {cursor}
        app.query_one(Input).focus()  # without the focus the row keeps a fainter highlight
        await pilot.pause()
        first, second = option_lines(answers)
        unfocused = backgrounds(second)
        assert len(unfocused) == 1 and cursor not in unfocused and unfocused != backgrounds(first)
        answers.focus()
        await pilot.pause()
        assert backgrounds(option_lines(answers)[1]) == {cursor}


async def wrapping_options(app, pilot) -> AnswerList:
    """The list at 30 columns with options of one, three and two lines."""
    answers = app.query_one(AnswerList)
    await answers.set_options("select", ["short", "an option long enough to wrap onto three lines here",
                                         "another that wraps onto two"])
    await pilot.pause()
    return answers


async def test_the_options_are_stacked_each_as_tall_as_its_text():
    app = ListApp()
    async with app.run_test(size=(30, 20)) as pilot:
        answers = await wrapping_options(app, pilot)
        assert answers.row_spans() == [(0, 1), (1, 3), (4, 2)]
        assert [lines[0].text.split()[:3] for lines in option_lines(answers)] == \
            [["1", "[", "]"], ["2", "[", "]"], ["3", "[", "]"]]
        assert answers.region.height == 6


async def test_a_click_picks_the_option_under_it_whichever_of_its_lines():
    app = ListApp()
    async with app.run_test(size=(30, 20)) as pilot:
        answers = await wrapping_options(app, pilot)
        await pilot.click(AnswerList, offset=(10, 3))  # the last line of the second option
        await pilot.click(AnswerList, offset=(2, 4))  # the first of the third
        assert answers.ticked == {1, 2} and answers.highlighted == 2


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


def drawn_segments(widget) -> list:
    """The segments of a widget's lines that carry text."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [segment for line in lines for segment in line if segment.text.strip() and segment.style]
