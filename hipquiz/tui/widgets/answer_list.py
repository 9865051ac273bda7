"""Options to answer from: choose one, tick several, or put them in order."""

from __future__ import annotations

from typing import Any, Sequence

from textual import events, on
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from hipquiz.tui import glyphs

MODES = ("choice", "select", "order")
# A mark's colour: a component class of the list (styled once with the list, not per row).
MARK_COLOURS = {True: "answer-list--right", False: "answer-list--wrong", None: "answer-list--plain"}
# The highlighted row's looks, by whether the list has the focus: component classes too.
HIGHLIGHTS = {True: "answer-list--cursor", False: "answer-list--highlight"}


class _Hanging(Visual):
    """An option's key (its mark, number, tick box) with its text beside it, the text wrapping
    under itself (a hanging indent), as one visual."""

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


# An option as drawn: its key (mark, number, tick box), its text (with its note once answered), and
# its mark (None: none; else a 1-tuple: right? True, False or None for neither, as MARK_COLOURS).
Row = tuple[str, Content, "tuple[bool | None] | None"]


class _Stacked(Visual):
    """The options, one under the other, each as tall as its text at the width given."""

    def __init__(self, rows: Sequence[_Hanging]) -> None:
        self.rows = rows

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((row.get_optimal_width(rules, container_width) for row in self.rows), default=0)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max((row.get_minimal_width(rules) for row in self.rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(row.get_height(rules, width) for row in self.rows)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return [strip for row in self.rows for strip in row.render_strips(width, None, style, options)]


class AnswerList(Widget, can_focus=True):
    """The options of a question, numbered as shown.

    - ``choice``: ↑/↓ and Enter, a number key or a click chooses one;
    - ``select``: Space, a number key or a click ticks or unticks one; Enter submits;
    - ``order``: ``[`` / ``]`` or Shift+↑/↓ move the highlighted option; Enter submits the order.
      A number key posts ``NumberTyped`` (the screen has a text box for typing the order).

    Posts ``Submitted`` with what ``check_answer`` expects: the chosen option index, the set of
    ticked indices, or the option indices in the order shown. Once ``show_marks`` has been called
    the list is locked: keys pass through to the screen.

    One widget draws every option (key beside text, marks, their colours and the highlight), from
    text: a new question, mark or highlight restyles nothing and lays out one widget (a widget a
    row cost its own layout and a render of its own, ~1 ms a key with four to ten rows).
    """

    COMPONENT_CLASSES = {*MARK_COLOURS.values(), *HIGHLIGHTS.values()}

    DEFAULT_CSS = """
    AnswerList {
        height: auto;
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
        # The options as drawn, in the order shown.
        self._shown: list[Row] = []

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
        # Without the watcher: a new question does not scroll to its first option.
        self.set_reactive(AnswerList.highlighted, 0)
        self._refresh_rows()
        self.refresh()  # the highlight, unlocked, on the first option: drawn from the list's state
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
        self.refresh()  # the highlight goes
        self.refresh_bindings()

    def row_spans(self) -> list[tuple[int, int]]:
        """Where each option is drawn, in the order shown: (first line, lines) in the list."""
        spans, top = [], 0
        width = self.content_size.width
        visual = self._render()  # as drawn (kept until the list changes)
        for row in visual.rows if isinstance(visual, _Stacked) else ():
            height = row.get_height(self.styles, width)
            spans.append((top, height))
            top += height
        return spans

    def first_marked_span(self) -> tuple[int, int] | None:
        """The lines (first, end) of the first option shown with a ✓ or ✗ (None before
        ``show_marks``)."""
        for (_key, _text, mark), (top, height) in zip(self._shown, self.row_spans()):
            if mark is not None and mark[0] is not None:
                return top, top + height
        return None

    @property
    def response(self) -> Any:
        if self.mode == "choice":
            return self.order[self.highlighted]
        if self.mode == "select":
            return frozenset(self.ticked)
        return tuple(self.order)

    # -- drawing -------------------------------------------------------------------------------

    def _refresh_rows(self) -> None:
        width = len(str(len(self.options)))
        shown: list[Row] = []
        for position, index in enumerate(self.order):
            number = f"{position + 1:>{width}}"
            if self.mode == "select":
                number += " [x]" if index in self.ticked else " [ ]"
            elif self.mode == "order":
                number += "."
            text = Content(self.options[index])
            mark: tuple[bool | None] | None = None
            if self._marks:
                right, note = self._marks.get(index, (None, ""))
                number = {True: f"{glyphs.RIGHT} ", False: f"{glyphs.WRONG} ", None: "  "}[right] + number
                mark = (right,)
                if note:
                    text = Content.assemble(self.options[index], (f" — {note}", "bold"))
            shown.append((number, text, mark))
        # (Content compares its words only: its styles are compared too.)
        if [(k, t.plain, t.spans, m) for k, t, m in shown] == [(k, t.plain, t.spans, m) for k, t, m in self._shown]:
            return
        # The height can change only with the words (a tick or a colour keeps it).
        resized = [(len(k), t.plain) for k, t, _ in shown] != [(len(k), t.plain) for k, t, _ in self._shown]
        self._shown = shown
        self.refresh(layout=resized)

    def _visuals(self) -> list[_Hanging]:
        """Each option as drawn: resolved when drawn, so a theme changed meanwhile gives its
        colours."""
        rows = []
        for position, (key, text, mark) in enumerate(self._shown):
            key_text = Content(key)
            if mark is not None:
                colour = Style.from_styles(self.get_component_styles(MARK_COLOURS[mark[0]]))
                key_text, text = key_text.stylize(colour), text.stylize_before(colour)
            under = None
            if position == self.highlighted and not self.locked:
                under = _set_by(self.get_component_styles(HIGHLIGHTS[self.has_focus]))
            rows.append(_Hanging(key_text, text, under))
        return rows

    def render(self) -> Visual:
        return _Stacked(self._visuals())

    def watch_has_focus(self, has_focus: bool) -> None:
        # The list's own looks; the highlighted option's are drawn from the focus (Textual
        # repaints a widget as its focus changes).
        self.app.stylesheet.update_nodes((self,), animate=True)

    def watch_highlighted(self, highlighted: int) -> None:
        self.refresh()
        # Follow the keys; not on a new question, whose prompt must stay in view.
        if self.has_focus and not self.locked:
            self._scroll_to_row(highlighted)

    def _scroll_to_row(self, position: int) -> None:
        """Scroll the option at ``position`` into view, as far as the container around it goes."""
        spans = self.row_spans()
        container = self.parent
        if not 0 <= position < len(spans) or not isinstance(container, Widget):
            return
        top, height = spans[position]
        region = self.virtual_region
        container.scroll_to_region(Region(region.x, region.y + self.gutter.top + top, region.width, height),
                                   animate=False)

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
        offset = event.get_content_offset(self)
        if offset is None:
            return
        position = next((n for n, (top, height) in enumerate(self.row_spans()) if top <= offset.y < top + height),
                        None)
        if position is None:
            return
        event.stop()
        self.focus()
        self.highlighted = position
        if self.mode == "choice":
            self.action_submit()
        elif self.mode == "select":
            self.action_toggle(position)
