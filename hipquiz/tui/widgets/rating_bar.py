"""Four buttons to rate how well a card was remembered, each showing the interval it would give."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button

from hipquiz.core.model import RATING_NAMES
from hipquiz.tui.lifecycle import while_shown
from hipquiz.tui import glyphs
from hipquiz.tui.widgets.width_arranged import WidthArranged

_VARIANTS = {1: "error", 2: "warning", 3: "success", 4: "primary"}


class RatingBar(WidthArranged, Horizontal):
    """Again / Hard / Good / Easy. A click posts ``RatingBar.Rated``; keys are the screen's business."""

    DEFAULT_CSS = """
    RatingBar {
        height: auto;
        & > Button {
            width: 1fr;
            min-width: 8;
            margin: 0 1 0 0;
        }
        & > Button:last-of-type { margin: 0; }
        & > Button.-suggested { text-style: bold reverse; }
    }
    """

    class Rated(Message):
        def __init__(self, bar: RatingBar, rating: int) -> None:
            super().__init__()
            self.bar = bar
            self.rating = rating

        @property
        def control(self) -> RatingBar:
            return self.bar

    def compose(self) -> ComposeResult:
        for rating, name in RATING_NAMES.items():
            button = Button(_labels(rating, "")[0], variant=_VARIANTS[rating], id=f"rate-{rating}")
            # Not focusable: Enter/Space belong to the screen (reveal), so a double Enter cannot rate.
            button.can_focus = False
            yield button

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._intervals: dict[int, str] = {}
        self._suggested: int | None = None

    def show(self, intervals: dict[int, str], suggested: int | None = None) -> None:
        """Show what each rating would give (e.g. ``{1: "1m", 2: "6m", 3: "10m", 4: "5d"}``) and
        pre-select the rating a checked answer earned (marked by ▶ and reverse video), or none. One
        call an answer: the labels are fitted once."""
        self._intervals = dict(intervals)
        if suggested != self._suggested:
            self._suggested = suggested
            for button in self.query(Button):
                button.set_class(button.id == f"rate-{suggested}", "-suggested")
        self._fit_labels()

    @property
    def suggested(self) -> int | None:
        return self._suggested

    def on_resize(self) -> None:
        # The buttons get their new width in the same layout pass; measure them once it is done.
        self.call_after_refresh(self._fit_labels)

    def on_show(self) -> None:
        self.call_after_refresh(self._fit_labels)

    @while_shown  # also queued after a refresh
    def _fit_labels(self) -> None:
        for button in self.query(Button):
            rating = int((button.id or "rate-0").removeprefix("rate-"))
            # Button pads each line (line-pad) inside its content width.
            width = button.content_size.width - 2 * button.styles.line_pad
            labels = _labels(rating, self._intervals.get(rating, ""), suggested=rating == self._suggested)
            label = next((label for label in labels if width <= 0 or label.cell_length <= width), labels[-1])
            shown = button.label
            # (Content compares its words only: its styles are compared too.) A label set again
            # lays the bar out and draws the button again.
            if not (isinstance(shown, Content) and shown.plain == label.plain and shown.spans == label.spans):
                button.label = label

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("rate-"):
            self.post_message(self.Rated(self, int(event.button.id.removeprefix("rate-"))))


def _labels(rating: int, interval: str, *, suggested: bool = False) -> list[Content]:
    """Labels from the fullest to the shortest; the widest that fits is shown. A suggested rating
    is marked with ▶, so the mark does not depend on colour."""
    name = RATING_NAMES[rating]
    mark = glyphs.POINTER if suggested else ""
    key = (f"{mark}{rating} ", "bold")
    wait = (f" {interval}", "not bold") if interval else ""
    # The key comes first in every label that has room for it: the footer leaves 1-4 to the buttons.
    labels = [
        Content.assemble(key, name, wait),
        Content.assemble(key, name),
        Content.assemble(key, (interval or name, "not bold")),
        Content.assemble(mark, name, wait),
        Content(mark + (interval or name)),
    ]
    return labels
