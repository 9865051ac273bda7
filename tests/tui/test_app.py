"""Pilot tests: drive the app with keys and clicks, then check what the store saved on disk."""

from __future__ import annotations

from datetime import timedelta

from hipquiz.core.decks import load_deck
from hipquiz.core.model import CardProgress
from hipquiz.tui.screens.confirm import ConfirmModal
from hipquiz.tui.screens.help import HelpModal
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.stats import StatsScreen
from hipquiz.tui.screens.study import StudyScreen
from hipquiz.tui.screens.summary import SummaryScreen
from hipquiz.tui.widgets import CardView, DeckTable

from tui_support import START, saved, start_studying, text_of

FIRST = "mini/tfl-place/basic"


def row_of(app, deck_id: str = "mini") -> list[str]:
    return [str(cell) for cell in app.screen.query_one(DeckTable).get_row(deck_id)]


async def test_home_shows_the_counts(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert row_of(app) == ["Mini hip deck", "3", "0", "0", ""]
        assert "3 to study today" in text_of(app.screen, "#status")


async def test_home_says_when_all_is_done_and_when_next_due(make_app, store, settings, library, clock):
    from hipquiz.core.scheduler import Scheduler

    scheduler = Scheduler(settings)
    for card in library.decks[0].cards:
        progress = scheduler.new_progress(card.id, card.answer_hash, START - timedelta(days=3))
        store.save_progress(progress.with_changes(phase="review", reps=3, due=START + timedelta(days=1, hours=2)))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert row_of(app)[1:4] == ["0", "0", "0"]
        assert row_of(app)[4] == "in 1d (Tue 14:00)"
        assert text_of(app.screen, "#status") == "All done for today: next due in 1d (Tue 14:00)."
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen), "a deck with nothing due does not open"


async def test_enter_starts_studying_and_space_reveals_answer_and_source(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        view = screen.query_one(CardView)
        assert text_of(view, ".prompt") == "Where is the TFL?"
        assert not view.revealed
        assert not screen.query_one(".answer").display
        assert text_of(screen, "#progress") == "3 new · 0 done"

        await pilot.press("space")
        await pilot.pause()
        assert view.revealed and view.has_class("revealed")
        assert screen.query_one(".answer").display
        # The brackets are deck text, not Rich markup: they show as written.
        assert text_of(view, ".answer") == "Top, outside of the thigh [anterolateral]"
        assert "The TFL is found on the top, outside" in text_of(view, ".source")
        assert text_of(view, ".caveat") == "Caveat: It joins the IT band a little below the hip."
        assert screen.query_one("#rate-3").display
        assert "10m" in str(screen.query_one("#rate-3").label)


async def test_rating_good_saves_the_review_and_the_new_progress(make_app, store, data_dir, clock):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        clock.advance(seconds=7)  # thinking, then revealing and rating: a flip card's answer time
        await pilot.press("space", "3")
        await pilot.pause()
        assert text_of(screen, "#progress") == "2 new 1 learn · 1 done"
        assert text_of(screen, ".prompt") == "What does the piriformis do? [one word]"
    with saved(data_dir, store) as reopened:
        [review] = reopened.reviews()
        assert (review.card_id, review.rating, review.question_type) == (FIRST, 3, "flip")
        assert review.previous is None
        assert review.duration_ms == 7000
        progress: CardProgress = reopened.all_progress()[FIRST]
        assert progress.reps == 1
        assert progress.phase == "learning"
        # The interval shown on the button (10m) is the one given.
        assert progress.due == START + timedelta(seconds=7, minutes=10)


async def test_undo_takes_the_answer_back(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("space", "3", "u")
        await pilot.pause()
        assert text_of(screen, ".prompt") == "Where is the TFL?"
        assert text_of(screen, "#progress") == "3 new · 0 done"
        # The answer was seen: the card comes back with it shown, to be rated again, not asked afresh.
        assert screen.query_one(CardView).revealed
    with saved(data_dir, store) as reopened:
        assert reopened.reviews() == []
        assert FIRST not in reopened.all_progress()


async def test_clicking_a_rating_button_rates(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.click("#reveal")
        await pilot.click("#rate-4")
        await pilot.pause()
    with saved(data_dir, store) as reopened:
        [review] = reopened.reviews()
        assert (review.card_id, review.rating) == (FIRST, 4)
        assert reopened.all_progress()[FIRST].phase == "review"


async def test_clicking_the_highlighted_deck_starts_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(DeckTable, offset=(4, 1))
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


async def test_the_session_ends_in_a_summary_with_the_right_numbers(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        # Easy, Easy, Again (the card comes back a minute later, shown early), then Easy.
        await pilot.press("space", "4", "space", "4", "space", "1", "space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = app.screen.summary
        assert (summary.reviewed, summary.correct, summary.correct_percent) == (4, 3, 75)
        assert summary.ratings == {1: 1, 2: 0, 3: 0, 4: 3}
        text = text_of(app.screen, "#summary-text")
        assert "Reviewed  4" in text
        assert "75%" in text
        assert "Again 1  Hard 0  Good 0  Easy 3" in text
        assert "Next due  in " in text

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert row_of(app)[1:4] == ["0", "0", "0"]
    with saved(data_dir, store) as reopened:
        assert [r.rating for r in reopened.reviews()] == [4, 4, 1, 4]


async def test_undo_from_the_summary_returns_to_the_last_card(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.press("space", "4", "space", "4", "space", "4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert text_of(app.screen, ".prompt") == "Where are the gemelli?"
    with saved(data_dir, store) as reopened:
        assert len(reopened.reviews()) == 2


async def test_bury_and_suspend_are_saved(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert text_of(screen, ".prompt") == "What does the piriformis do? [one word]"
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert text_of(screen, ".prompt") == "Where are the gemelli?"
    with saved(data_dir, store) as reopened:
        progress = reopened.all_progress()
        assert progress[FIRST].buried_until is not None
        assert progress["mini/piriformis/basic"].suspended
        assert reopened.reviews() == []


async def test_question_mark_opens_help_and_escape_closes_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        assert "How scheduling works" in text_of(app.screen, "#help-scheduling")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_q_goes_back_and_quits_from_home(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running
    assert app.return_code == 0


async def test_stats_after_a_review(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_studying(pilot)
        await pilot.press("space", "4", "q", "s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert text_of(app.screen, "#stats-today").startswith("Today 1 reviewed, 100% correct")


async def test_start_study_opens_the_deck_at_once(make_app):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)


async def test_start_study_opens_on_the_card_and_leaves_for_the_home_screen(make_app):
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        study = app.screen
        # Nothing under the first card: a home screen built first would delay it.
        assert isinstance(study, StudyScreen) and app.screen_stack == [study]
        await pilot.press("space", "3", "q")
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen) and app.screen_stack == [home] and not study.is_attached
        assert row_of(app) == ["Mini hip deck", "2", "1", "0", ""]
        assert "Mode: Flip cards" in text_of(home, "#mode")
        assert home.query_one(DeckTable).has_focus
        # The next session is opened over it, and goes back to it.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen) and app.screen_stack[0] is home
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home


async def test_works_at_40_by_12(make_app, store, data_dir):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-short") and app.screen.has_class("-narrow")
        screen = await start_studying(pilot)
        await pilot.press("space")
        await pilot.pause()
        # The answer scrolls inside the card; the rating buttons stay on screen.
        for rating in range(1, 5):
            button = screen.query_one(f"#rate-{rating}")
            assert button.region.height >= 1 and button.region.bottom <= 11
        await pilot.click("#rate-3")
        await pilot.press("question_mark", "escape", "q", "s", "q", "question_mark", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    with saved(data_dir, store) as reopened:
        assert [r.rating for r in reopened.reviews()] == [3]


async def test_start_deck_is_highlighted_and_studied(make_app, library, tmp_path):
    from tui_support import DECK

    other = tmp_path / "other.toml"
    other.write_text(DECK.replace('id = "mini"', 'id = "other"').replace("Mini hip deck", "Other deck"))
    library.decks.append(load_deck(other))
    deck = library.decks[1]
    app = make_app(start_deck=deck, start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.screen.session.deck is deck
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.query_one(DeckTable).highlighted_deck is deck


async def test_start_study_with_nothing_to_study_stays_home(make_app, store, settings, library):
    from hipquiz.core.session import set_suspended

    for card in library.decks[0].cards:
        set_suspended(store, make_app().scheduler, card, True, START)
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert row_of(app)[1:] == ["0", "0", "0", "done"]


async def test_a_failed_save_is_reported_and_the_card_stays(make_app, store):
    from hipquiz.core.store import StoreError

    def fail(*args, **kwargs):
        raise StoreError("cannot write to the data folder (disk full)")

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_studying(pilot)
        await pilot.press("space")
        store.record_review = fail  # an instance attribute hides the method until deleted
        await pilot.press("3")
        await pilot.pause()
        assert app.screen is screen
        assert screen.revealed and text_of(screen, ".prompt") == "Where is the TFL?"
        assert text_of(screen, "#progress") == "3 new · 0 done"
        assert any("disk full" in str(n.message) for n in app._notifications)
        del store.record_review
        await pilot.press("3")
        await pilot.pause()
        assert text_of(screen, "#progress") == "2 new 1 learn · 1 done"


async def test_skipped_deck_files_are_shown_when_the_app_opens(make_app):
    app = make_app(warnings=["/home/me/decks/mine.toml:7: unknown key 'kind' in a note"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("mine.toml:7: unknown key 'kind'" in m and "hipquiz validate" in m for m in shown)


async def test_what_opening_the_progress_mended_is_shown_in_the_app(make_app):
    app = make_app(notices=["log/2026-11-29.jsonl: an incomplete last line (a save cut short) was left out"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [(n.title, str(n.message)) for n in app._notifications]
        assert ("Your progress", "log/2026-11-29.jsonl: an incomplete last line (a save cut short) was left out") in shown


async def test_a_tiny_terminal_says_what_to_do_and_the_app_comes_back_when_it_grows(make_app):
    from hipquiz.tui.screens.home import HomeScreen
    from hipquiz.tui.screens.too_small import TooSmallModal

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(24, 6)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallModal)
        message = str(app.screen.query_one("#too-small-message").content)
        assert message == "Terminal too small (24×6): make it at least 40×12. q quits."
        # The size the message asks for is the size that is enough, and one column less is not.
        await pilot.resize_terminal(39, 12)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallModal)
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_f1_opens_help(make_app):
    from hipquiz.tui.screens.help import HelpModal

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)


async def test_opening_reads_only_todays_reviews(make_app, store, library, clock, settings, monkeypatch):
    """The first card in mixed mode, then the home screen's counts: with days of history in the
    log, nothing before today's reviews is read (counts come from the card states)."""
    from hipquiz.core.days import day_start
    from hipquiz.core.scheduler import Scheduler
    from hipquiz.core.session import StudySession

    today = clock.moment
    for days_ago in (9, 6, 3, 1):
        clock.moment = today - timedelta(days=days_ago)
        session = StudySession(library.decks[0], store, Scheduler(settings), clock, mode="mixed")
        card = session.next_card()
        session.answer(card, 1, duration_ms=2000, question_type=session.ask(card).kind)
    clock.moment = today
    store.set_setting("mode", "mixed")
    read_since = []
    reviews = store.reviews

    def recording(since=None):
        read_since.append(since)
        return reviews(since)

    monkeypatch.setattr(store, "reviews", recording)
    briefs = store.review_briefs

    def recording_briefs(since):
        read_since.append(since)
        return briefs(since)

    monkeypatch.setattr(store, "review_briefs", recording_briefs)
    app = make_app(start_study=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert row_of(app)[0] == "Mini hip deck"
    assert read_since and all(since is not None and since >= day_start(today) for since in read_since), read_since
