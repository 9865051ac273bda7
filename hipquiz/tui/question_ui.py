"""Each question type's part of the study screen, in one place: its key hint, the answer widgets it
shows and focuses, how it reads the user's response, and how it shows the verdict.

``UIS`` lists them by type name. A new question type (see ``hipquiz/core/questions``) adds its
``QuestionUI`` subclass here and nowhere else in the UI; a widget of its own goes into
``ANSWER_WIDGETS``, which the card view composes once each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input

from hipquiz.core import figures
from hipquiz.core.questions import TYPES, Check, Question, match_key, parse_order
from hipquiz.tui.widgets.answer_list import AnswerList
from hipquiz.tui import glyphs
from hipquiz.tui.widgets.drawing import DrawingView

if TYPE_CHECKING:
    from hipquiz.tui.widgets.card_view import CardView

RIGHT = (f"{glyphs.RIGHT} ", "bold")
WRONG = (f"{glyphs.WRONG} ", "bold")

# The widgets types answer with, by id: the card view composes each once, hidden unless the type
# shown lists it in ``QuestionUI.widgets``.
ANSWER_WIDGETS: dict[str, Callable[[], Widget]] = {
    "options": lambda: AnswerList(id="options"),
    "typed": lambda: Input(placeholder=TYPED_PLACEHOLDER, id="typed"),
    "order-input": lambda: Input(placeholder="…or type the order, like 3 1 2, then Enter", id="order-input",
                                 select_on_focus=False),
    # Docked at the card's left (hipquiz.tcss); also shows a location answer's muscle, lit.
    "drawing": lambda: DrawingView(id="drawing"),
}

Marks = dict[int, tuple[bool | None, str]]
TYPED_PLACEHOLDER = "Type the answer, then Enter"


class QuestionUI:
    """A question type on screen. The defaults suit a type answered in a text box or not at all."""

    kind: ClassVar[str]
    # One line under the question saying which keys answer it.
    key_hint: ClassVar[str]
    # The button under the card ("" = none: the options are the buttons).
    button_label: ClassVar[str] = "Check (Enter)"
    # Ids of ANSWER_WIDGETS this type shows; the first is focused when a question is shown.
    widgets: ClassVar[tuple[str, ...]] = ()
    # A text box takes the keys: while it is focused no letter may be a shortcut.
    takes_text: ClassVar[bool] = False
    # The answer widgets mark the answer themselves, so the "Answer: …" line is left out.
    marks_answer: ClassVar[bool] = False

    async def prepare(self, view: CardView, question: Question) -> None:
        """Fill the answer widgets for a new question (text boxes are emptied by the view)."""

    def response(self, view: CardView) -> Any:
        """What the user answered, in ``check_answer``'s terms; ValueError with a message for
        unreadable input. The default: the text in the first answer widget."""
        return view.query_one(f"#{self.widgets[0]}", Input).value

    def number_typed(self, view: CardView, text: str) -> None:
        """A number key pressed on the options (only the order type uses it)."""

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        """Mark the answer widgets after a check (the verdict text is shown by the screen)."""

    def verdict(self, question: Question, check: Check) -> Content:
        """A few lines: right or wrong first, then what was given beside what was expected."""
        return Content.assemble(RIGHT if check.correct else WRONG, ("Right" if check.correct else "Wrong", "bold"))

    def picked(self, question: Question, terms: tuple[str, ...]) -> Any:
        """The response meant by picking a region of the drawing (None: picking means nothing)."""
        return None

    def words_instead(self, question: Question) -> Question | None:
        """The question to ask when the drawing it needs does not fit (None: it needs none)."""
        return None


class FlipUI(QuestionUI):
    kind = "flip"
    key_hint = "Space shows the answer."
    button_label = "Show answer (Space)"

    def response(self, view: CardView) -> Any:
        return None


class WrittenFlipUI(FlipUI):
    """A flip card in a mode whose answers are typed (a card with no typed form): a text box to
    write the answer for oneself, so that letters typed never act as shortcuts; Enter shows the
    answer beside what was written."""

    button_label = "Show answer (Enter)"
    widgets = ("typed",)
    takes_text = True

    async def prepare(self, view: CardView, question: Question) -> None:
        view.query_one("#typed", Input).placeholder = "Type it for yourself, then Enter shows the answer"

    def response(self, view: CardView) -> Any:
        return view.query_one("#typed", Input).value.strip()


class TypedUI(QuestionUI):
    kind = "typed"
    key_hint = "Enter checks it (Enter alone if you do not know)."
    widgets = ("typed",)
    takes_text = True

    async def prepare(self, view: CardView, question: Question) -> None:
        view.query_one("#typed", Input).placeholder = TYPED_PLACEHOLDER

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        # Also when the card comes back after an undo: what was typed stays beside the verdict.
        view.query_one("#typed", Input).value = check.given

    def verdict(self, question: Question, check: Check) -> Content:
        if check.correct and check.near_miss:
            # The answer follows right below ("Answer: …"): say the spelling here only when the
            # name matched is not the answer as written (an alias, say).
            head = Content.assemble(RIGHT, ("Accepted (typo)", "bold"), " — you typed: ",
                                    (check.given.strip(), "bold"))
            if check.expected and check.expected.strip() != question.card.answer.strip():
                head = Content.assemble(head, "\nThe spelling is: ", (check.expected, "bold"))
            return head
        if check.correct:
            # Right, with a word on why where it is not the card's answer ("the deep six is a group…").
            return Content.assemble(RIGHT, ("Right", "bold"), f" — {check.note}." if check.note else "")
        if not check.given.strip():
            head = Content.assemble(WRONG, ("Not answered", "bold"))
        else:
            # The answer follows right below ("Answer: …"), beside what was typed.
            head = Content.assemble(WRONG, ("Wrong", "bold"), " — you typed: ", (check.given.strip(), "bold"))
        if check.named and match_key(check.named) != match_key(check.given):
            head = Content.assemble(head, f"\nYou named the {check.named}.")
        if check.ambiguous:
            head = Content.assemble(head, " It is as close to that name as to the answer, so it is not taken "
                                          "as a typo.")
        if check.note:
            head = Content.assemble(head, f"\n{check.note[:1].upper()}{check.note[1:]}.")
        return head


class _ListUI(QuestionUI):
    """Types answered from the options list (AnswerList in the same mode as the type's name)."""

    widgets: ClassVar[tuple[str, ...]] = ("options",)

    async def prepare(self, view: CardView, question: Question) -> None:
        await view.query_one(AnswerList).set_options(self.kind, question.options)

    def response(self, view: CardView) -> Any:
        return view.query_one(AnswerList).response

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        answers = view.query_one(AnswerList)
        answers.show_marks(self.marks(question, check, tuple(answers.order)))

    def marks(self, question: Question, check: Check, order: tuple[int, ...]) -> Marks:
        """Option index → (right?, note) for AnswerList.show_marks; ``order`` is the order shown."""
        return {}


class ChoiceUI(_ListUI):
    kind = "choice"
    key_hint = "Press 1-4, or ↑↓ and Enter, or click."
    button_label = ""
    marks_answer = True

    def verdict(self, question: Question, check: Check) -> Content:
        if check.correct:
            # Right, with a word on why where it is not the card's answer ("the deep six is a group…").
            return Content.assemble(RIGHT, ("Right", "bold"), f" — {check.note}." if check.note else "")
        # Numbers and words: on a small screen the marked options may be scrolled out of view.
        answer = question.answer_indices[0]
        chosen = check.given
        if chosen in question.options:
            chosen = f"{question.options.index(chosen) + 1}: {chosen}"
        return Content.assemble(WRONG, ("Wrong", "bold"), " — you chose ", (chosen, "bold"),
                                "\nThe answer is ", (f"{answer + 1}: {question.options[answer]}", "bold"))

    def marks(self, question: Question, check: Check, order: tuple[int, ...]) -> Marks:
        right = question.answer_indices[0]
        chosen = question.options.index(check.given) if check.given in question.options else -1
        marks: Marks = {right: (True, "your choice" if chosen == right else "the answer")}
        if chosen != right and chosen >= 0:
            marks[chosen] = (False, "your choice")
        return marks


def _items(count: int, what: str) -> str:
    return f"{count} {what}" + ("" if count == 1 else "s")


class SelectUI(_ListUI):
    kind = "select"
    key_hint = "Space or a number ticks; ↑↓ move; Enter checks."

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        # The ticks as they were answered: a card brought back by undo shows them with the marks.
        view.query_one(AnswerList).ticked = set(response)
        super().show_check(view, question, check, response)

    def verdict(self, question: Question, check: Check) -> Content:
        """What was ticked, in the terms a student counts in: the right items ticked, the wrong ones.

        ``check.item_marks`` is True for an option ticked or left alone as it should be, so an
        unticked distractor counts as a mark "right"; that is not what "3 of 6 right" means to anyone.
        """
        answer = set(question.answer_indices)
        total = len(answer)
        ticked_right = sum(1 for index in answer if check.item_marks[index])
        ticked_wrong = sum(1 for index, ok in enumerate(check.item_marks) if index not in answer and not ok)
        wrong_part = "no wrong ones" if not ticked_wrong else f"{_items(ticked_wrong, 'wrong item')} ticked"
        if check.correct:
            every = "the one right item" if total == 1 else f"all {total}"
            return Content.assemble(RIGHT, ("Right", "bold"), f" — {every} ticked, no wrong ones")
        if not ticked_right and not ticked_wrong:
            which = "the right item is" if total == 1 else f"the {total} right items are"
            return Content.assemble(WRONG, ("Nothing ticked", "bold"), f" — {which} marked “missed”")
        return Content.assemble(WRONG, ("Not quite", "bold"),
                                f" — {ticked_right} of {_items(total, 'right item')} ticked, {wrong_part}")

    def marks(self, question: Question, check: Check, order: tuple[int, ...]) -> Marks:
        answer = set(question.answer_indices)
        marks: Marks = {}
        for index, ok in enumerate(check.item_marks):
            in_answer = index in answer
            if ok:
                marks[index] = (True, "") if in_answer else (None, "")
            else:
                marks[index] = (False, "missed" if in_answer else "not in the answer")
        return marks


class OrderUI(_ListUI):
    kind = "order"
    key_hint = "[ ] or Shift+↑↓ move the highlighted item, or type the numbers (like 3 1 2); Enter checks."
    widgets = ("options", "order-input")

    def response(self, view: CardView) -> Any:
        answers = view.query_one(AnswerList)
        text = view.query_one("#order-input", Input).value
        if not text.strip():
            return tuple(answers.order)
        # The numbers are those shown, which moving items changes: map them to option indices.
        positions = parse_order(text, len(answers.order))
        return tuple(answers.order[p] for p in positions)

    def number_typed(self, view: CardView, text: str) -> None:
        box = view.query_one("#order-input", Input)
        box.focus()  # and scrolled into view, to see what is typed
        box.insert_text_at_cursor(text)

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        view.query_one(AnswerList).set_order(tuple(response))
        super().show_check(view, question, check, response)

    def verdict(self, question: Question, check: Check) -> Content:
        marks = check.item_marks
        if check.correct:
            return Content.assemble(RIGHT, ("Right order", "bold"))
        return Content.assemble(WRONG, ("Not quite", "bold"),
                                f" — {sum(marks)} of {len(marks)} in the right place; see the marks above")

    def marks(self, question: Question, check: Check, order: tuple[int, ...]) -> Marks:
        # item_marks are per position of the user's order, which the list shows.
        marks: Marks = {}
        for index, ok in zip(order, check.item_marks):
            belongs = question.answer_indices.index(index) + 1
            marks[index] = (True, "") if ok else (False, f"belongs at {belongs}")
        return marks


def show_figure(view: CardView, figure: figures.Figure | None, *, locked: bool = False) -> None:
    """Draw a figure in the card's drawing (None: clear it)."""
    drawing = view.query_one(DrawingView)
    if figure is None:
        drawing.show(None)
        return
    drawing.show(figures.atlas().view(figure.view_id), figure.numbered, figure.lit, locked=locked)


class _FigureUI(ChoiceUI):
    """Types asked with a drawing: asked in words instead when it does not fit; the options, with
    the choice marks, say afterwards what each number (or the lit region) was."""

    async def prepare(self, view: CardView, question: Question) -> None:
        await view.query_one(AnswerList).set_options("choice", question.options)
        show_figure(view, getattr(question, "figure", None))

    def words_instead(self, question: Question) -> Question | None:
        return getattr(question, "words", None)

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        super().show_check(view, question, check, response)
        figure = getattr(question, "figure", None)
        if figure is not None:
            # The answer lit, the numbers kept: "what each number was" reads off the options.
            answer = figure.labels[question.answer_indices[0]][0] if figure.labels else figure.lit
            show_figure(view, figures.Figure(figure.view_id, figure.labels, answer), locked=True)


class WhereUI(_FigureUI):
    kind = "where"
    key_hint = "Press the number on the drawing, or click the region."
    # The drawing takes the keys; the options (the names) stay hidden until the answer is checked.
    widgets = ("drawing", "options")

    def picked(self, question: Question, terms: tuple[str, ...]) -> Any:
        figure = getattr(question, "figure", None)
        numbered = [t for t, _ in figure.labels] if figure is not None else []
        # A click on an unnumbered region (a bone, the outline) answers nothing.
        return next((numbered.index(t) for t in terms if t in numbered), None)

    def verdict(self, question: Question, check: Check) -> Content:
        answer = question.answer_indices[0]
        expected = f"{answer + 1}: {question.options[answer]}"
        if check.correct:
            return Content.assemble(RIGHT, ("Right", "bold"), f" — {expected}")
        chosen = question.options.index(check.given) + 1
        return Content.assemble(WRONG, ("Wrong", "bold"), " — you chose ", (f"{chosen}: {check.given}", "bold"),
                                "\nThe answer is ", (expected, "bold"))


class LitUI(_FigureUI):
    kind = "lit"
    key_hint = "Press 1-4 or click a name; or Tab to the box, type the name and press Enter."
    widgets = ("options", "typed", "drawing")

    def response(self, view: CardView) -> Any:
        return view.query_one("#typed", Input).value

    def show_check(self, view: CardView, question: Question, check: Check, response: Any) -> None:
        if isinstance(response, str):
            # Typed: mark the right option only (and the one named, if it is an option).
            chosen = next((i for i, o in enumerate(question.options) if match_key(o) == match_key(check.named)), -1)
            response = chosen if chosen >= 0 else question.answer_indices[0]
            marks: Marks = {question.answer_indices[0]: (True, "the answer")}
            if not check.correct and chosen >= 0 and chosen != question.answer_indices[0]:
                marks[chosen] = (False, "you typed this")
            view.query_one(AnswerList).show_marks(marks)
            show_figure(view, getattr(question, "figure", None), locked=True)
            return
        super().show_check(view, question, check, response)

    def verdict(self, question: Question, check: Check) -> Content:
        if check.given and check.given not in question.options:
            return TypedUI.verdict(self, question, check)
        return ChoiceUI.verdict(self, question, check)


UIS: dict[str, QuestionUI] = {ui.kind: ui for ui in (FlipUI(), ChoiceUI(), TypedUI(), SelectUI(), OrderUI(),
                                                     WhereUI(), LitUI())}
WRITTEN_FLIP = WrittenFlipUI()


def ui_for(kind: str, mode: str = "") -> QuestionUI:
    """The screen part of question type ``kind``; in a ``mode`` answered in a text box, a card
    rated by the user keeps a text box too (no keyboard trap for someone typing)."""
    mode_ui = UIS.get(mode)
    if TYPES[kind].self_rated and mode_ui is not None and mode_ui.takes_text:
        return WRITTEN_FLIP
    return UIS[kind]
