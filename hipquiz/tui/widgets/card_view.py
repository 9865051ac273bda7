"""A flashcard: the question, the way to answer it, and once answered the verdict, the answer,
the region in words, the note's source quote and caveat."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget
from textual.reactive import reactive
from textual.style import Style
from textual.visual import Visual
from textual.widgets import Input, Static

from hipquiz.core import figures
from hipquiz.core.questions import TYPES, Question
# As a module: question_ui imports the widgets package, which imports this module.
from hipquiz.tui import question_ui
from hipquiz.tui.lifecycle import while_shown
from hipquiz.tui.widgets.answer_list import AnswerList
from hipquiz.tui.widgets.drawing import DrawingView

VERDICT_STATES = ("right", "wrong", "error")
# Under the answer widgets, in this order: the verdict, then the parts shown with the answer.
PARTS = ("verdict", "answer", "suggestion", "region", "source", "caveat")


def show_text(widget: Static, text: Content | str) -> None:
    """Show ``text`` in ``widget`` unless it is there already: an update lays the line out and
    draws it again, and a card sets a dozen lines most of which (how to answer, empty parts) stay
    as they were. (Content compares its words only: its styles are compared here too.)"""
    shown = widget.content
    if isinstance(shown, Content) and isinstance(text, Content):
        same = shown.plain == text.plain and shown.spans == text.spans
    else:
        same = type(shown) is type(text) and shown == text
    if not same:
        widget.update(text)


class AnswerPart(Static):
    """A line under the answer widgets: the verdict, the answer, the suggested rating, the region,
    the source, the caveat. They are mounted after the first card's frame is written
    (CardView.complete), and their looks with them: parsed with the card view's, they were ~0.5 ms
    of CSS parsing before the first card."""

    # Rules about the card view's lines (its classes say whether the answer was checked).
    SCOPED_CSS = False
    DEFAULT_CSS = """
    CardView {
        & > .verdict { margin-top: 1; }
        & > .answer {
            border-top: solid $primary;
            margin-top: 1;
        }
        /* A checked answer: the verdict, the answer right under it, the suggested rating, a rule. */
        &.-checked > .answer { border-top: none; margin-top: 0; }
        & > .suggestion { border-bottom: solid $primary; }
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


class Verdict(AnswerPart):
    """The verdict on an answer, or a problem with it, drawn in its state's colour (the card view's
    component classes ``card-view--right`` / ``--wrong`` / ``--error``), resolved when drawn: a
    class changed on the line restyled it against the whole stylesheet, twice a card."""

    def __init__(self) -> None:
        super().__init__(markup=False, classes="verdict")
        self._state: str | None = None

    def show(self, text: Content | str, state: str | None) -> None:
        if state != self._state:
            self._state = state
            self.refresh()
        show_text(self, text)

    def render(self) -> Visual:
        visual = self.visual
        view = self.parent
        if self._state is not None and isinstance(visual, Content) and isinstance(view, Widget):
            colour = Style.from_styles(view.get_component_styles(f"card-view--{self._state}"))
            return visual.stylize_before(colour)
        return visual


class CardView(VerticalScroll, can_focus=True):
    """Scrolls when the card is longer than the space it has (up/down/page keys, mouse wheel).

    Composed once and updated in place for every card: the answer widgets of every question type
    (``question_ui.ANSWER_WIDGETS``) are all there, those the type shown does not list hidden. The
    view gets a ``-<kind>`` class for the type shown (``-flip``, ``-choice``…).

    In two steps, so that the first card is drawn with few widgets to style: composed, the view
    holds the question's lines and, once a question is shown, the answer widgets it is answered
    with; :meth:`complete` (the study screen calls it once the first frame is on the terminal)
    mounts the other answer widgets and the answer's parts (verdict, answer, region, source,
    caveat), filled with what the question shown put in them meanwhile.

    Which parts show (answer widgets, verdict, answer, region, source, caveat) is set in
    ``_update_display``, not by classes in CSS: a class changed on the view restyles every widget
    under it (an Input or the options list costs milliseconds each), twice a card, when display is
    all that changes. CSS keeps the looks.
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
        & > .answer-widget { margin-top: 1; }
        /* The verdict's colours (see Verdict): component classes, styled with the view. The looks
           of the answer's lines are AnswerPart's. */
        & > .card-view--right { color: $text-success; }
        & > .card-view--wrong { color: $text-error; }
        & > .card-view--error { color: $text-warning; }
    }
    """

    COMPONENT_CLASSES = {f"card-view--{state}" for state in VERDICT_STATES}

    revealed: reactive[bool] = reactive(False)
    """Whether the answer, region, source and caveat are shown."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._ui: question_ui.QuestionUI = question_ui.UIS["flip"]
        # A location answer shows the muscle lit in the drawing, once revealed.
        self._answer_figure = False
        # The answer widgets mounted so far, by id, in the order of ANSWER_WIDGETS.
        self._answer_widgets: dict[str, Widget] = {}
        # The verdict and the answer's parts, made at once (what a question puts in them waits
        # there until they are mounted), mounted by complete(). markup=False everywhere: deck text
        # such as "[see F3]" must show as written.
        self._parts: dict[str, Static] = {
            name: Verdict() if name == "verdict" else AnswerPart(markup=False, classes=f"{name} answer-part")
            for name in PARTS
        }
        for part in self._parts.values():
            part.display = False
        self._complete = False
        # The answer's figure, waiting for the drawing to be mounted.
        self._pending_figure: figures.Figure | None = None
        # The answer parts (answer, suggestion, region, source, caveat) that have text.
        self._filled: set[Static] = set()
        # The lines saying how to answer (shown with a question, hidden once it is answered). A
        # flip card hides them: its first frame goes without them (mounted by show or complete).
        self._how_to_answer = (Static(markup=False, classes="instruction"), Static(markup=False, classes="hint"))

    def compose(self) -> ComposeResult:
        yield Static(markup=False, classes="prompt")

    async def _mount_how_to_answer(self) -> None:
        if not self._how_to_answer[0].is_attached:
            await self.mount_all(self._how_to_answer, after=self.query_one(".prompt"))

    async def complete(self) -> None:
        """Mount what the first card's frame went without: the other answer widgets and the answer's
        parts, each at its place, then show the question's answer figure if it has one."""
        if self._complete:
            return
        self._complete = True
        await self._mount_how_to_answer()
        await self._mount_answer_widgets(question_ui.ANSWER_WIDGETS, then=list(self._parts.values()))
        if self._pending_figure is not None:
            self._show_answer_figure(self._pending_figure)
            self._pending_figure = None
        self._update_display()

    async def _mount_answer_widgets(self, ids, then: list[Widget] = ()) -> None:
        """Mount the answer widgets among ``ids`` not mounted yet, in ANSWER_WIDGETS' order, and
        ``then`` after them: those next to each other at once (complete() mounts the answer's
        parts after the answer widgets)."""
        runs: list[tuple[list[Widget], Widget | None]] = [([], None)]
        for name, make in question_ui.ANSWER_WIDGETS.items():
            if name in self._answer_widgets:
                runs[-1] = (runs[-1][0], self._answer_widgets[name])  # the run goes before it
                runs.append(([], None))
            elif name in ids:
                widget = make().add_class("answer-widget", update=False)
                widget.display = False
                self._answer_widgets[name] = widget
                runs[-1][0].append(widget)
        runs[-1][0].extend(then)
        for widgets, before in runs:
            if widgets:
                await self.mount_all(widgets, before=before)

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
        kinds = {f"-{other}": other == kind for other in TYPES}  # no style uses these
        styled = {
            "-self-rated": self_rated,
            "-explained": self_rated and explain_flip and bool(question.instruction),
            "-checked": not self_rated,
        }
        restyle = any(self.has_class(name) != on for name, on in styled.items())
        if restyle or any(self.has_class(name) != on for name, on in kinds.items()):
            self.update_classes({**kinds, **styled}, update=False)
        if restyle:
            # Only the lines whose looks depend on these classes, not the whole card; and not on a
            # change of type alone (choice to select, typed to choice: a restyle costs ~0.3 ms a line).
            lines = (*self._how_to_answer, self._parts["answer"])  # (the answer is mounted by complete)
            self.app.stylesheet.update_nodes([line for line in lines if line.is_mounted], animate=False)
        if not self_rated or styled["-explained"]:
            await self._mount_how_to_answer()  # shown: in the first frame too
        self._ui = ui
        show_text(self.query_one(".prompt", Static), question.prompt)
        instruction, hint_line = self._how_to_answer
        show_text(instruction, question.instruction)
        show_text(hint_line, hint)
        await self._mount_answer_widgets(ui.widgets)
        first = self._answer_widgets.get(ui.widgets[0]) if ui.widgets else None
        for box in self.query_children(Input):
            if box.value:
                box.value = ""
            if box.disabled and box is not first:
                box.disabled = False  # the first is unlocked as it is focused (focus_answer)
        await ui.prepare(self, question)
        self._pending_figure = None
        if "drawing" not in ui.widgets:
            # A location answer shows the muscle lit beside the words.
            figure = figures.answer_figure(card)
            self._answer_figure = figure is not None
            if "drawing" in self._answer_widgets:
                self._show_answer_figure(figure)
            else:
                self._pending_figure = figure  # shown once the drawing is mounted (complete)
        else:
            self._answer_figure = False
        answer = self._parts["answer"]
        if self_rated:
            # As it always was: the answer alone under a rule.
            self._fill(answer, card.answer)
        else:
            newline = "\n" if "\n" in card.answer else ""
            self._fill(answer, Content.assemble(("Answer: ", "bold"), newline, card.answer))
        self._labelled(".region", "In plain words: ", region)
        # A quoted sentence is shown in quotes; a work cited (book, page) is not.
        source = f"“{card.source}”" if card.source and card.source_is_quote else card.source
        self._labelled(".source", "Source: ", source)
        self._labelled(".caveat", "Caveat: ", card.caveat)
        self.show_verdict(Content(""))
        self.show_suggestion(Content(""))
        if self.revealed:
            self.revealed = False
        else:
            self._update_display()
        # Now, not after the next frame (Textual's default): the new question was drawn first in the
        # last one's scroll position, its prompt above the view, and at the top a frame later.
        self.scroll_home(animate=False, immediate=True)

    def _show_answer_figure(self, figure: figures.Figure | None) -> None:
        question_ui.show_figure(self, figure, locked=True)

    @on(DrawingView.Fitted)
    def _answer_figure_fitted(self, event: DrawingView.Fitted) -> None:
        if not event.fits and self._answer_figure and "drawing" not in self._ui.widgets:
            # Too small for the lit answer (a card asked in words for that reason, or a location
            # card on a small terminal): the words keep the card's full width.
            self._answer_figure = False
            self._update_display()

    def _update_display(self) -> None:
        """Show the parts the card's state calls for (see the class docstring)."""
        ui, revealed = self._ui, self.revealed
        for widget in self._answer_widgets.values():
            used = widget.id in ui.widgets
            if widget.id == "order-input":
                shown = used and not revealed  # typing an order is over once it is checked
            elif widget.id == "options" and ui.kind == "where":
                shown = used and revealed  # "where is it?": the names are the answer
            elif widget.id == "drawing":
                shown = used or (revealed and self._answer_figure)
            else:
                shown = used
            if widget.display != shown:
                widget.display = shown
        # Once answered, how to answer is no longer news: the room goes to the question and the
        # verdict (the stylesheet decides again for the next question).
        for line in self._how_to_answer:
            if revealed and line.display:
                line.display = False
            elif not revealed and line.styles.inline.has_rule("display"):
                line.styles.display = None  # back to what the stylesheet says
        answer = self._parts["answer"]
        for part in (self._parts[name] for name in PARTS[1:]):
            # The options of a choice question already mark the answer.
            shown = revealed and part in self._filled and not (part is answer and ui.marks_answer)
            if part.display != shown:
                part.display = shown

    def show_verdict(self, text: Content | str, state: str | None = None) -> None:
        """Show the verdict (``right`` / ``wrong``) or a problem with the input (``error``)."""
        widget = self._parts["verdict"]
        assert isinstance(widget, Verdict) and state in (None, *VERDICT_STATES)
        widget.show(text, state)
        if widget.display != bool(text):
            widget.display = bool(text)
        if text and self._complete:
            self.call_after_refresh(self._scroll_to_verdict, True)

    @while_shown  # queued after a refresh: the screen may be gone by then (answer, then Esc)
    def _scroll_to_verdict(self, again: bool = False) -> None:
        """Bring the verdict into view with the question above it, and the suggested rating under
        it if that fits too. Where the question and the verdict do not fit together (a small
        terminal, a long list), the verdict with as much as fits of: the options it marks (from
        the first one marked ✓ or ✗), then the suggested rating; the question is a scroll away."""
        verdict = self._span(self._parts["verdict"])
        if verdict is None:
            return
        answers = self.query_one(AnswerList)
        listed = self._span(answers)  # (from its margin)
        lines = answers.first_marked_span() if listed is not None else None
        top = listed[0] + answers.styles.margin.top if listed is not None else 0
        marked = (top + lines[0], top + lines[1]) if lines is not None else None
        suggestion = self._span(self._parts["suggestion"])
        height = self.scrollable_content_region.height
        top, bottom = verdict
        candidates = [
            (0, suggestion[1] if suggestion else bottom),
            (0, bottom),
            (marked[0] if marked else top, suggestion[1] if suggestion else bottom),
            (marked[0] if marked else top, bottom),
            (top, suggestion[1] if suggestion else bottom),
        ]
        start, end = next(((a, b) for a, b in candidates if b - a <= height), (top, bottom))
        self.scroll_to_region(Region(0, start, 1, max(end - start, 1)), animate=False, immediate=True,
                              origin_visible=True)
        if again:
            # The answer shown under the verdict can bring a scroll bar, which narrows the lines
            # and rewraps the verdict: measured again once that layout is done.
            self.call_after_refresh(self._scroll_to_verdict)

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
        self._fill(self._parts["suggestion"], text)
        self._update_display()

    def _labelled(self, selector: str, label: str, text: str) -> None:
        # Content.assemble takes plain strings literally, so the deck text is never markup.
        self._fill(self._parts[selector.lstrip(".")], Content.assemble((label, "bold"), text) if text else "")

    def _fill(self, part: Static, text: Content | str) -> None:
        show_text(part, text)
        if text:
            self._filled.add(part)
        else:
            self._filled.discard(part)

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyles nothing. Textual restyles the whole card (its ~25 widgets: text boxes, options,
        drawing) when its focus changes, which it does twice a checked card (to the answer widget
        and back); no style of the card or under it depends on the card's focus
        (tests/tui/test_card_text.py checks that the card's styles are the same focused or not)."""

    def focus_answer(self) -> None:
        """Focus what the question shown is answered with first (the card itself for a flip card),
        without scrolling to it: the prompt above it must stay in view."""
        widgets = self._ui.widgets
        target = self._answer_widgets.get(widgets[0], self) if widgets else self
        if isinstance(target, Input) and target.disabled:
            # Textual restyles a text box (~1 ms: the box and its four component classes) when it
            # is enabled and again when it gains the focus: here it is enabled without a restyle
            # (set_reactive skips Widget.watch_disabled), and the restyle of its focus shows both.
            target.set_reactive(Input.disabled, False)
        target.focus(scroll_visible=False)

    def watch_revealed(self, revealed: bool) -> None:
        # No style depends on the class (see _update_display): it only says what is shown.
        self.set_class(revealed, "revealed", update=False)
        self._update_display()
        if revealed:
            self._lock_boxes()

    def _lock_boxes(self) -> None:
        """Lock (disable, and so dim) a checked answer's text boxes in use.

        The focused box's focus moves to the card, and the box is disabled without a restyle of
        its own (set_reactive skips Widget.watch_disabled, which would restyle it and hand the
        focus on along the focus chain first, holding the verdict's frame back): the restyle of
        its blur shows both. A box in use without the focus is locked after the verdict's frame.
        A box not in use is left alone, as each change restyles it."""
        focused = self.screen.focused
        for box in self.query_children(Input):
            if box.display and not box.disabled and box is focused:
                box.set_reactive(Input.disabled, True)
                self.focus(scroll_visible=False)
        self.call_after_refresh(self._lock_unfocused_boxes)

    @while_shown  # queued after a refresh: the screen may be gone by then
    def _lock_unfocused_boxes(self) -> None:
        if self.revealed:
            for box in self.query_children(Input):
                if box.display and not box.disabled:
                    box.disabled = True
