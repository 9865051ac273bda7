"""A card forgotten again and again: suspend it, compare it with its look-alike, or go on."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from hipquiz.core.decks import Card, Note
from hipquiz.tui.widgets import KeyFooter

SUSPEND, DRILL, CONTINUE = "suspend", "drill", "continue"


class LeechModal(ModalScreen[str]):
    """Dismisses with ``"suspend"``, ``"drill"`` (compare with ``partner``) or ``"continue"``."""

    BINDINGS = [
        Binding("s", "choose('suspend')", "Suspend"),
        Binding("d", "choose('drill')", "Compare"),
        Binding("c", "choose('continue')", "Continue"),
        Binding("escape", "choose('continue')", "Continue", show=False),
    ]

    def __init__(self, card: Card, lapses: int, partner: Card | None) -> None:
        super().__init__()
        self.card = card
        self.lapses = lapses
        self.partner = partner

    def compose(self) -> ComposeResult:
        times = f"{self.lapses} time{'' if self.lapses == 1 else 's'}"
        with Vertical(id="dialog"):
            yield Static(Content.assemble((f"This card is a leech (forgotten {times}).", "bold"), "\n\n",
                                          self.card.prompt), id="question")
            # Left out on a short terminal, so that the buttons keep their place.
            # Comparing is offered only when there is a look-alike to compare it with.
            compare = (", or compare it with the card it is confused with" if self.partner is not None
                       else ", or go on and give it another try")
            yield Static(
                "Cards you keep forgetting waste study time. Suspend it (unsuspend it later from the "
                f"deck's card list, c on the home screen){compare}.",
                markup=False, id="explanation")
            with Horizontal(id="buttons"):
                yield Button("Suspend (s)", variant="error", id=SUSPEND)
                if self.partner is not None:
                    yield Button("Compare (d)", variant="primary", id=DRILL)
                yield Button("Continue (c)", id=CONTINUE)
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and parameters and parameters[0] == DRILL:
            return self.partner is not None
        return True

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or CONTINUE)


def note_rows(note: Note) -> list[tuple[str, str]]:
    """What tells one note from another, field by field (empty fields included, as blanks)."""
    location = note.text("location")
    if note.text("region"):
        location = f"{location} ({note.text('region')})" if location else note.text("region")
    bullets = lambda items: "\n".join(f"• {item}" for item in items)  # noqa: E731
    return [
        ("Name", note.name),
        ("Location", location),
        ("Functions", bullets(note.items("functions"))),
        ("Group", note.text("group")),
        ("Relations", bullets(note.items("relations"))),
        ("Source", note.source),
    ]


class CompareModal(ModalScreen[None]):
    """Two notes side by side, field by field, so the difference shows."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, card: Card, partner: Card) -> None:
        super().__init__()
        self.card = card
        self.partner = partner

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="compare"):
            yield Static(id="compare-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        box = self.query_one("#compare")
        box.border_title = "Tell them apart"
        box.focus()

    def on_resize(self) -> None:
        # Side by side when there is room; one field after the other on a narrow terminal.
        table = self.query_one("#compare-table", Static)
        table.update(self._table() if self.size.width >= 60 else self._stacked())

    def _stacked(self) -> Content:
        parts: list[Content] = []
        for (label, mine), (_, theirs) in zip(note_rows(self.card.note), note_rows(self.partner.note)):
            if not mine and not theirs:
                continue
            parts.append(Content.assemble((label, "bold underline"), "\n", ("This card: ", "bold"), mine or "—",
                                          "\n", ("Confused with: ", "bold"), theirs or "—"))
        return Content("\n\n").join(parts)

    def _table(self) -> Table:
        # leading: a blank line between fields, so multi-line cells stay apart.
        table = Table(expand=True, box=None, padding=(0, 1), leading=1)
        table.add_column("", style="bold", no_wrap=True, min_width=max(len(label) for label, _ in
                                                                      note_rows(self.card.note)))
        table.add_column(Text("This card", style="bold"), ratio=1)
        table.add_column(Text("Confused with", style="bold"), ratio=1)
        for (label, mine), (_, theirs) in zip(note_rows(self.card.note), note_rows(self.partner.note)):
            if not mine and not theirs:
                continue
            # Text(), not markup: deck text is shown as written.
            table.add_row(Text(label), Text(mine or "—"), Text(theirs or "—"))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
