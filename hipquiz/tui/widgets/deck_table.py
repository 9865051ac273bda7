"""A table of decks with what there is to study in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from hipquiz.core.decks import Deck
from hipquiz.core.session import DeckCounts
from hipquiz.tui.formatting import due_words


@dataclass(frozen=True)
class DeckRow:
    deck: Deck
    counts: DeckCounts


class DeckTable(DataTable):
    """One row per deck: New / Learning / Due, and when the next card is due if none is now.

    Enter (or a click on the highlighted row) posts ``DeckTable.Chosen``.
    """

    DEFAULT_CSS = """
    DeckTable {
        height: auto;
        max-height: 100%;
    }
    """

    BINDINGS = [
        # The table's own Enter, shown in the footer. (A screen-level priority binding would run
        # before the table had handled an arrow key typed just before it, and pick the wrong deck.)
        Binding("enter", "select_cursor", "Study"),
    ]

    class Chosen(Message):
        """The user chose a deck to study."""

        def __init__(self, table: DeckTable, deck: Deck) -> None:
            super().__init__()
            self.table = table
            self.deck = deck

        @property
        def control(self) -> DeckTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=False)
        self._decks: dict[str, Deck] = {}
        self._rows: list[DeckRow] = []
        self._now: datetime | None = None
        self._name_width = 0
        self._short_next = False

    def _add_columns(self) -> None:
        # A fixed width for names: auto widths do not follow a re-fill after a resize.
        self.add_column("Deck", width=max(self._name_width, len("Deck")), key="deck")
        self.add_column(Text("New", justify="right"), key="new")
        self.add_column(Text("Learn", justify="right"), key="learning")
        self.add_column(Text("Due", justify="right"), key="due")
        self.add_column("Next", key="next")

    def show(self, rows: list[DeckRow], now: datetime) -> None:
        """Fill the table, keeping the highlighted deck highlighted."""
        self._rows, self._now = list(rows), now
        current = self.highlighted_deck
        self._name_width, self._short_next = self._fit()
        # Columns too: a column never narrows by itself once it has held a longer name.
        self.clear(columns=True)
        self._add_columns()
        self._decks = {row.deck.id: row.deck for row in rows}
        for row in rows:
            counts = row.counts
            # Deck text comes from files: Text() keeps a '[' literal instead of reading it as markup.
            name = Text(row.deck.name, no_wrap=True, overflow="ellipsis")
            name.truncate(self._name_width, overflow="ellipsis")
            self.add_row(
                name,
                _count(counts.new, "new"),
                _count(counts.learning, "learning"),
                _count(counts.due, "due"),
                Text("" if counts.to_study else _next_due(counts, now, short=self._short_next), style="dim"),
                key=row.deck.id,
            )
        if current is not None:
            self.select_deck(current.id)
        if not self.size.width:
            # Shown before the first layout: the widths were guessed (the Next column came out cut,
            # "in 2" for "in 2d (Tue 14:52)"); fit them again once the table knows its size.
            self.call_after_refresh(self._show_again)

    def _fit(self) -> tuple[int, bool]:
        """How wide deck names may be, and whether "next due" drops its clock time, so that the
        counts stay in view on a narrow terminal."""
        longest = max((cell_len(row.deck.name) for row in self._rows), default=4)
        if not self.size.width or self._now is None:
            return longest, False
        waiting = [r.counts for r in self._rows if not r.counts.to_study]
        room = 0
        for short in (False, True):
            nexts = [len(_next_due(counts, self._now, short=short)) for counts in waiting]
            others = len("New") + len("Learn") + len("Due") + max([len("Next"), *nexts])
            # Each of the five columns has one cell of padding on either side; one more for a scrollbar.
            room = self.size.width - others - 2 * 5 - 1
            if room >= min(longest, 16):
                break
        return max(min(longest, room), 10), short

    def _show_again(self) -> None:
        if self.size.width and self._now is not None:  # once: a table still without a size waits for on_resize
            self.show(self._rows, self._now)

    def on_resize(self) -> None:
        if self._rows and self._now is not None and self._fit() != (self._name_width, self._short_next):
            self.show(self._rows, self._now)

    @property
    def highlighted_deck(self) -> Deck | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return self._decks.get(row_key.value or "")

    def select_deck(self, deck_id: str) -> None:
        """Move the highlight to a deck (does not start it)."""
        if deck_id in self._decks:
            self.move_cursor(row=self.get_row_index(deck_id))

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        deck = self._decks.get(event.row_key.value or "")
        if deck is not None:
            self.post_message(self.Chosen(self, deck))


def _next_due(counts: DeckCounts, now: datetime, *, short: bool = False) -> str:
    """``in 3h (14:05)``, or ``in 3h`` when short."""
    words = due_words(counts.next_due, now).removeprefix("next due ") or "done"
    return words.split(" (")[0] if short else words


def _count(value: int, kind: str) -> Text:
    return Text(str(value), style=f"bold {_COLOURS[kind]}" if value else "dim", justify="right")


# Anki's colours for the three counts.
_COLOURS = {"new": "dodger_blue1", "learning": "red3", "due": "green3"}
