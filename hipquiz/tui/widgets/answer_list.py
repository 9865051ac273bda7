"""Options to answer from: choose one, tick several, or put them in order."""

from __future__ import annotations

from typing import Any, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from hipquiz.tui import glyphs
from hipquiz.tui.widgets.width_arranged import WidthArranged

MODES = ("choice", "select", "order")
# A mark's colour: a component class of the list (styled once with the list, not per row).
MARK_COLOURS = {True: "answer-list--right", False: "answer-list--wrong", None: "answer-list--plain"}
# The highlighted row's looks, by whether the list has the focus: component classes too.
HIGHLIGHTS = {True: "answer-list--cursor", False: "answer-list--highlight"}


class _Hanging(Visual):
    """An option's key (its mark, number, tick box) with its text beside it, the text wrapping
    under itself (a hanging indent), as one visual: one widget a row to style and lay out."""

    def __init__(self, key: Content, text: Content, under: Style | None = None) -> None:
        self.key = key
        self.text = text
        # A space between the key and the text.
        self.indent = key.cell_length + 1
        # Under the whole row, its margins included (the highlight).
        self.under = under

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.text.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.indent + self.text.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.text.get_height(rules, max(width - self.indent, 1))

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        if self.under is not None:
            style = style + self.under
        lines = self.text.render_strips(max(width - self.indent, 1), height, style, options) or [Strip.blank(0)]
        rich_style = style.rich_style
        key = self.key.render_strips(self.indent, 1, style, options)
        first = (key[0] if key else Strip.blank(0)).extend_cell_length(self.indent, rich_style)
        under = Strip.blank(self.indent, rich_style)
        # To the full width, as Textual pads a line (its background only): a highlight goes to the end.
        end = rich_style.background_style
        return [Strip.join([first if y == 0 else under, line]).extend_cell_length(width, end)
                for y, line in enumerate(lines)]


def _set_by(styles: RulesMap) -> Style:
    """The looks a component class's rules set (``Style.from_styles`` also gives it a colour where
    it sets none, which would replace the row's)."""
    style = Style.from_styles(styles)
    if styles.has_rule("color"):
        return style
    return Style(style.background, bold=style.bold, dim=style.dim, italic=style.italic, reverse=style.reverse)


class OptionRow(Widget):
    """One option: its key (mark, number, tick box) beside its text, which wraps under itself.

    Drawn from text, marks, their colours and the highlight included: a new mark, option or
    highlight restyles nothing (a class changed on a row restyled it against the whole stylesheet;
    rows of three widgets each cost three times the layout).
    """

    def __init__(self, position: int) -> None:
        super().__init__(classes="option")
        self.position = position
        self._key = ""
        self._text = Content("")
        # None: no mark; else True (right), False (wrong) or None (neither) as ``MARK_COLOURS``.
        self._mark: tuple[bool | None] | None = None
        self._highlighted = False

    @property
    def highlighted(self) -> bool:
        """Whether the row is drawn highlighted (the list's highlight, unless it is locked)."""
        return self._highlighted

    @highlighted.setter
    def highlighted(self, highlighted: bool) -> None:
        if highlighted != self._highlighted:
            self._highlighted = highlighted
            self.refresh()

    @property
    def key(self) -> str:
        """The key as shown: the mark (once answered), the number, the tick box."""
        return self._key

    @property
    def text(self) -> Content:
        """The option's text, with its note once answered (" — the answer")."""
        return self._text

    def show(self, key: str, text: str | Content, mark: tuple[bool | None] | None = None) -> None:
        """Show ``key`` beside ``text``, coloured as ``mark`` (a 1-tuple: right? None = neither)
        says, or as the list's rows are (None)."""
        text = Content(text) if isinstance(text, str) else text
        # (Content compares its words only: its styles are compared too.)
        if (key, text.plain, text.spans, mark) == (self._key, self._text.plain, self._text.spans, self._mark):
            return
        # The row's height can change only with its words (a tick or a colour keeps it).
        resized = len(key) != len(self._key) or text.plain != self._text.plain
        self._key, self._text, self._mark = key, text, mark
        self.refresh(layout=resized)

    def render(self) -> Visual:
        key, text = Content(self._key), self._text
        answers = self.parent
        under = None
        if isinstance(answers, Widget):
            # Resolved when drawn: a theme changed meanwhile gives its own colours.
            if self._mark is not None:
                colour = Style.from_styles(answers.get_component_styles(MARK_COLOURS[self._mark[0]]))
                key, text = key.stylize(colour), text.stylize_before(colour)
            if self._highlighted:
                under = _set_by(answers.get_component_styles(HIGHLIGHTS[answers.has_focus]))
        return _Hanging(key, text, under)


class AnswerList(WidthArranged, Vertical, can_focus=True):
    """The options of a question, numbered as shown.

    - ``choice``: ↑/↓ and Enter, a number key or a click chooses one;
    - ``select``: Space, a number key or a click ticks or unticks one; Enter submits;
    - ``order``: ``[`` / ``]`` or Shift+↑/↓ move the highlighted option; Enter submits the order.
      A number key posts ``NumberTyped`` (the screen has a text box for typing the order).

    Posts ``Submitted`` with what ``check_answer`` expects: the chosen option index, the set of
    ticked indices, or the option indices in the order shown. Once ``show_marks`` has been called
    the list is locked: keys pass through to the screen.
    """

    COMPONENT_CLASSES = {*MARK_COLOURS.values(), *HIGHLIGHTS.values()}

    DEFAULT_CSS = """
    AnswerList {
        height: auto;
        & > .option { height: auto; }
        /* The highlighted row, the list focused or not. A locked list highlights no row. */
        & > .answer-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .answer-list--highlight { background: $boost; }
        /* The marks' colours. Marked neither right nor wrong: muted. */
        & > .answer-list--right { color: $text-success; }
        & > .answer-list--wrong { color: $text-error; }
        & > .answer-list--plain { color: $text-muted; }
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
        # The rows are kept from one question to the next and only their text changes: mounting
        # new ones (styling and laying them out) cost more than anything else on a card. Rows
        # beyond this question's options are hidden, not removed: the next may need them.
        rows = self._rows()
        if len(rows) < len(self.options):
            await self.mount_all(OptionRow(position) for position in range(len(rows), len(self.options)))
            rows = self._rows()
        for row in rows:
            used = row.position < len(self.options)
            if row.display != used:
                row.display = used
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
            text: str | Content = self.options[index]
            mark: tuple[bool | None] | None = None
            if self._marks:
                right, note = self._marks.get(index, (None, ""))
                number = {True: f"{glyphs.RIGHT} ", False: f"{glyphs.WRONG} ", None: "  "}[right] + number
                mark = (right,)
                if note:
                    text = Content.assemble(self.options[index], (f" — {note}", "bold"))
            row.show(number, text, mark)
            row.highlighted = row.position == self.highlighted and not self.locked

    def watch_has_focus(self, has_focus: bool) -> None:
        # No style under the list depends on its focus but the highlighted row's, which is drawn
        # from it (Textual would restyle every row).
        self.app.stylesheet.update_nodes((self,), animate=True)
        for row in self._rows():
            if row.highlighted:
                row.refresh()

    def watch_highlighted(self, highlighted: int) -> None:
        for row in self._rows():
            row.highlighted = row.position == highlighted and not self.locked
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
