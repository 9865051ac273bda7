"""`hipquiz stats [DECK] [--json]`: the statistics screen's figures as tables (rich) or JSON.

Opens the progress read-only, so it works while a study session is open in another terminal.
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table

from hipquiz.core.stats import DeckStats, Statistics, type_label
from hipquiz.tui.formatting import duration_words, share_words

# Muscle and topic bars in the shell: this many cells for 100%.
BAR_WIDTH = 20


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader went away (``hipquiz stats | head``): let the CLI end quietly, as it does for
        every command, instead of Rich's own exit 1."""
        self.quiet = True
        raise BrokenPipeError


def as_json(figures: Statistics, decks: list[DeckStats]) -> str:
    cards = [{"deck": d.deck_id, "name": d.name, "cards": d.cards, "studied": d.studied,
              "in_review": d.in_review, "suspended": d.suspended, "leeches": d.leeches} for d in decks]
    return json.dumps({**figures.to_dict(), "decks": cards}, indent=2, ensure_ascii=False)


def print_tables(figures: Statistics, title: str, console: Console | None = None) -> None:
    console = console or _Console(highlight=False)
    console.print(f"[bold]{title}[/bold]  (study day {figures.day.isoformat()})", markup=True)
    if not figures.has_reviews:
        console.print(f"no reviews yet: study a deck first ({figures.today.still_due} cards to study today)")
        return
    today = figures.today
    summary = Table(title="Today", show_header=False, title_justify="left")
    summary.add_column()
    summary.add_column(justify="right")
    summary.add_row("reviewed", str(today.reviewed))
    summary.add_row("correct", "-" if today.correct_percent is None else f"{today.correct_percent}%")
    summary.add_row("time spent", duration_words(today.seconds))
    summary.add_row("to study now", str(today.still_due))
    summary.add_row("streak", f"{_days(figures.streaks.current)} (longest {figures.streaks.longest})")
    console.print(summary)

    upcoming = Table(title="Forecast: cards due", title_justify="left")
    for label in ("by the end of today", "tomorrow", "next 7 days", "next 30 days"):
        upcoming.add_column(label, justify="right")
    f = figures.forecast
    upcoming.add_row(str(f[0]), str(f[1]), str(sum(f[:7])), str(sum(f)))
    console.print(upcoming)

    history = Table(title="History: last 30 days", title_justify="left")
    for label in ("day", "reviews", "time spent"):
        history.add_column(label, justify="right")
    for day in figures.recent:
        if day.reviews:
            history.add_row(day.day.isoformat(), str(day.reviews), duration_words(day.seconds))
    year = sum(d.reviews for d in figures.history)
    studied = sum(1 for d in figures.history if d.reviews)
    history.caption = f"last 365 days: {year} review{'s' * (year != 1)} on {_days(studied)}"
    console.print(history)

    kinds = sorted({k for r in figures.retention for k in r.by_type})
    retention = Table(title=f"True retention (desired {figures.desired_retention:.0%})", title_justify="left")
    retention.add_column("window")
    retention.add_column("all", justify="right")
    for kind in kinds:
        retention.add_column(type_label(kind), justify="right")
    for r in figures.retention:
        retention.add_row(f"{r.days} days", share_words(r.correct, r.answers),
                          *(share_words(*reversed(r.by_type.get(k, (0, 0)))) for k in kinds))
    console.print(retention)

    for title_, rows in (("Mastery by muscle", figures.muscles), ("Mastery by topic", figures.topics)):
        table = Table(title=title_, title_justify="left")
        table.add_column("")
        table.add_column("known", justify="right")
        table.add_column("")
        table.add_column("studied", justify="right")
        table.add_column("stability", justify="right")
        for m in rows:
            if not m.studied:
                table.add_row(m.label, "-", "not studied yet", f"0/{m.cards}", "-")
                continue
            table.add_row(m.label, f"{m.known:.0%}", _bar(m.known), f"{m.studied}/{m.cards}",
                          f"{m.stability_days:.0f}d")
        console.print(table)


def _bar(value: float) -> ProgressBar:
    return ProgressBar(total=1.0, completed=value, width=BAR_WIDTH)


def _days(count: int) -> str:
    return f"{count} day{'s' * (count != 1)}"
