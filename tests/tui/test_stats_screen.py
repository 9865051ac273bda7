"""The statistics screen, driven as a person would: empty and full history, a deck at a time, and
"study the weakest cards" of a muscle (which must leave the schedule and the log untouched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.core.scheduler import Scheduler
from hipquiz.core.store import Store, write_store
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.stats import StatsScreen
from hipquiz.tui.screens.study import StudyScreen

from tui_support import START, STATS_DECK, collection_of, studied_history


@pytest.fixture
def stats_library(tmp_path: Path) -> DeckLibrary:
    path = tmp_path / "stats.toml"
    path.write_text(STATS_DECK, encoding="utf-8")
    return DeckLibrary([load_deck(path)], [])


@pytest.fixture
def studied_store(tmp_path: Path, stats_library, settings, clock):
    """Ninety days of study of the stats deck, ending the day before the clock's today."""
    folder = tmp_path / "studied"
    states, pairs = studied_history(stats_library.decks[0], Scheduler(settings), START, 90)
    write_store(folder, states.values(), pairs, durable=False)
    with Store.open(folder, now=clock) as store:
        yield store


@pytest.fixture
def make_stats_app(stats_library, studied_store, settings, clock):
    from hipquiz.tui.app import HipquizApp

    def make() -> HipquizApp:
        return HipquizApp(collection=collection_of(stats_library, studied_store, clock, {"settings": settings}))

    return make


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def test_empty_history_says_to_study_first(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.has_class("-empty")
        assert "No reviews yet: study a deck first." in text(screen, "#stats-empty")
        assert "3 cards to study today" in text(screen, "#stats-empty")
        assert not screen.query_one("#stats-body").display


async def test_full_history_shows_every_panel_with_the_logged_figures(make_stats_app, studied_store):
    app = make_stats_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        figures = screen.figures
        assert not screen.has_class("-empty") and figures.total_reviews == studied_store.review_count()
        assert f"Streak {figures.streaks.current} days" in text(screen, "#stats-today")
        assert screen.query_one("#heatmap").display and screen.query_one("#forecast-plot").display
        recent = figures.recent
        assert f"Last 30 days: {sum(d.reviews for d in recent)} reviews" in text(screen, "#recent-line")
        muscles = screen.query_one("#muscle-table")
        labels = [str(muscles.get_row_at(i)[0]) for i in range(muscles.row_count)]
        assert labels == ["gluteus medius", "gluteus minimus", "gemellus superior", "piriformis"]
        topics = screen.query_one("#topic-table")
        assert [str(topics.get_row_at(i)[0]) for i in range(topics.row_count)] == [
            "location", "action", "innervation", "origin/insertion", "article advice"]


async def test_d_steps_through_the_decks(make_stats_app):
    app = make_stats_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s", "d")
        await pilot.pause()
        assert text(app.screen, "#stats-title") == "Statistics · Stats test deck"
        await pilot.press("d")
        await pilot.pause()
        assert text(app.screen, "#stats-title") == "Statistics · all decks"


async def test_enter_on_a_muscle_crams_its_weakest_cards_leaving_the_schedule(make_stats_app, studied_store):
    app = make_stats_app()
    before_log = studied_store.review_count()
    before_stats = None
    before_cards = {k: v.to_dict() for k, v in studied_store.all_progress().items()}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        before_stats = app.screen.figures
        weakest = app.screen.figures.muscles[2].weakest  # gemellus superior
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        study = app.screen
        assert isinstance(study, StudyScreen)
        assert text(study, "#deck-name") == "gemellus superior: weakest cards · cram"
        assert study.card.id == weakest[0]
        for _ in weakest:
            await pilot.press("space", "3")
            await pilot.pause()
        assert not isinstance(app.screen, StudyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        # Cram answers are logged, but leave the schedule and every figure as they were.
        assert studied_store.review_count() == before_log + len(weakest)
        assert app.screen.figures == before_stats
    assert {k: v.to_dict() for k, v in studied_store.all_progress().items()} == before_cards


async def test_stats_fit_40_by_12(make_stats_app):
    app = make_stats_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert not screen.query_one("#heatmap").display and not screen.query_one("#forecast-plot").display
        forecast = screen.figures.forecast
        assert text(screen, "#forecast-line").startswith(f"rest of today {forecast[0]} · tomorrow {forecast[1]}")
        muscles = screen.query_one("#muscle-table")
        assert len(muscles.columns) == 3  # name, %, studied: no clipped bar
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_calendar_puts_each_day_in_its_week_and_weekday():
    from datetime import date, datetime, timezone

    from hipquiz.core.history import ReviewHistory
    from hipquiz.core.model import ReviewRecord
    from hipquiz.core.stats import compute
    from hipquiz.tui.screens.stats import HEAT, _calendar

    def review(n: int, day: date) -> ReviewRecord:
        at = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)
        return ReviewRecord(f"r{n}", "stats/piriformis/location", 3, at, 1000, "typed")

    # Tuesday 31 December 2024 once; Wednesday 1 January 2025 four times (the busiest day).
    log = [review(0, date(2024, 12, 31))] + [review(n, date(2025, 1, 1)) for n in range(1, 5)]
    figures = compute([], {}, ReviewHistory.from_reviews(log), Scheduler(),
                      datetime(2025, 1, 15, 12, tzinfo=timezone.utc), still_due=0)
    grid = _calendar(figures)
    # Today (Wednesday 15 January) is in the last column; the New Year week two columns before it.
    assert len(grid) == 7 and grid[2][-1] == HEAT[0]
    assert grid[1][-3] == HEAT[1]  # Tuesday 31 December
    assert grid[2][-3] == HEAT[4]  # Wednesday 1 January
    assert grid[0][-3] == HEAT[0]  # Monday 30 December: no reviews
    assert sum(row.count(HEAT[0]) for row in grid) == sum(len(row) for row in grid) - 2


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


PHRASE = r"(rest of today \d+|tomorrow \d+|7 days \d+|30 days \d+)"


async def test_at_40_by_12_lines_break_between_phrases_and_tables_fit(make_stats_app):
    import re

    app = make_stats_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        lines = text(screen, "#forecast-line").splitlines()
        assert len(lines) > 1  # too long for one line at 40 columns
        for line in lines:
            assert re.fullmatch(f"{PHRASE}( · {PHRASE})*", line), line
        for selector in ("#retention-table", "#muscle-table", "#topic-table"):
            table = screen.query_one(selector)
            assert table.virtual_size.width <= table.region.width, selector  # no sideways scrolling
        assert screen.query_one("#stats-body").scroll_y == 0  # the page opens at its top
        await pilot.press("pagedown")
        await pilot.pause()
        assert screen.query_one("#stats-body").scroll_y > 0  # and the page keys scroll it


async def test_a_resize_keeps_the_muscle_names(make_stats_app):
    app = make_stats_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.resize_terminal(40, 40)
        await pilot.pause()
        assert any("gluteus medius" in line for line in screen_lines(app))
        await pilot.resize_terminal(80, 50)
        await pilot.pause()
        assert any("gluteus medius" in line and "%" in line for line in screen_lines(app))


async def test_down_through_the_muscles_keeps_the_highlighted_one_in_view(make_stats_app):
    app = make_stats_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("s", "down", "down")
        await pilot.pause()
        assert any(line.lstrip().startswith("gemellus superior") for line in screen_lines(app))


@pytest.mark.parametrize("label, room, shown", [
    ("tensor fasciae latae (TFL)", 19, "TFL"), ("gluteus medius", 19, "gluteus medius"),
    ("a very long topic of study", 15, "a very long…"), ("origin/insertion", 10, "origin/insertion…")])
def test_a_name_too_long_for_a_narrow_table_is_shortened_by_whole_words(label, room, shown):
    from hipquiz.tui.screens.stats import short_label

    assert short_label(label, room) == shown


@pytest.mark.parametrize("text, room, shown", [
    ("Small hip muscles (the article)", 40, "Small hip muscles (the article)"),
    ("Small hip muscles (the article)", 25, "Small hip muscles"),
    ("Hip muscles: textbook anatomy", 25, "Hip muscles: textbook…"),
    ("Supercalifragilistic", 5, "Supercalifragilistic…")])
def test_a_title_too_long_for_its_line_ends_on_a_whole_word(text, room, shown):
    from hipquiz.tui.formatting import whole_words

    assert whole_words(text, room) == shown


async def test_the_title_names_a_long_deck_in_whole_words_at_40_columns(make_stats_app):
    app = make_stats_app()
    async with app.run_test(size=(40, 12)) as pilot:
        deck = app.library.decks[0]
        object.__setattr__(deck, "name", "Stats test deck for the muscles of the hip")
        await pilot.press("s", "d")
        await pilot.pause()
        assert text(app.screen, "#stats-title") == "Statistics · Stats test deck for the…"



async def test_at_40_by_12_the_page_keys_reach_the_last_topic_with_one_scrollbar(tmp_path, settings, clock):
    """The page scrolls, not its tables: End shows the last topic of a shipped deck (more topics
    than the page has lines), and no table has a scrollbar of its own beside the page's."""
    from hipquiz.core.decks import load_library
    from hipquiz.tui.app import HipquizApp

    library = load_library()
    states, pairs = {}, []
    for deck in library.decks:
        deck_states, deck_pairs = studied_history(deck, Scheduler(settings), START, 20)
        states.update(deck_states)
        pairs += deck_pairs
    write_store(tmp_path / "studied", states.values(), pairs, durable=False)
    with Store.open(tmp_path / "studied", now=clock) as store:
        app = HipquizApp(collection=collection_of(library, store, clock, {"settings": settings}))
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.press("s")
            await pilot.pause()
            screen = app.screen
            topics = screen.query_one("#topic-table")
            body = screen.query_one("#stats-body")
            assert topics.row_count + 1 > body.scrollable_content_region.height  # taller than the view
            last = str(topics.get_row_at(topics.row_count - 1)[0])
            await pilot.press("end")
            await pilot.pause()
            lines = screen_lines(app)
            assert any(line.strip().startswith(last) for line in lines), "\n".join(lines)
            for table in screen.query("DataTable"):
                assert not table.show_vertical_scrollbar, table.id
            # ↓ through the muscles reaches the end of the page too.
            await pilot.press("home", *["down"] * screen.query_one("#muscle-table").row_count)
            await pilot.pause()
            assert any(line.strip().startswith(last) for line in screen_lines(app))
