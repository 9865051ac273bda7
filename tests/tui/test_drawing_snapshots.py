"""Each view with each of its muscles (and the IT band, the sciatic nerve) lit, at 80x24: one
snapshot per region. Regenerate with --snapshot-update and look at the SVGs before accepting."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from hipquiz.core.drawings import shipped_atlas
from hipquiz.tui.widgets.drawing import DrawingView

ATLAS = shipped_atlas()
CASES = [(view.id, term) for view in ATLAS.views for term in view.nameable]


class DrawingApp(App):
    CSS = "Static { height: 1; }"

    def __init__(self, view_id: str, lit: str) -> None:
        super().__init__()
        self.view_id, self.lit = view_id, lit

    def compose(self) -> ComposeResult:
        yield Static(f"{self.view_id}: {self.lit} lit", markup=False)
        yield DrawingView(max_width_fraction=1.0)

    def on_mount(self) -> None:
        view = ATLAS.view(self.view_id)
        others = {t: str(n) for n, t in enumerate((t for t in view.nameable if t != self.lit), start=1)}
        self.query_one(DrawingView).show(view, others, lit=self.lit)


@pytest.mark.parametrize("view_id, term", CASES, ids=[f"{v}-{t}" for v, t in CASES])
def test_view_with_region_lit(snap_compare, view_id, term):
    assert snap_compare(DrawingApp(view_id, term), terminal_size=(80, 24))
