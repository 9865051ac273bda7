"""A drawn view of the hip: regions in half-block cells, numbered, one of them lit.

The core lays the view out for the widget's size (``hipquiz.core.raster.layout``); this widget
only colours the cells. Colours are entries of the standard 16-colour palette, so they look the
same, and stay apart, in a 16-colour terminal. A lit region is also filled with a shading pattern
(▒), so that it stands out without colour too.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import TYPE_CHECKING, Mapping

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from hipquiz.core.raster import EMPTY, Picture, layout, relit

if TYPE_CHECKING:  # the drawings' module loads with the first view shown, not with the study screen
    from hipquiz.core.drawings import View

# The standard 16-colour palette (as Rich downgrades to it), by name.
_PALETTE = {
    "red": (170, 0, 0), "magenta": (170, 0, 170), "brown": (170, 85, 0), "bright_red": (255, 85, 85),
    "white": (170, 170, 170), "bright_white": (255, 255, 255), "bright_black": (85, 85, 85),
    "bright_yellow": (255, 255, 85), "cyan": (0, 170, 170), "green": (0, 170, 0),
    "bright_green": (85, 255, 85), "black": (0, 0, 0),
}
# (kind, shade) → colour name; muscles have four shades, bones two.
_COLOURS = {
    ("muscle", 0): "red", ("muscle", 1): "magenta", ("muscle", 2): "brown", ("muscle", 3): "bright_red",
    ("bone", 0): "white", ("bone", 1): "bright_white", ("outline", 0): "bright_black",
    ("nerve", 0): "bright_yellow", ("band", 0): "cyan",
}
_LIT = "bright_green"
_LIT_DARK = "green"
_LIGHT = {"white", "bright_white", "bright_yellow", "cyan", "bright_green", "bright_red"}
# Every segment carries a style, even a blank one: Textual's monochrome filter (NO_COLOR=1) reads
# each segment's colours and fails on a segment without a style.
_PLAIN = Style()
# Rows under the picture: which way its edges face.
CAPTION_ROWS = 1


def _rgb(name: str) -> str:
    r, g, b = _PALETTE[name]
    return f"rgb({r},{g},{b})"


@functools.lru_cache(maxsize=256)
def _segment(text: str, colour: str | None = None, background: str | None = None, bold: bool = False) -> Segment:
    """A cell drawn in palette colours (by name). Kept: a drawing has ~1,000 cells of a few
    dozen kinds, and making their styles afresh cost milliseconds a frame."""
    return Segment(text, Style(color=_rgb(colour) if colour else None,
                               bgcolor=_rgb(background) if background else None, bold=bold or None))


@functools.lru_cache(maxsize=64)
def _laid_out(view: View, cols: int, rows: int, labels: tuple[tuple[str, str], ...], lit: str | None) -> Picture | None:
    """``layout`` kept for the few views, sizes, numberings and lit regions a session shows. A
    question's drawing with its answer lit is the asked one relit, not laid out again: the same
    cells and numbers, so only the rows with the region lit are drawn again (see _drawn_rows)."""
    if lit is None:
        return layout(view, cols, rows, dict(labels))
    unlit = _laid_out(view, cols, rows, labels, None)
    return relit(unlit, lit) if unlit is not None else None


class DrawingView(Widget, can_focus=True):
    """Shows one view at the size it is given, with ``labels`` (term → number text) and ``lit``.

    Posts ``Fitted`` whenever the view becomes legible or stops being so at a new size (the
    question then falls back to words), and ``Picked`` when a region is clicked or its number
    pressed. Once ``locked`` (the question is answered) it takes no more keys or clicks.
    """

    BINDINGS = [Binding(str(n), f"number({n})", str(n), show=False) for n in range(1, 10)]

    DEFAULT_CSS = """
    DrawingView {
        width: auto;
        height: 1fr;
        min-width: 16;
    }
    """

    class Fitted(Message):
        def __init__(self, drawing: DrawingView, fits: bool) -> None:
            super().__init__()
            self.drawing = drawing
            self.fits = fits

        @property
        def control(self) -> DrawingView:
            return self.drawing

    class Picked(Message):
        """A region picked: clicked (``terms`` lists what is drawn in that cell, lower half first)
        or its number pressed (the one term numbered so)."""

        def __init__(self, drawing: DrawingView, terms: tuple[str, ...]) -> None:
            super().__init__()
            self.drawing = drawing
            self.terms = terms

        @property
        def control(self) -> DrawingView:
            return self.drawing

    def __init__(self, *, id: str | None = None, classes: str | None = None,
                 max_width_fraction: float = 0.6) -> None:
        super().__init__(id=id, classes=classes)
        self.view: View | None = None
        self.labels: dict[str, str] = {}
        self.lit: str | None = None
        self.picture: Picture | None = None
        self._fits: bool | None = None
        # (size, view, labels, lit) the picture was laid out for.
        self._laid_out_for: tuple[Size, View | None, tuple[tuple[str, str], ...], str | None] | None = None
        self._max_width_fraction = max_width_fraction
        self.locked = False
        # The picture's rows drawn, for the picture, width and colours they were drawn for.
        self._rows_for: tuple[Picture, int] | None = None
        self._rows: tuple[Strip, ...] = ()
        self._row_colours: dict[int, str | None] = {}

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyles nothing: no style of the drawing depends on its focus, which moves to it for
        every picture question and away once it is answered (Textual restyled it each time;
        tests/tui/test_drawing_redraw.py checks its styles are the same focused or not)."""

    # -- content -------------------------------------------------------------------------------

    def show(self, view: View | None, labels: Mapping[str, str] | None = None, lit: str | None = None,
             *, locked: bool = False) -> None:
        """Draw ``view`` (None: nothing) numbered with ``labels`` and ``lit`` lit."""
        self.locked = locked
        if view is None and self.view is None:
            return  # still nothing (most cards): no layout asked for
        labels = dict(labels or {})
        if (view is self.view and self.picture is not None
                and self._laid_out_for is not None and self._laid_out_for[0] == self.content_size):
            # The same view at the same size, another region lit (the answer shown) or other
            # numbers (the next question on it): the same cells; only the rows with a number or
            # the region lit, before or now, are drawn again.
            before = self._drawn_rows()
            self.labels = labels
            self.lit = lit
            self._relayout()
            after = self._drawn_rows()
            if before is not None and after is not None and len(before) == len(after):
                _, top = self._offsets()
                width = self.content_size.width
                for row, (old, new) in enumerate(zip(before, after)):
                    if old is not new:
                        self.refresh(Region(0, top + row, width, 1))
            else:
                self.refresh()
            return
        width_changes = view is not self.view
        self.view = view
        self.labels = labels
        self.lit = lit
        self._fits = None
        self._relayout()
        # Its width follows the view alone (get_content_width): a new numbering is a repaint.
        self.refresh(layout=width_changes)

    @property
    def fits(self) -> bool:
        """Whether the view is legible at the widget's current size."""
        return self.picture is not None

    def _relayout(self) -> None:
        size = self.content_size
        self._laid_out_for = (size, self.view, tuple(self.labels.items()), self.lit)
        if self.view is None or not size.width or not size.height:
            self.picture = None
            return
        self.picture = _laid_out(self.view, size.width, max(size.height - CAPTION_ROWS, 0),
                                 tuple(self.labels.items()), self.lit)
        fits = self.picture is not None
        if fits != self._fits:
            self._fits = fits
            self.post_message(self.Fitted(self, fits))

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the view's proportions ask at the height it gets, within a share of the width."""
        if self.view is None:
            return 0
        rows = max(container.height - CAPTION_ROWS, 1)
        wanted = math.ceil(self.view.width / self.view.height * rows * 2)
        return max(1, min(wanted, int(container.width * self._max_width_fraction)))

    # -- drawing -------------------------------------------------------------------------------

    def _offsets(self) -> tuple[int, int]:
        """Where the picture starts inside the widget (centred)."""
        picture = self.picture
        if picture is None:
            return 0, 0
        size = self.content_size
        return max((size.width - picture.cols) // 2, 0), max((size.height - CAPTION_ROWS - picture.rows) // 2, 0)

    @staticmethod
    def _colours(picture: Picture) -> dict[int, str | None]:
        """Each region code drawn in ``picture`` → its colour name (None: blank). Once a picture:
        a region's kind and shade are looked up through its view, too slow for every cell."""
        codes = {code for row in picture.cells for cell in row for code in cell}
        return {code: None if code == EMPTY else _LIT if picture.is_lit(code)
                else _COLOURS.get((picture.kind(code), picture.shade(code)), "white") for code in codes}

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if self._laid_out_for != (self.content_size, self.view, tuple(self.labels.items()), self.lit):
            self._relayout()
        picture = self.picture
        if picture is None:
            if y == 0 and self.view is not None:
                return Strip([Segment("Too small to draw".ljust(width)[:width], _PLAIN)], width)
            return Strip.blank(width, _PLAIN)
        _, top = self._offsets()
        if y == self.content_size.height - 1:
            return self._caption(width)
        row = y - top
        rows = self._drawn_rows()
        if rows is None or not 0 <= row < len(rows):
            return Strip.blank(width, _PLAIN)
        return rows[row]

    def _drawn_rows(self) -> tuple[Strip, ...] | None:
        """The picture's rows as drawn at the current width, made once a picture and width (Textual
        asks for every line again after a repaint, a focus change say)."""
        picture, width = self.picture, self.content_size.width
        if picture is None:
            return None
        if self._rows_for is not None and self._rows_for[0] is picture and self._rows_for[1] == width:
            return self._rows
        left, _ = self._offsets()
        colours = self._colours(picture)
        kept: tuple[Strip, ...] = ()
        changed: set[int] = set()
        renumbered: set[int] = set()
        if self._rows_for is not None:
            before, before_width = self._rows_for
            if before_width == width and (before.cells is picture.cells or before.cells == picture.cells):
                # The same cells relit or numbered anew: a row without the regions lit before or
                # now, and with the same numbers, is as drawn.
                kept = self._rows
                changed = {code for code, colour in colours.items() if self._row_colours.get(code) != colour}
                if before.labels is not picture.labels:
                    renumbered = {row for (_col, row), _char in set(before.labels.items()) ^ set(picture.labels.items())}
        self._rows = tuple(
            kept[row] if kept and row not in renumbered
            and changed.isdisjoint(code for cell in picture.cells[row] for code in cell)
            else self._draw_row(picture, colours, row, left, width)
            for row in range(picture.rows))
        self._rows_for = (picture, width)
        self._row_colours = colours
        return self._rows

    def _draw_row(self, picture: Picture, colours: dict[int, str | None], row: int, left: int,
                  width: int) -> Strip:
        cells = [Segment(" " * left, _PLAIN)] if left else []
        labels = picture.labels
        cells.extend(self._cell(colours[upper], colours[lower], upper == lower, labels.get((col, row)))
                     for col, (upper, lower) in enumerate(picture.cells[row]))
        used = left + picture.cols
        if used < width:
            cells.append(Segment(" " * (width - used), _PLAIN))
        # One segment a run of cells drawn alike (a region's colour, the blank around it): a few
        # dozen segments a row rather than one a cell, for Textual to cut, style and write.
        segments = [Segment("".join(cell.text for cell in run), style)
                    for style, run in ((style, list(run)) for style, run in
                                       itertools.groupby(cells, key=lambda cell: cell.style))]
        return Strip(segments, width).crop(0, width)

    @staticmethod
    def _cell(top: str | None, bottom: str | None, one_region: bool, label: str | None) -> Segment:
        """A cell whose upper and lower halves are coloured ``top`` and ``bottom`` (None: blank),
        ``one_region`` when both halves are the same region, with a number's ``label`` drawn in it."""
        if label is not None:
            background = top or "black"
            ink = "black" if background in _LIGHT else "bright_white"
            return _segment(label, ink, background, True)
        if one_region:
            if top is None:
                return Segment(" ", _PLAIN)
            if top == _LIT:
                # Shaded, so the lit region is told apart without colour.
                return _segment("▒", _LIT, _LIT_DARK)
            return _segment(" ", None, top)
        if top is None:
            return _segment("▄", bottom)
        return _segment("▀", top, bottom)

    def _caption(self, width: int) -> Strip:
        view = self.view
        if view is None:
            return Strip.blank(width, _PLAIN)
        left, right = view.edge("left"), view.edge("right")
        text = f"← {left}".ljust(max(width - len(right) - 2, 0)) + f"{right} →" if left and right else ""
        if len(text) > width:
            text = f"{left} ← → {right}"[:width]
        return Strip([Segment(text.ljust(width), Style(dim=True))], width)

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        picture = self.picture
        if picture is None or self.locked:
            return
        left, top = self._offsets()
        terms = picture.terms_at(event.x - left, event.y - top)
        if terms:
            event.stop()
            self.post_message(self.Picked(self, terms))

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "number":
            return bool(self.labels) and not self.locked
        return True

    def action_number(self, number: int) -> None:
        term = next((t for t, text in self.labels.items() if text == str(number)), None)
        if term is None:
            self.app.bell()
            return
        self.post_message(self.Picked(self, (term,)))
