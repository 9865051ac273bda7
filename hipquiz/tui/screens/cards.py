"""A deck's cards: where each stands, and the way to suspend or unsuspend one."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from hipquiz.core.decks import Card, Deck
from hipquiz.core.model import CardProgress
from hipquiz.core.scheduler import format_interval
from hipquiz.core.session import is_new, set_suspended, study_day
from hipquiz.core.errors import StoreError

COLUMNS = (("State", 10), ("Due", 8), ("Lapses", 6), ("Flags", 16))


def card_state(progress: CardProgress | None) -> str:
    return "new" if is_new(progress) else progress.phase  # type: ignore[union-attr]


def card_due(progress: CardProgress | None, now: datetime) -> str:
    if is_new(progress):
        return "—"
    assert progress is not None
    return "now" if progress.due <= now else f"in {format_interval(progress.due - now)}"


def card_flags(progress: CardProgress | None, now: datetime) -> list[str]:
    if progress is None:
        return []
    flags = []
    if progress.suspended:
        flags.append("suspended")
    if progress.buried_until is not None and progress.buried_until > study_day(now):
        flags.append("buried")
    if progress.leech:
        flags.append("leech")
    return flags


def short_prompt(card: Card) -> str:
    """The prompt's first line (a "which muscle does this?" card lists the functions below it).
    Cards that ask for a muscle's name all start alike ("Which muscle lies here: …"), so the
    name comes first: this is a list of cards, not a quiz."""
    first = card.prompt.splitlines()[0] if card.prompt else card.id
    first += " …" if "\n" in card.prompt else ""
    if card.note.type == "muscle" and card.answer_field == "name":
        return f"{card.note.name}: {first[:1].lower()}{first[1:]}"
    return first


class CardsScreen(Screen):
    BINDINGS = [
        Binding("exclamation_mark", "toggle_suspend", "Suspend/unsuspend"),
        Binding("space", "toggle_suspend", "Suspend/unsuspend", show=False),
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, deck: Deck) -> None:
        super().__init__()
        self.deck = deck
        self._cards = {card.id: card for card in deck.cards}
        self._prompt_width = 0

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble("Cards · ", self.deck.name), classes="title-bar", id="cards-title")
        yield DataTable(id="cards", cursor_type="row", zebra_stripes=True)
        yield Static(id="cards-status")
        yield Footer()

    def on_mount(self) -> None:
        self.fill()
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        if self._fit() != self._prompt_width:
            self.fill()

    def _fit(self) -> int:
        # The other columns keep their width; the prompt takes the rest (one cell of padding on
        # each side of each column, one more for a scrollbar).
        others = sum(width for _, width in COLUMNS) + 2 * (len(COLUMNS) + 1) + 1
        return max(self.size.width - others, 16)

    def fill(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        self._prompt_width = self._fit()
        table.clear(columns=True)
        table.add_column("Card", width=self._prompt_width, key="card")
        for name, width in COLUMNS:
            table.add_column(name, width=width, key=name.lower())
        progress = self.app.store.all_progress()
        now = self.app.now()
        for card in self.deck.cards:
            table.add_row(*self._cells(card, progress.get(card.id), now), key=card.id)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._status(progress)

    def _cells(self, card: Card, progress: CardProgress | None, now: datetime) -> list[Text]:
        # Text(), not str: DataTable would read a str as markup, and deck text must show as written.
        prompt = Text(short_prompt(card), no_wrap=True, overflow="ellipsis")
        prompt.truncate(self._prompt_width, overflow="ellipsis")
        flags = card_flags(progress, now)
        return [
            prompt,
            Text(card_state(progress)),
            Text(card_due(progress, now)),
            Text(str(progress.lapses if progress else 0), justify="right"),
            Text(", ".join(flags), style="bold" if flags else ""),
        ]

    def _status(self, progress: dict[str, CardProgress]) -> None:
        suspended = sum(1 for cid in self._cards if (p := progress.get(cid)) is not None and p.suspended)
        leeches = sum(1 for cid in self._cards if (p := progress.get(cid)) is not None and p.leech)
        self.query_one("#cards-status", Static).update(
            f"{len(self._cards)} cards · {suspended} suspended · {leeches} leeches")

    @property
    def highlighted_card(self) -> Card | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return self._cards.get(row_key.value or "")

    def action_toggle_suspend(self) -> None:
        card = self.highlighted_card
        if card is None:
            return
        app = self.app
        current = app.store.all_progress().get(card.id)
        suspend = not (current is not None and current.suspended)
        try:
            set_suspended(app.store, app.scheduler, card, suspend, app.now())
        except StoreError as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=10, markup=False)
            return
        self.fill()
        self.notify("Suspended." if suspend else "Unsuspended: it will be shown again when due.")

    def action_back(self) -> None:
        self.dismiss()
