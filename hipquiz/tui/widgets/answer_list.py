"""Options to answer from: choose one, tick several, or put them in order."""

from __future__ import annotations

from typing import Any, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from hipquiz.tui import glyphs

MODES = ("choice", "select", "order")


class OptionRow(Horizontal):
    """One option: its number (and tick box) beside its text, which wraps under itself."""

    def __init__(self, position: int) -> None:
        super().__init__(classes="option")
        self.position = position

    def compose(self) -> ComposeResult:
        yield Static(classes="key")
        yield Static(markup=False, classes="text")

    def show(self, key: str, text: str | Content) -> None:
        self.query_one(".key", Static).update(Content(key))
        self.query_one(".text", Static).update(text)


class AnswerList(Vertical, can_focus=True):
    """The options of a question, numbered as shown.

    - ``choice``: ↑/↓ and Enter, a number key or a click chooses one;
    - ``select``: Space, a number key or a click ticks or unticks one; Enter submits;
    - ``order``: ``[`` / ``]`` or Shift+↑/↓ move the highlighted option; Enter submits the order.
      A number key posts ``NumberTyped`` (the screen has a text box for typing the order).

    Posts ``Submitted`` with what ``check_answer`` expects: the chosen option index, the set of
    ticked indices, or the option indices in the order shown. Once ``show_marks`` has been called
    the list is locked: keys pass through to the screen.
    """

    DEFAULT_CSS = """
    AnswerList {
        height: auto;
        & > .option {
            height: auto;
            & > .key { width: auto; padding-right: 1; }
            & > .text { width: 1fr; }
        }
        &:focus > .option.-highlight {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .option.-highlight { background: $boost; }
        &.-locked > .option.-highlight { background: transparent; }
        & > .option.-right { color: $text-success; }
        & > .option.-wrong { color: $text-error; }
        &.-locked > .option.-plain { color: $text-muted; }
    }
    """

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("enter", "submit", "Check"),
        Binding("space", "toggle", "Tick"),
        Binding("shift+up,left_square_bracket", "shift(-1)", "Move up", key_display="["),
        Binding("shift+down,right_square_bracket", "shift(1)", "Move down", key_display="]"),
        *(Binding(str(n), f"number({n})", str(n), show=False) for n in range(1, 10)),
        Binding("0", "number(10)", "10", show=False),
    ]

    class Submitted(Message):
        """The user gave an answer: ``response`` is in ``check_answer``'s terms."""

        def __init__(self, answer_list: AnswerList, response: Any) -> None:
            super().__init__()
            self.answer_list = answer_list
            self.response = response

        @property
        def control(self) -> AnswerList:
            return self.answer_list

    class NumberTyped(Message):
        """A number key pressed in ``order`` mode: the user starts typing the order."""

        def __init__(self, answer_list: AnswerList, text: str) -> None:
            super().__init__()
            self.answer_list = answer_list
            self.text = text

        @property
        def control(self) -> AnswerList:
            return self.answer_list

    highlighted: reactive[int] = reactive(0, init=False)
    """The highlighted row (a position in the order shown)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.mode = "choice"
        self.options: tuple[str, ...] = ()
        # Option indices in the order shown (only ``order`` mode changes it).
        self.order: list[int] = []
        self.ticked: set[int] = set()
        self.locked = False
        self._marks: dict[int, tuple[bool | None, str]] = {}

    # -- filling -------------------------------------------------------------------------------

    async def set_options(self, mode: str, options: Sequence[str]) -> None:
        """Show new options, unlocked, the first highlighted."""
        if mode not in MODES:
            raise ValueError(f"unknown answer list mode {mode!r}")
        self.mode = mode
        self.options = tuple(options)
        self.order = list(range(len(self.options)))
        self.ticked = set()
        self.locked = False
        self._marks = {}
        self.set_class(False, "-locked")
        # The rows are kept from one question to the next and only their text changes: mounting
        # new ones (styling and laying them out) cost more than anything else on a card.
        rows = self._rows()
        if len(rows) > len(self.options):
            await self.remove_children(rows[len(self.options):])
        elif len(rows) < len(self.options):
            await self.mount_all(OptionRow(position) for position in range(len(rows), len(self.options)))
        # Without the watcher: a new question does not scroll to its first option.
        self.set_reactive(AnswerList.highlighted, 0)
        self._refresh_rows()
        self.refresh_bindings()

    def set_order(self, order: Sequence[int]) -> None:
        """Show the options in this order (option indices), as after the user typed it."""
        if sorted(order) != list(range(len(self.options))):
            raise ValueError(f"not an order of {len(self.options)} options: {list(order)}")
        self.order = list(order)
        self._refresh_rows()

    def show_marks(self, marks: dict[int, tuple[bool | None, str]]) -> None:
        """Lock the list and mark options: option index → (right? None = neither, a note)."""
        self._marks = dict(marks)
        self.locked = True
        self.set_class(True, "-locked")
        self._refresh_rows()
        self.refresh_bindings()

    def first_marked_row(self) -> OptionRow | None:
        """The first row shown with a ✓ or ✗ (None before ``show_marks``)."""
        for row in self._rows():
            if row.position < len(self.order):
                right, _note = self._marks.get(self.order[row.position], (None, ""))
                if right is not None:
                    return row
        return None

    @property
    def response(self) -> Any:
        if self.mode == "choice":
            return self.order[self.highlighted]
        if self.mode == "select":
            return frozenset(self.ticked)
        return tuple(self.order)

    # -- drawing -------------------------------------------------------------------------------

    def _rows(self) -> list[OptionRow]:
        return list(self.query_children(OptionRow).results(OptionRow))

    def _refresh_rows(self) -> None:
        width = len(str(len(self.options)))
        for row in self._rows():
            if row.position >= len(self.order):
                continue
            index = self.order[row.position]
            number = f"{row.position + 1:>{width}}"
            if self.mode == "select":
                number += " [x]" if index in self.ticked else " [ ]"
            elif self.mode == "order":
                number += "."
            right, note = self._marks.get(index, (None, ""))
            if self._marks:
                number = {True: f"{glyphs.RIGHT} ", False: f"{glyphs.WRONG} ", None: "  "}[right] + number
            text: str | Content = self.options[index]
            if note:
                text = Content.assemble(self.options[index], (f" — {note}", "bold"))
            row.show(number, text)
            row.set_class(right is True, "-right")
            row.set_class(right is False, "-wrong")
            row.set_class(bool(self._marks) and right is None, "-plain")
            row.set_class(row.position == self.highlighted, "-highlight")

    def watch_highlighted(self, highlighted: int) -> None:
        for row in self._rows():
            row.set_class(row.position == highlighted, "-highlight")
            # Follow the keys; not on a new question, whose prompt must stay in view.
            if row.position == highlighted and self.has_focus and not self.locked:
                row.scroll_visible(animate=False)

    # -- keys ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "submit", "toggle", "shift", "number"):
            if self.locked or not self.options:
                return False
            if action == "toggle":
                return self.mode == "select"
            if action == "shift":
                return self.mode == "order"
        return True

    def action_move(self, step: int) -> None:
        self.highlighted = max(0, min(len(self.options) - 1, self.highlighted + step))

    def action_toggle(self, position: int | None = None) -> None:
        position = self.highlighted if position is None else position
        index = self.order[position]
        self.ticked ^= {index}
        self._refresh_rows()

    def action_shift(self, step: int) -> None:
        here = self.highlighted
        there = here + step
        if not 0 <= there < len(self.order):
            return
        self.order[here], self.order[there] = self.order[there], self.order[here]
        self.highlighted = there
        self._refresh_rows()

    def action_number(self, number: int) -> None:
        if self.mode == "order":
            self.post_message(self.NumberTyped(self, str(number % 10)))
            return
        if not 1 <= number <= len(self.options):
            self.app.bell()
            return
        self.highlighted = number - 1
        if self.mode == "choice":
            self.action_submit()
        else:
            self.action_toggle(number - 1)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.response))

    # -- mouse ---------------------------------------------------------------------------------

    @on(events.Click)
    def _clicked(self, event: events.Click) -> None:
        if self.locked:
            return
        widget = event.widget
        while widget is not None and not isinstance(widget, OptionRow):
            widget = widget.parent if widget is not self else None
        if not isinstance(widget, OptionRow):
            return
        event.stop()
        self.focus()
        self.highlighted = widget.position
        if self.mode == "choice":
            self.action_submit()
        elif self.mode == "select":
            self.action_toggle(widget.position)
