"""A flashcard: the question, and once revealed the answer with the note's source quote and caveat."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from hipquiz.core.questions import Question


class CardView(VerticalScroll, can_focus=True):
    """Scrolls when the answer is longer than the space it has (up/down/page keys, mouse wheel)."""

    DEFAULT_CSS = """
    CardView {
        height: 1fr;
        padding: 0 1;
        & > .prompt { text-style: bold; }
        & > .answer-part { display: none; }
        &.revealed > .answer-part { display: block; }
        &.revealed > .answer-part.empty { display: none; }
        & > .answer {
            border-top: solid $primary;
            margin-top: 1;
        }
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
    """Whether the answer, source and caveat are shown."""

    def compose(self) -> ComposeResult:
        # markup=False everywhere: deck text such as "[see F3]" must show as written.
        yield Static(markup=False, classes="prompt")
        yield Static(markup=False, classes="answer answer-part")
        yield Static(classes="source answer-part")
        yield Static(classes="caveat answer-part")

    def show(self, question: Question) -> None:
        """Show a new question with its answer hidden."""
        card = question.card
        self.query_one(".prompt", Static).update(question.prompt)
        self.query_one(".answer", Static).update(card.answer)
        self._labelled(".source", "Source: ", f"“{card.source}”" if card.source else "")
        self._labelled(".caveat", "Caveat: ", card.note.caveat)
        self.revealed = False
        self.scroll_home(animate=False)

    def _labelled(self, selector: str, label: str, text: str) -> None:
        widget = self.query_one(selector, Static)
        # Content.assemble takes plain strings literally, so the deck text is never markup.
        widget.update(Content.assemble((label, "bold"), text) if text else Content(""))
        widget.set_class(not text, "empty")

    def watch_revealed(self, revealed: bool) -> None:
        self.set_class(revealed, "revealed")
