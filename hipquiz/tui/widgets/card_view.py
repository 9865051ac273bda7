"""A flashcard: the question, the way to answer it, and once answered the verdict, the answer,
the region in words, the note's source quote and caveat."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.reactive import reactive
from textual.widgets import Input, Static

from hipquiz.core import figures
from hipquiz.core.questions import TYPES, Question
# As a module: question_ui imports the widgets package, which imports this module.
from hipquiz.tui import question_ui
from hipquiz.tui.lifecycle import while_shown
from hipquiz.tui.widgets.answer_list import AnswerList

VERDICT_STATES = ("right", "wrong", "error")


class CardView(VerticalScroll, can_focus=True):
    """Scrolls when the card is longer than the space it has (up/down/page keys, mouse wheel).

    The answer widgets of every question type (``question_ui.ANSWER_WIDGETS``) are composed once;
    those the type shown lists get the ``-used`` class, the others are hidden. The view also gets a
    ``-<kind>`` class for the type shown (``-flip``, ``-choice``…).
    """

    DEFAULT_CSS = """
    CardView {
        height: 1fr;
        padding: 0 1;
        & > .prompt { text-style: bold; }
        & > .instruction { margin-top: 1; }
        & > .hint { color: $text-muted; }
        &.-self-rated > .instruction, &.-self-rated > .hint { display: none; }
        /* A flip card where another type was asked for: the instruction says why. */
        &.-self-rated.-explained > .instruction { display: block; }
        & > .answer-widget { display: none; margin-top: 1; }
        & > .answer-widget.-used { display: block; }
        /* Typing an order is over once it is checked; the marked options stay. */
        &.revealed > #order-input { display: none; }
        & > .verdict { display: none; margin-top: 1; }
        & > .verdict.-shown { display: block; }
        & > .verdict.-right { color: $text-success; }
        & > .verdict.-wrong { color: $text-error; }
        & > .verdict.-error { color: $text-warning; }
        &.revealed.-answer-figure > #drawing { display: block; }
        & > .answer-part { display: none; }
        &.revealed > .answer-part { display: block; }
        &.revealed > .answer-part.empty { display: none; }
        & > .answer {
            border-top: solid $primary;
            margin-top: 1;
        }
        /* A checked answer: the verdict, the answer right under it, the suggested rating, a rule. */
        &.-checked > .answer { border-top: none; margin-top: 0; }
        & > .suggestion { border-bottom: solid $primary; }
        /* The options of a choice question already mark the answer. */
        &.-answer-marked.revealed > .answer { display: none; }
        & > .region { margin-top: 1; }
        & > .source {
            color: $text-muted;
            text-style: italic;
            margin-top: 1;
        }
        & > .caveat {
            color: $text-warning;
            margin-top: 1;
        }
    }
    """

    revealed: reactive[bool] = reactive(False)
    """Whether the answer, region, source and caveat are shown."""

    def compose(self) -> ComposeResult:
        # markup=False everywhere: deck text such as "[see F3]" must show as written.
        yield Static(markup=False, classes="prompt")
        yield Static(markup=False, classes="instruction")
        yield Static(markup=False, classes="hint")
        for make in question_ui.ANSWER_WIDGETS.values():
            yield make().add_class("answer-widget")
        yield Static(markup=False, classes="verdict")
        yield Static(markup=False, classes="answer answer-part")
        yield Static(markup=False, classes="suggestion answer-part empty")
        yield Static(markup=False, classes="region answer-part")
        yield Static(markup=False, classes="source answer-part")
        yield Static(markup=False, classes="caveat answer-part")

    async def show(self, question: Question, hint: str = "", region: str = "", *,
                   explain_flip: bool = False, ui: question_ui.QuestionUI | None = None) -> None:
        """Show a new question with its answer hidden. ``hint`` says which keys answer it;
        ``region`` is shown with the answer (the region of a location card in plain words).
        A flip card's instruction is shown only with ``explain_flip`` (when it is asked as a flip
        card although another type was asked for: the instruction says why)."""
        card = question.card
        kind = question.kind
        ui = ui or question_ui.ui_for(kind)
        self_rated = TYPES[kind].self_rated
        # One batch: each class changed on its own would restyle the whole card again.
        self.update_classes({
            **{f"-{other}": other == kind for other in TYPES},
            "-self-rated": self_rated,
            "-explained": self_rated and explain_flip and bool(question.instruction),
            "-checked": not self_rated,
            "-answer-marked": ui.marks_answer,
        })
        self.query_one(".prompt", Static).update(question.prompt)
        self.query_one(".instruction", Static).update(question.instruction)
        self.query_one(".hint", Static).update(hint)
        for widget in self.query(".answer-widget"):
            widget.set_class(widget.id in ui.widgets, "-used")
        for box in self.query(Input):
            box.value = ""
            box.disabled = False
        await ui.prepare(self, question)
        if "drawing" not in ui.widgets:
            # A location answer shows the muscle lit beside the words.
            figure = figures.answer_figure(card)
            self.set_class(figure is not None, "-answer-figure")
            question_ui.show_figure(self, figure, locked=True)
        else:
            self.set_class(False, "-answer-figure")
        if self_rated:
            # As it always was: the answer alone under a rule.
            self.query_one(".answer", Static).update(card.answer)
        else:
            newline = "\n" if "\n" in card.answer else ""
            self.query_one(".answer", Static).update(Content.assemble(("Answer: ", "bold"), newline, card.answer))
        self._labelled(".region", "In plain words: ", region)
        # A quoted sentence is shown in quotes; a work cited (book, page) is not.
        source = f"“{card.source}”" if card.source and card.source_is_quote else card.source
        self._labelled(".source", "Source: ", source)
        self._labelled(".caveat", "Caveat: ", card.caveat)
        self.show_verdict(Content(""))
        self.show_suggestion(Content(""))
        self.revealed = False
        self.scroll_home(animate=False)

    def show_verdict(self, text: Content | str, state: str | None = None) -> None:
        """Show the verdict (``right`` / ``wrong``) or a problem with the input (``error``)."""
        widget = self.query_one(".verdict", Static)
        widget.update(text)
        widget.set_class(bool(text), "-shown")
        for name in VERDICT_STATES:
            widget.set_class(state == name, f"-{name}")
        if text:
            self.call_after_refresh(self._scroll_to_verdict)

    @while_shown  # queued after a refresh: the screen may be gone by then (answer, then Esc)
    def _scroll_to_verdict(self) -> None:
        """Bring the verdict into view, with as much as fits of: the options it marks (from the
        first one marked ✓ or ✗), then the suggested rating under it. Scrolls as little as it can,
        so the prompt stays in view when there is room."""
        verdict = self._span(self.query_one(".verdict", Static))
        if verdict is None:
            return
        answers = self.query_one(AnswerList)
        row = answers.first_marked_row() if answers.has_class("-used") else None
        marked = self._span(row) if row is not None else None
        suggestion_widget = self.query_one(".suggestion", Static)
        suggestion = self._span(suggestion_widget) if not suggestion_widget.has_class("empty") else None
        height = self.scrollable_content_region.height
        top, bottom = verdict
        candidates = [
            (marked[0] if marked else top, suggestion[1] if suggestion else bottom),
            (marked[0] if marked else top, bottom),
            (top, suggestion[1] if suggestion else bottom),
        ]
        start, end = next(((a, b) for a, b in candidates if b - a <= height), (top, bottom))
        self.scroll_to_region(Region(0, start, 1, max(end - start, 1)), animate=False, immediate=True,
                              origin_visible=True)

    def _span(self, widget: Widget) -> tuple[int, int] | None:
        """The lines (first, end) a descendant takes in this view's scrolled content, with its
        margins; None if it is not shown."""
        if not widget.display or not widget.virtual_region.size:
            return None
        region = widget.virtual_region_with_margin
        y = region.y
        node = widget.parent
        while isinstance(node, Widget) and node is not self:
            y += node.virtual_region.y + node.gutter.top
            node = node.parent
        return y, y + region.height

    def show_suggestion(self, text: Content | str) -> None:
        """The rating a checked answer earned, and how to take or change it."""
        widget = self.query_one(".suggestion", Static)
        widget.update(text)
        widget.set_class(not text, "empty")

    def _labelled(self, selector: str, label: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        # Content.assemble takes plain strings literally, so the deck text is never markup.
        widget.update(Content.assemble((label, "bold"), text) if text else Content(""))
        widget.set_class(not text, "empty")

    def watch_revealed(self, revealed: bool) -> None:
        # Only the answer parts and the order box depend on "revealed": restyle those alone, not
        # the options list and everything else in the card (a cost paid twice on every card).
        self.set_class(revealed, "revealed", update=False)
        # The drawing shows a location answer once revealed; "where is it?" shows its options then.
        selector = ".answer-part, #order-input, #drawing" + (", #options" if self.has_class("-where") else "")
        self.app.stylesheet.update_nodes(self.query_children(selector), animate=False)
        for box in self.query(Input):
            box.disabled = revealed
