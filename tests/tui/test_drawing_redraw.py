"""A drawing shown again with another region lit (a picture question's answer) redraws only the
rows that changed: what is on screen must be what a drawing shown lit from the start draws."""

from __future__ import annotations

from textual.app import App, ComposeResult

from hipquiz.core.drawings import shipped_atlas
from hipquiz.tui.widgets.drawing import DrawingView

VIEW = shipped_atlas().view("posterior-deep")
LABELS = {term: str(n) for n, term in enumerate(VIEW.nameable, start=1)}


class DrawingApp(App):
    def compose(self) -> ComposeResult:
        # Not focused: a focus change repaints the whole widget, which would hide a row left stale.
        yield DrawingView(max_width_fraction=1.0)


async def screen_after(*lit_in_turn: str | None | tuple[dict[str, str], str | None]) -> tuple[str, DrawingView]:
    """The screen's text and colours once the drawing has been shown lit with each in turn (or
    numbered and lit: a pair)."""
    app = DrawingApp()
    async with app.run_test(size=(60, 24)) as pilot:
        drawing = app.query_one(DrawingView)
        for shown in lit_in_turn:
            labels, lit = shown if isinstance(shown, tuple) else (LABELS, shown)
            drawing.show(VIEW, labels, lit=lit, locked=lit is not None)
            await pilot.pause()
        return app.export_screenshot(), drawing


async def test_a_drawing_relit_shows_what_a_drawing_lit_at_once_shows():
    lit, again = VIEW.nameable[0], VIEW.nameable[-1]
    relit, drawing = await screen_after(None, lit)
    lit_at_once, _ = await screen_after(lit)
    assert drawing.picture is not None and drawing.picture.lit == lit
    assert relit == lit_at_once
    # Lit again elsewhere, then not at all: the rows lit before are drawn plain again.
    assert (await screen_after(None, lit, again))[0] == (await screen_after(again))[0]
    assert (await screen_after(lit, None))[0] == (await screen_after(None))[0]


async def test_a_drawing_numbered_anew_shows_what_a_drawing_numbered_so_at_once_shows():
    # The next "where is it?" question on the same view: only the rows with a number, before or
    # now, or the region lit, are drawn again (DrawingView._drawn_rows).
    terms = list(VIEW.nameable)
    first = {term: str(n) for n, term in enumerate(terms[:4], start=1)}
    second = {term: str(n) for n, term in enumerate(reversed(terms[-4:]), start=1)}
    for steps in ([(first, None), (second, None)], [(first, None), (first, terms[0]), (second, None)]):
        again, drawing = await screen_after(*steps)
        assert again == (await screen_after(steps[-1]))[0], steps
    app = DrawingApp()
    async with app.run_test(size=(60, 24)) as pilot:
        drawing = app.query_one(DrawingView)
        drawing.show(VIEW, first)
        await pilot.pause()
        before = drawing._drawn_rows()
        numbered = {row for (_col, row) in drawing.picture.labels}
        drawing.show(VIEW, second)
        await pilot.pause()
        numbered |= {row for (_col, row) in drawing.picture.labels}
        after = drawing._drawn_rows()
        assert [row for row, (old, new) in enumerate(zip(before, after)) if old is not new] == sorted(numbered)


async def test_another_view_takes_its_own_width():
    # The lateral view is narrow, the posterior-deep one wide: a drawing keeps the proportions
    # of the view it shows, also when it showed another just before.
    lateral = shipped_atlas().view("lateral")
    app = DrawingApp()
    async with app.run_test(size=(60, 24)) as pilot:
        drawing = app.query_one(DrawingView)
        drawing.show(VIEW, LABELS)
        await pilot.pause()
        wide = drawing.size.width
        drawing.show(lateral, {lateral.nameable[0]: "1"})
        await pilot.pause()
        assert drawing.picture is not None and drawing.size.width < wide * 0.7
        assert drawing.picture.cols <= drawing.size.width


async def test_the_drawing_looks_the_same_focused_or_not():
    # DrawingView.watch_has_focus restyles nothing: were a style to depend on the drawing's focus,
    # it must restyle the drawing again.
    app = DrawingApp()
    async with app.run_test(size=(60, 24)) as pilot:
        drawing = app.query_one(DrawingView)
        drawing.show(VIEW, LABELS)
        looks = []
        for focused in (True, False):
            app.set_focus(drawing if focused else None)
            await pilot.pause()
            assert drawing.has_focus == focused
            app.stylesheet.update_nodes([drawing])
            looks.append(drawing.styles.get_render_rules())
        assert looks[0] == looks[1]
