"""Statistics: today, the forecast, the history calendar, true retention, and mastery by muscle and topic.

The figures come from ``hipquiz.core.stats`` (the same as `hipquiz stats` prints). Charts are drawn by
Plotext (through textual-plotext) and Textual's Sparkline; bars in the tables are Rich progress bars.
"""

from __future__ import annotations

from datetime import timedelta

from rich.progress_bar import ProgressBar
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.screen import Screen
from textual.widgets import DataTable, Sparkline, Static
from textual_plotext import PlotextPlot

from hipquiz.core.decks import Deck
from hipquiz.core.stats import Mastery, Statistics, type_label, weakest_cards
from hipquiz.core.study_options import StudyOptions
from hipquiz.tui.formatting import duration_words, phrase_lines, share_words, whole_words
from hipquiz.tui.widgets import KeyFooter

# Below this width the tables drop their bar and stability columns and the wide charts are hidden.
WIDE = 60
# Calendar colours, from no reviews to the busiest days (a quarter of the busiest day's count each).
HEAT = ((48, 54, 61), (14, 68, 41), (0, 109, 50), (38, 166, 65), (57, 211, 83))
BAR_WIDTH = 16


class StatsScreen(Screen):
    BINDINGS = [
        Binding("d", "next_deck", "Deck"),
        Binding("q", "back", "Back"),
        Binding("escape", "back", "Back", show=False),
        # The page scrolls by these wherever the focus is: the muscle table (↑ ↓ and Enter) keeps
        # the focus, but its own page keys would move its cursor, not show the rest of the page.
        Binding("pagedown", "page('down')", show=False, priority=True),
        Binding("pageup", "page('up')", show=False, priority=True),
        Binding("home", "page('home')", show=False, priority=True),
        Binding("end", "page('end')", show=False, priority=True),
    ]

    def __init__(self, deck: Deck | None = None) -> None:
        super().__init__()
        self.deck = deck
        self.figures: Statistics | None = None
        self._muscle_rows: list[Mastery] = []
        self._shown_wide: bool | None = None  # the width the tables were last laid out for
        self._filled_row: int | None = None  # the muscle row highlighted by filling the table

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title", classes="title-bar", markup=False)
        yield Static(id="stats-today")
        yield Static(id="stats-empty")
        with VerticalScroll(id="stats-body"):
            yield Static("Forecast: cards due, next 30 days", classes="stats-heading")
            yield PlotextPlot(id="forecast-plot", classes="wide-only")
            yield Static(id="forecast-line")
            yield Static("History", classes="stats-heading")
            yield PlotextPlot(id="heatmap", classes="wide-only")
            yield Static(id="heatmap-caption", classes="wide-only")
            yield Sparkline(id="recent-sparkline")
            yield Static(id="recent-line")
            yield Static("True retention", classes="stats-heading", id="retention-heading")
            yield DataTable(id="retention-table", cursor_type="none", zebra_stripes=True)
            yield Static("Mastery by muscle", classes="stats-heading")
            yield Static("Enter: cram its weakest cards now (the schedule is not changed)", id="muscle-hint")
            yield DataTable(id="muscle-table", cursor_type="row", zebra_stripes=True)
            yield Static("Mastery by topic", classes="stats-heading")
            yield DataTable(id="topic-table", cursor_type="none", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        # Plotext's "clear" theme draws in the terminal's own colours: its "auto" theme takes the
        # app theme's colours, which the ANSI theme (16-colour terminals) leaves black on black.
        for plot in self.query(PlotextPlot):
            plot.theme = "clear"
        self.refresh_stats()

    def on_screen_resume(self) -> None:
        self.refresh_stats()

    def on_resize(self) -> None:
        figures = self.figures
        self._show_title()
        if figures is None or not figures.has_reviews:
            return
        self._show_today(figures)
        self._show_forecast_line(figures)
        self._show_caption(figures)
        self._show_recent_line(figures)
        # Tables are laid out again only when their columns change: a table cleared and refilled
        # with the same size keeps the lines drawn before its columns were measured (Textual 8).
        if self.wide != self._shown_wide:
            self._show_tables(figures)

    @property
    def wide(self) -> bool:
        return self.size.width >= WIDE

    def refresh_stats(self) -> None:
        app = self.app
        figures = app.collection.statistics(self.deck)
        self.figures = figures
        self._show_title()
        self._show_today(figures)
        self.set_class(not figures.has_reviews, "-empty")
        if not figures.has_reviews:
            return
        self._show_forecast(figures)
        self._show_history(figures)
        self._show_tables(figures)
        self.query_one("#muscle-table").focus(scroll_visible=False)

    def _show_title(self) -> None:
        scope = self.deck.name if self.deck is not None else "all decks"
        # The title bar is one line: a long deck name ends on a whole word and "…".
        self.query_one("#stats-title", Static).update(
            "Statistics · " + whole_words(scope, self._text_width + 2 - len("Statistics · ")))

    # -- panels -----------------------------------------------------------------------------------

    def _show_today(self, figures: Statistics) -> None:
        today = figures.today
        empty = self.query_one("#stats-empty", Static)
        if not figures.has_reviews:
            empty.update(Text.assemble(("No reviews yet: study a deck first.", "bold"),
                                       f"\n{today.still_due} cards to study today."))
            self.query_one("#stats-today", Static).update("")
            return
        correct = [] if today.correct_percent is None else [f"{today.correct_percent}% correct"]
        streak = figures.streaks
        # Above the scrolling page: two cells wider than its lines (no scrollbar, one cell of padding).
        phrases = [f"{today.reviewed} reviewed,", *(f"{c}," for c in correct), f"{duration_words(today.seconds)};",
                   f"{today.still_due} to study now."]
        self.query_one("#stats-today", Static).update(Text.assemble(
            ("Today ", "bold"), phrase_lines(phrases, self._text_width + 2 - len("Today "), separator=" "), "\n",
            ("Streak ", "bold"), f"{_days(streak.current)} (longest {_days(streak.longest)}).",
        ))

    @property
    def _text_width(self) -> int:
        """Columns for a line of text: the screen less the page's padding and scrollbar."""
        return max(20, (self.size.width or self.app.size.width) - 4)

    def _show_forecast(self, figures: Statistics) -> None:
        counts = figures.forecast
        plot = self.query_one("#forecast-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.bar(list(range(len(counts))), list(counts), width=0.6)
        ticks = [0, 7, 14, 21, 28]
        plt.xticks(ticks, ["today", "+7d", "+14d", "+21d", "+28d"])
        top = max(counts)
        plt.yticks(sorted({0, top // 2, top}))  # whole cards, not 7.5
        plot.refresh()
        self._show_forecast_line(figures)

    def _show_forecast_line(self, figures: Statistics) -> None:
        counts = figures.forecast
        self.query_one("#forecast-line", Static).update(phrase_lines(
            [f"rest of today {counts[0]}", f"tomorrow {counts[1]}", f"7 days {sum(counts[:7])}",
             f"30 days {sum(counts)}"], self._text_width))

    def _show_history(self, figures: Statistics) -> None:
        plot = self.query_one("#heatmap", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        plt.matrix_plot(_calendar(figures), fast=True)
        plot.refresh()
        self._show_caption(figures)
        self.query_one("#recent-sparkline", Sparkline).data = [d.reviews for d in figures.recent]
        self._show_recent_line(figures)

    def _show_caption(self, figures: Statistics) -> None:
        history = figures.history
        year = sum(d.reviews for d in history)
        studied = sum(1 for d in history if d.reviews)
        self.query_one("#heatmap-caption", Static).update(phrase_lines(
            [f"{history[0].day:%b %Y} to today: {year} reviews on {studied} days",
             "(a column is a week, Monday on top)"], self._text_width, separator=" "))

    def _show_recent_line(self, figures: Statistics) -> None:
        recent = figures.recent
        self.query_one("#recent-line", Static).update(phrase_lines(
            [f"Last 30 days: {sum(d.reviews for d in recent)} reviews",
             duration_words(sum(d.seconds for d in recent))], self._text_width, separator=", "))

    def _show_tables(self, figures: Statistics) -> None:
        wide = self._shown_wide = self.wide
        retention = self.query_one("#retention-table", DataTable)
        retention.clear(columns=True)
        kinds = sorted({k for r in figures.retention for k in r.by_type})
        if wide:
            retention.add_columns("", "all", *(type_label(k) for k in kinds))
            for r in figures.retention:
                retention.add_row(f"{r.days} days", share_words(r.correct, r.answers),
                                  *(share_words(*reversed(r.by_type.get(k, (0, 0)))) for k in kinds))
        else:  # narrow: one row per question type, percentages only
            retention.add_columns("", *(f"{r.days}d" for r in figures.retention))
            retention.add_row("all", *(share_words(r.correct, r.answers, of=False) for r in figures.retention))
            for kind in kinds:
                retention.add_row(type_label(kind), *(share_words(*reversed(r.by_type.get(kind, (0, 0))), of=False)
                                                      for r in figures.retention))
        self.query_one("#retention-heading", Static).update(
            f"True retention (desired {figures.desired_retention:.0%})")
        self._muscle_rows = list(figures.muscles)
        self._mastery_table("#muscle-table", figures.muscles, wide)
        self._mastery_table("#topic-table", figures.topics, wide)

    def _mastery_table(self, selector: str, rows: tuple[Mastery, ...], wide: bool) -> None:
        table = self.query_one(selector, DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        table.add_column("")
        if wide:
            table.add_column("known")
        table.add_column(Text("%", justify="right"))
        table.add_column(Text("studied", justify="right"))
        if wide:
            table.add_column(Text("stability", justify="right"))
        # Narrow: the name column takes what the figures leave (cell padding, "100%", "studied").
        room = self._text_width - 2 * 3 - len("100%") - len("studied")
        for m in rows:
            percent = Text("-" if not m.studied else f"{m.known:.0%}", justify="right")
            studied = Text(f"{m.studied}/{m.cards}", justify="right")
            if not wide:
                table.add_row(short_label(m.label, room), percent, studied)
                continue
            bar = (ProgressBar(total=1.0, completed=m.known, width=BAR_WIDTH) if m.studied
                   else Text("not studied yet", style="dim"))
            stability = Text("-" if m.stability_days is None else f"{m.stability_days:.0f}d", justify="right")
            table.add_row(m.label, bar, percent, studied, stability)
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
            if selector == "#muscle-table":
                self._filled_row = table.cursor_row

    # -- actions ----------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#muscle-table")
    def _study_muscle(self, event: DataTable.RowSelected) -> None:
        muscle = self._muscle_rows[event.cursor_row]
        if not muscle.weakest:
            self.notify(f"No {muscle.label} card studied yet: study its deck first.", markup=False)
            return
        decks = [self.deck] if self.deck is not None else list(self.app.library.decks)
        self.app.study(weakest_cards(decks, muscle), StudyOptions(cram=True))

    def action_next_deck(self) -> None:
        """All decks, then each deck in turn."""
        decks = list(self.app.library.decks)
        scopes: list[Deck | None] = [None, *decks]
        at = scopes.index(self.deck) if self.deck in scopes else 0
        self.deck = scopes[(at + 1) % len(scopes)]
        self.refresh_stats()

    def action_back(self) -> None:
        self.dismiss()

    def action_page(self, where: str) -> None:
        body = self.query_one("#stats-body", VerticalScroll)
        {"down": body.scroll_page_down, "up": body.scroll_page_up, "home": body.scroll_home,
         "end": body.scroll_end}[where](animate=False)

    @on(DataTable.RowHighlighted, "#muscle-table")
    def _keep_muscle_in_view(self, event: DataTable.RowHighlighted) -> None:
        """↑ ↓ through the muscles scroll the page along, so the highlighted one is always seen; on
        the last muscle the page shows its end too (the topics below), which ↓ could not reach."""
        table = event.data_table
        if event.cursor_row == self._filled_row:
            return  # highlighted by filling the table, not by a key: the page stays where it is
        self._filled_row = None
        if table.has_focus:
            body = self.query_one("#stats-body", VerticalScroll)
            if event.cursor_row == table.row_count - 1:
                body.scroll_end(animate=False, immediate=True)
                return
            row = table.virtual_region.y + table.header_height + event.cursor_row
            body.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)


def short_label(label: str, room: int) -> str:
    """A muscle or topic name that fits ``room`` cells, whole words only: its abbreviation when it
    has one ("TFL" for "tensor fasciae latae (TFL)"), else its first words and "…"."""
    if len(label) <= room:
        return label
    if label.endswith(")") and "(" in label:
        return label[label.rindex("(") + 1:-1]
    return whole_words(label, room)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _calendar(figures: Statistics) -> list[list[tuple[int, int, int]]]:
    """Weeks as columns (oldest left), weekdays as rows (Monday on top), coloured by reviews that day."""
    history = figures.history
    busiest = max(d.reviews for d in history) or 1
    first_monday = history[0].day - timedelta(days=history[0].day.weekday())
    weeks = (history[-1].day - first_monday).days // 7 + 1
    blank = HEAT[0]
    grid = [[blank] * weeks for _ in range(7)]
    for d in history:
        offset = (d.day - first_monday).days
        level = 0 if not d.reviews else 1 + min(3, (4 * d.reviews - 1) // busiest)
        grid[offset % 7][offset // 7] = HEAT[level]
    return grid
