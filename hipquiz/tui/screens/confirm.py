"""A yes/no question in a small box over the current screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from hipquiz.tui.widgets import KeyFooter


class ConfirmModal(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str, yes_label: str = "Yes", *, yes_variant: str = "error",
                 no_label: str = "Cancel", focus_no: bool = False) -> None:
        """``focus_no``: Enter answers No (when the box follows an Enter that meant something else)."""
        super().__init__()
        self.focus_no = focus_no
        self.question = question
        self.yes_label = yes_label
        self.yes_variant = yes_variant
        self.no_label = no_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, markup=False, id="question")
            with Horizontal(id="buttons"):
                yield Button(f"{self.yes_label} (y)", variant=self.yes_variant, id="yes")  # type: ignore[arg-type]
                yield Button(f"{self.no_label} (n)", id="no")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.focus_no:
            self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
