"""Statistics: per deck, how much has been studied; reviews today and in all."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from hipquiz.core.stats import deck_stats, review_totals


def review_line(reviews, now: datetime) -> str:
    totals = review_totals(reviews, now)
    if not totals.reviews:
        return "No reviews yet."
    by_rating = ", ".join(f"{name} {count}" for name, count in totals.by_rating.items())
    return (f"Reviews: {totals.today} today, {totals.reviews} in all, {totals.remembered_percent}% remembered.\n"
            f"Ratings: {by_rating}.")


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
        progress = app.store.all_progress()
        table = self.query_one("#stats-table", DataTable)
        table.clear(columns=True)
        table.add_column("Deck")
        for label in ("Studied", "In review", "Suspended", "Leeches"):
            table.add_column(Text(label, justify="right"))
        for deck in app.library.decks:
            s = deck_stats(deck, progress)
            cells = [f"{s.studied}/{s.cards}", s.in_review, s.suspended, s.leeches]
            table.add_row(Text(s.name), *(Text(str(n), justify="right") for n in cells))
        self.query_one("#reviews-line", Static).update(review_line(app.store.reviews(), app.now()))

    def action_back(self) -> None:
        self.dismiss()
