"""Statistics: per deck, how much has been studied; reviews today and in all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from hipquiz.core.decks import Deck
from hipquiz.core.model import RATING_NAMES, CardProgress, ReviewRecord
from hipquiz.core.scheduler import AGAIN
from hipquiz.core.session import study_day


@dataclass(frozen=True)
class DeckStats:
    deck: Deck
    cards: int
    studied: int
    in_review: int
    suspended: int
    leeches: int


def deck_stats(deck: Deck, progress: dict[str, CardProgress]) -> DeckStats:
    # The same figures as `hipquiz stats` prints (cli._stats).
    states = [progress[c.id] for c in deck.cards if c.id in progress]
    return DeckStats(
        deck,
        cards=len(deck.cards),
        studied=sum(1 for s in states if s.reps > 0),
        in_review=sum(1 for s in states if s.phase == "review"),
        suspended=sum(1 for s in states if s.suspended),
        leeches=sum(1 for s in states if s.leech),
    )


def review_line(reviews: list[ReviewRecord], now: datetime) -> str:
    today = study_day(now)
    today_count = sum(1 for r in reviews if study_day(r.reviewed_at) == today)
    if not reviews:
        return "No reviews yet."
    remembered = round(100 * sum(1 for r in reviews if r.rating != AGAIN) / len(reviews))
    by_rating = ", ".join(f"{name} {sum(1 for r in reviews if r.rating == rating)}"
                          for rating, name in RATING_NAMES.items())
    return (f"Reviews: {today_count} today, {len(reviews)} in all, {remembered}% remembered.\n"
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
            table.add_row(Text(deck.name), *(Text(str(n), justify="right") for n in cells))
        self.query_one("#reviews-line", Static).update(review_line(app.store.reviews(), app.now()))

    def action_back(self) -> None:
        self.dismiss()
