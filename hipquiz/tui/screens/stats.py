"""Statistics: per deck, how much has been studied; reviews today and in all."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from hipquiz.core.stats import deck_stats


def review_line(app) -> str:
    figures = app.collection.statistics()
    if not figures.has_reviews:
        return "No reviews yet."
    return f"Reviews: {figures.today.reviewed} today, {figures.total_reviews} in all."


class StatsScreen(Screen):
    BINDINGS = [
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("Statistics", classes="title-bar")
        yield DataTable(id="stats-table", cursor_type="none", zebra_stripes=True)
        yield Static(id="reviews-line")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_stats()
        self.query_one("#stats-table").focus()

    def refresh_stats(self) -> None:
        app = self.app
        progress = app.collection.all_progress()
        table = self.query_one("#stats-table", DataTable)
        table.clear(columns=True)
        table.add_column("Deck")
        for label in ("Studied", "In review", "Suspended", "Leeches"):
            table.add_column(Text(label, justify="right"))
        for deck in app.library.decks:
            s = deck_stats(deck, progress)
            cells = [f"{s.studied}/{s.cards}", s.in_review, s.suspended, s.leeches]
            table.add_row(Text(s.name), *(Text(str(n), justify="right") for n in cells))
        self.query_one("#reviews-line", Static).update(review_line(app))

    def action_back(self) -> None:
        self.dismiss()
