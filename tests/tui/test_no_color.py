"""NO_COLOR=1: Textual turns every colour grey; a drawing must still show, its lit region shaded."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from hipquiz.core.drawings import shipped_atlas
from hipquiz.tui.widgets.drawing import DrawingView

ATLAS = shipped_atlas()


class DrawingApp(App):
    def __init__(self, lit: str) -> None:
        super().__init__()
        self.lit = lit

    def compose(self) -> ComposeResult:
        yield DrawingView(max_width_fraction=1.0)

    def on_mount(self) -> None:
        view = ATLAS.views[0]
        labels = {t: str(n) for n, t in enumerate((t for t in view.nameable if t != self.lit), start=1)}
        self.query_one(DrawingView).show(view, labels, lit=self.lit)


async def test_a_drawing_shows_in_monochrome_with_its_lit_region_shaded(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    view = ATLAS.views[0]
    app = DrawingApp(view.nameable[0])
    async with app.run_test(size=(80, 24)) as pilot:  # a style without colour crashed the filter here
        await pilot.pause()
        assert app.no_color
        drawing = app.query_one(DrawingView)
        assert drawing.fits
        lines = drawing.render_lines(Region(0, 0, drawing.size.width, drawing.size.height))
        filtered = [strip.apply_filter(f, app.screen.styles.background) for strip in lines
                    for f in app._filters]
        text = "".join(strip.text for strip in filtered)
        assert "▒" in text and "1" in text
        colours = {seg.style.bgcolor for strip in filtered for seg in strip if seg.style and seg.style.bgcolor}
        assert colours and all(c.triplet is None or len(set(c.triplet)) == 1 for c in colours)  # greys only
