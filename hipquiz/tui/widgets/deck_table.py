"""A table of decks with what there is to study in each."""

from __future__ import annotations

import os
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

    def show(self, rows: list[DeckRow], now: datetime) -> None:
        """Fill the table, keeping the highlighted deck highlighted."""
        self._rows, self._now = list(rows), now
        current = self.highlighted_deck
        self._name_width, self._short_next = self._fit()
        nexts = [_next_due(row.counts, now, short=self._short_next) for row in rows]
        # Every column gets its width here, none is measured by the table: it measures new rows
        # only when idle, and a table drawn before that (about half of real starts) kept the
        # Next column as wide as its heading, "in 2" for "in 2d (Tue 14:52)", until a key redrew it.
        # Columns too: a column never narrows by itself once it has held a longer name.
        self.clear(columns=True)
        self.add_column("Deck", width=max(self._name_width, len("Deck")), key="deck")
        for label, key in _COUNT_COLUMNS:
            width = max([len(label), *(len(str(getattr(row.counts, key))) for row in rows)])
            self.add_column(Text(label, justify="right"), width=width, key=key)
        self.add_column("Next", width=max([len("Next"), *(cell_len(text) for text in nexts)]), key="next")
        self._decks = {row.deck.id: row.deck for row in rows}
        names = _shorten([row.deck.name for row in rows], self._name_width)
        for row, name, next_due in zip(rows, names, nexts):
            counts = row.counts
            self.add_row(
                # Deck text comes from files: Text() keeps a '[' literal instead of reading it as markup.
                Text(name, no_wrap=True, overflow="ellipsis"),
                *(_count(getattr(counts, key), key) for _, key in _COUNT_COLUMNS),
                Text(next_due, style="dim"),
                key=row.deck.id,
            )
        if current is not None:
            self.select_deck(current.id)
        if not self.size.width:
            # Shown before the first layout: the widths were guessed; fit them again once the
            # table knows its size.
            self.call_after_refresh(self._show_again)

    def _fit(self) -> tuple[int, bool]:
        """How wide deck names may be, and whether "next due" drops its clock time, so that the
        counts stay in view on a narrow terminal."""
        longest = max((cell_len(row.deck.name) for row in self._rows), default=4)
        if not self.size.width or self._now is None:
            return longest, False
        counts = sum(max([len(label), *(len(str(getattr(r.counts, key))) for r in self._rows)])
                     for label, key in _COUNT_COLUMNS)
        room = 0
        for short in (False, True):
            nexts = [cell_len(_next_due(row.counts, self._now, short=short)) for row in self._rows]
            # Each of the five columns has one cell of padding on either side; one more for a scrollbar.
            room = self.size.width - counts - max([len("Next"), *nexts]) - 2 * 5 - 1
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

    def action_select_cursor(self) -> None:
        # The study screen comes through two messages (RowSelected, Chosen): the keys typed behind
        # Enter wait for it rather than run the home screen's commands meanwhile.
        if self.row_count:
            self.app.hold_keys_for_next_screen()  # type: ignore[attr-defined]
        super().action_select_cursor()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        deck = self._decks.get(event.row_key.value or "")
        if deck is not None:
            self.post_message(self.Chosen(self, deck))


def _next_due(counts: DeckCounts, now: datetime, *, short: bool = False) -> str:
    """``in 3h (14:05)``, or ``in 3h`` when short; empty while there is something to study."""
    if counts.to_study:
        return ""
    words = due_words(counts.next_due, now).removeprefix("next due ") or "done"
    return words.split(" (")[0] if short else words


def _shorten(names: list[str], width: int) -> list[str]:
    """Names cut to ``width`` cells with an ellipsis, and still told apart: where two would come
    out the same ("Small hip mu…" for a shipped deck and its "(my copy)"), the one that goes on
    keeps its end instead ("Sma…(my copy)")."""
    cut = [_cut_end(name, width) for name in names]
    for i, name in enumerate(names):
        same = [names[j] for j, other in enumerate(cut) if other == cut[i] and j != i]
        if not same:
            continue
        shared = max(len(os.path.commonprefix([name, other])) for other in same)
        tail = name[shared:].lstrip()
        if tail:
            kept = _last_cells(tail, max(width - 4, 1))
            cut[i] = _cut_end(name, width - cell_len(kept), ellipsis=True) + kept
    return cut


def _cut_end(text: str, width: int, *, ellipsis: bool = False) -> str:
    """``text`` in ``width`` cells, its end replaced by "…" when it does not fit (or always)."""
    if cell_len(text) <= width and not ellipsis:
        return text
    shown = Text(text)
    shown.truncate(max(width - 1, 0))
    return shown.plain.rstrip() + "…"


def _last_cells(text: str, width: int) -> str:
    """The end of ``text`` that fits in ``width`` cells."""
    start = len(text)
    while start > 0 and cell_len(text[start - 1:]) <= width:
        start -= 1
    return text[start:]


# The count columns: heading and DeckCounts field.
_COUNT_COLUMNS = (("New", "new"), ("Learn", "learning"), ("Due", "due"))


def _count(value: int, kind: str) -> Text:
    return Text(str(value), style=f"bold {_COLOURS[kind]}" if value else "dim", justify="right")


# Anki's colours for the three counts.
_COLOURS = {"new": "dodger_blue1", "learning": "red3", "due": "green3"}
