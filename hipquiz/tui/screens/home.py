"""The home screen: the decks, what is due in each, and the way into studying."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.content import Content
from textual.widgets import Static

from hipquiz.core.decks import Deck
from hipquiz.core.library import DeckOrigin, describe_origin
from hipquiz.core.questions import MODE_LABELS, MODES
from hipquiz.tui.formatting import due_words
from hipquiz.tui.widgets import KeyFooter

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from hipquiz.tui.widgets.deck_table import DeckTable

# Counts change as learning cards come due; refresh them now and then while the screen is shown.
REFRESH_SECONDS = 60


class HomeScreen(Screen):
    BINDINGS = [
        # Quit first after Study, so that a narrow footer still shows the way out.
        Binding("q", "app.quit", "Quit"),
        Binding("m", "mode", "Mode"),
        Binding("c", "cards", "Cards"),
        Binding("s", "stats", "Stats"),
        Binding("o", "custom_study", "Custom"),
    ]

    def __init__(self, highlight: Deck | None = None) -> None:
        super().__init__()
        self._first_highlight = highlight

    def compose(self) -> ComposeResult:
        # Imported when the screen is composed: 'hipquiz study' starts on a card, and its first
        # frame does not wait for Textual's DataTable (tests/tui/test_start_imports.py).
        from hipquiz.tui.widgets.deck_table import DeckTable

        yield Static("hipquiz · the small muscles of the hip", id="title", classes="title-bar")
        yield DeckTable(id="decks")
        yield Static(id="description")
        yield Static(id="status")
        yield Static(id="mode")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_counts()
        self.show_mode()
        if self._first_highlight is not None:
            self.highlight(self._first_highlight)
        self.set_interval(REFRESH_SECONDS, self.refresh_counts)
        self._table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    @property
    def _table(self) -> DeckTable:
        # By id, not by class: the class is imported only with the screen's widgets (see compose).
        return self.query_one("#decks")  # type: ignore[return-value]

    def refresh_counts(self) -> None:
        from hipquiz.tui.widgets.deck_table import DeckRow  # imported with the table (see compose)

        app = self.app
        now = app.now()
        rows = [DeckRow(deck, app.collection.counts(deck, now)) for deck in app.library.decks]
        self._table.show(rows, now)
        status = self.query_one("#status", Static)
        if not rows:
            status.update("No decks found. Put deck files in your decks folder ('hipquiz paths' shows where).")
        elif all(row.counts.to_study == 0 for row in rows):
            upcoming = [row.counts.next_due for row in rows if row.counts.next_due is not None]
            if upcoming and min(upcoming) > now:
                status.update(f"All done for today: {due_words(min(upcoming), now)}.")
            else:
                status.update("All done for today.")
        else:
            total = sum(row.counts.to_study for row in rows)
            status.update(f"{total} to study today. Enter starts the highlighted deck.")
        status.set_class(bool(rows) and all(row.counts.to_study == 0 for row in rows), "done")
        self._describe(self._table.highlighted_deck)

    def highlight(self, deck: Deck) -> None:
        self._table.select_deck(deck.id)

    # Handlers named for their messages (Textual's on_<widget>_<message>) rather than @on(...):
    # the decorator would need the table's classes when this module is imported (see compose).
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "decks":
            self._describe(self._table.highlighted_deck)

    def _describe(self, deck: Deck | None) -> None:
        """The highlighted deck's description, and where it comes from (shipped, yours, --deck)."""
        if deck is None:
            self.query_one("#description", Static).update("")
            return
        origin = self.app.library.origins.get(deck.id, DeckOrigin.SHIPPED)
        where = Content.styled(describe_origin(origin, deck.path), "dim")
        self.query_one("#description", Static).update(
            Content.assemble(deck.description, "\n", where) if deck.description else where)

    def on_deck_table_chosen(self, event: DeckTable.Chosen) -> None:
        self.app.study(event.deck)

    def show_mode(self) -> None:
        self.query_one("#mode", Static).update(
            Content.assemble("Mode: ", (MODE_LABELS[self.app.mode], "bold"), ("  (m changes it)", "dim")))

    def action_mode(self) -> None:
        """The next mode (Flip → Multiple choice → … → Pictures → Mixed); remembered between runs."""
        modes = list(MODES)
        following = modes[(modes.index(self.app.mode) + 1) % len(modes)]
        if self.app.set_mode(following):
            self.show_mode()

    def action_cards(self) -> None:
        """The card browser, filtered to the highlighted deck (clear the filter to see them all)."""
        from hipquiz.tui.screens.browser import CardBrowserScreen

        self.app.push_screen(CardBrowserScreen(self._table.highlighted_deck))

    def action_stats(self) -> None:
        self.app.open_stats()

    def action_custom_study(self) -> None:
        """All decks or a tag together, cram, limits, extra new cards, study ahead."""
        from hipquiz.tui.screens.custom_study import CustomStudy, CustomStudyModal

        def start(chosen: CustomStudy | None) -> None:
            if chosen is not None:
                self.app.study(chosen.deck, chosen.options)

        self.app.push_screen(CustomStudyModal(self.app.library.decks, self._table.highlighted_deck),
                             start)
