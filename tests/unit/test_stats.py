"""Statistics from a constructed review log whose answers are known by counting by hand."""

from __future__ import annotations

import json
import re
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipquiz.core.decks import load_deck
from hipquiz.core.history import ReviewHistory
from hipquiz.core.model import CardProgress, ReviewRecord
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.stats import compute, forecast, retention, streaks
from hipquiz.core.store import Store

# A zone that is not UTC and has daylight saving time: local days and UTC days differ.
ZONE = "America/New_York"
NY = ZoneInfo(ZONE)

DECK = '''
[deck]
id = "mini"
name = "Mini"

[[notes]]
id = "piriformis"
type = "muscle"
source = "The piriformis lies deep in the buttock."
name = "piriformis"
location = "deep in the buttock"
functions = ["lateral rotation of the hip"]
cards = ["location", "functions"]

[[notes]]
id = "piriformis-innervation"
type = "basic"
source = "Reference: nerve to piriformis"
question = "Which nerve supplies the piriformis?"
answer = "the nerve to piriformis"

[[notes]]
id = "gemellus-superior"
type = "muscle"
source = "The gemellus superior lies above the obturator internus."
name = "gemellus superior"
location = "above the obturator internus"
cards = ["location"]

[[notes]]
id = "squats"
type = "basic"
tags = ["advice"]
source = "Squat."
question = "What exercise does the article advise?"
answer = "squats"
'''


@pytest.fixture(autouse=True)
def new_york_time(monkeypatch):
    monkeypatch.setenv("TZ", ZONE)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def deck(tmp_path: Path):
    path = tmp_path / "mini.toml"
    path.write_text(DECK, encoding="utf-8")
    return load_deck(path)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(timezone.utc)


def state(card_id: str, due: datetime, *, phase: str = "review", reps: int = 3, **changes) -> CardProgress:
    return CardProgress(card_id=card_id, due=due, phase=phase, reps=reps, answer_hash="x",
                        fsrs={"card_id": 1, "state": 2, "step": None, "stability": 10.0, "difficulty": 5.0,
                              "due": due.isoformat(), "last_review": (due - timedelta(days=10)).isoformat()},
                        **changes)


_ids = iter(range(10**6))


def rev(at: datetime, *, rating: int = 3, kind: str = "typed", in_review: bool = True,
        card: str = "mini/piriformis/location", ms: int = 2000) -> ReviewRecord:
    previous = state(card, at, phase="review" if in_review else "learning")
    return ReviewRecord(id=f"r{next(_ids)}", card_id=card, rating=rating, reviewed_at=at, duration_ms=ms,
                        question_type=kind, previous=previous)


def test_a_review_at_2330_local_counts_for_that_local_day_and_the_day_starts_at_4am():
    # 23:30 in New York is 04:30 UTC the next day; 03:59 belongs to the study day before.
    history = ReviewHistory.from_reviews([
        rev(local(2025, 6, 10, 23, 30)),
        rev(local(2025, 6, 11, 3, 59)),
        rev(local(2025, 6, 11, 4, 0)),
    ])
    assert history.day(date(2025, 6, 10)).reviews == 2
    assert history.day(date(2025, 6, 11)).reviews == 1
    assert date(2025, 6, 12) not in history.days


def test_streak_across_a_missed_day():
    today = date(2025, 6, 10)
    days = [today - timedelta(days=n) for n in (6, 5, 4, 2, 1, 0)]  # 3 missed
    assert streaks(days, today) == streaks(days, today).__class__(current=3, longest=3)
    days = [today - timedelta(days=n) for n in (9, 8, 7, 6, 2, 1)]
    # Today not studied yet: the run up to yesterday still counts; the longest is the older run of 4.
    result = streaks(days, today)
    assert (result.current, result.longest) == (2, 4)
    result = streaks([today - timedelta(days=n) for n in (3, 2)], today)
    assert (result.current, result.longest) == (0, 2)


def test_true_retention_counts_review_answers_that_were_not_again():
    now = local(2025, 6, 10, 12, 0)
    log = [
        rev(now - timedelta(hours=1), kind="typed"),
        rev(now - timedelta(hours=2), kind="typed", rating=1),
        rev(now - timedelta(days=1), kind="typed", rating=2),
        rev(now - timedelta(days=2), kind="choice"),
        rev(now - timedelta(days=3), kind="choice", rating=1),
        rev(now - timedelta(days=20), kind="typed", rating=1),   # in 30 and 365, not 7
        rev(now - timedelta(days=200), kind="choice"),           # in 365 only
        rev(now - timedelta(days=1), kind="typed", in_review=False, rating=1),  # learning: never counts
        replace(rev(now - timedelta(days=1), rating=1), previous=None),  # a new card: never counts
        replace(rev(now - timedelta(days=1), rating=1), cram=True),  # cram practice: never counts
    ]
    week, month, year = retention(ReviewHistory.from_reviews(log), date(2025, 6, 10), None)
    assert (week.answers, week.correct) == (5, 3)
    assert week.by_type == {"choice": (2, 1), "typed": (3, 2)}
    assert week.percent == pytest.approx(60.0)
    assert (month.answers, month.correct) == (6, 3)
    assert (year.answers, year.correct) == (7, 4)


def test_forecast_buckets_by_local_study_day(deck):
    now = local(2025, 6, 10, 12, 0)
    ids = [card.id for card in deck.cards]
    progress = {
        ids[0]: state(ids[0], now - timedelta(days=2)),                  # overdue: today
        ids[1]: state(ids[1], local(2025, 6, 11, 3, 30)),                # before 4 am: still today
        ids[2]: state(ids[2], local(2025, 6, 11, 4, 30), phase="learning"),  # tomorrow
        ids[3]: state(ids[3], local(2025, 7, 9, 12, 0)),                 # 29 days on: last bar
        ids[4]: state(ids[4], local(2025, 7, 10, 12, 0)),                # 30 days on: past the chart
    }
    counts = forecast(deck.cards, progress, now)
    assert len(counts) == 30
    assert counts[0] == 2 and counts[1] == 1 and counts[29] == 1 and sum(counts) == 4
    progress[ids[0]] = progress[ids[0]].with_changes(suspended=True)
    progress[ids[1]] = progress[ids[1]].with_changes(buried_until=date(2025, 6, 12))
    counts = forecast(deck.cards, progress, now)
    assert counts[0] == 0 and counts[2] == 1


def test_heatmap_days_across_a_month_and_a_year_boundary(deck):
    now = local(2025, 1, 15, 12, 0)
    log = [rev(local(2024, 11, 30, 22, 0)), rev(local(2024, 12, 1, 9, 0)),
           rev(local(2024, 12, 31, 23, 30)), rev(local(2025, 1, 1, 2, 0)), rev(local(2025, 1, 1, 10, 0))]
    figures = compute([deck], {}, ReviewHistory.from_reviews(log), Scheduler(), now, still_due=0)
    by_day = {d.day: d.reviews for d in figures.history}
    assert figures.history[-1].day == date(2025, 1, 15)
    assert figures.history[0].day == date(2024, 1, 17)  # 365 days, today included
    assert by_day[date(2024, 11, 30)] == 1 and by_day[date(2024, 12, 1)] == 1
    # 02:00 on New Year's Day is still the study day of 31 December.
    assert by_day[date(2024, 12, 31)] == 2 and by_day[date(2025, 1, 1)] == 1
    assert sum(by_day.values()) == 5
    assert [d.day for d in figures.recent][0] == date(2024, 12, 17)
    data = figures.to_dict()
    assert [h["day"] for h in data["history"]] == ["2024-11-30", "2024-12-01", "2024-12-31", "2025-01-01"]


def test_today_and_an_empty_history(deck):
    now = local(2025, 6, 10, 12, 0)
    empty = compute([deck], {}, ReviewHistory(), Scheduler(), now, still_due=5)
    assert not empty.has_reviews and empty.today.correct_percent is None
    assert all(r.percent is None for r in empty.retention)
    log = [rev(now - timedelta(hours=h), rating=1 if h == 1 else 3, ms=30_000) for h in (1, 2, 3, 4)]
    log.append(rev(now - timedelta(days=1)))
    figures = compute([deck], {}, ReviewHistory.from_reviews(log), Scheduler(), now, still_due=5)
    assert (figures.today.reviewed, figures.today.correct, figures.today.seconds) == (4, 3, 120)
    assert figures.today.correct_percent == 75 and figures.total_reviews == 5
    assert (figures.streaks.current, figures.streaks.longest) == (2, 2)


def test_mastery_by_muscle_and_topic(deck):
    now = local(2025, 6, 10, 12, 0)
    ids = {card.template + ":" + card.note_id: card.id for card in deck.cards}
    scheduler = Scheduler()
    progress = {ids["location:piriformis"]: state(ids["location:piriformis"], now + timedelta(days=5)),
                ids["basic:piriformis-innervation"]: state(ids["basic:piriformis-innervation"], now)}
    figures = compute([deck], progress, ReviewHistory(), scheduler, now, still_due=0)
    muscles = {m.key: m for m in figures.muscles}
    assert set(muscles) == {"piriformis", "gemellus-superior"}
    piri = muscles["piriformis"]
    assert (piri.cards, piri.studied) == (3, 2)  # location, functions, and the innervation note
    r = [scheduler.retrievability(progress[i], now) for i in progress]
    assert piri.known == pytest.approx(sum(r) / 3)
    assert piri.stability_days == pytest.approx(10.0)
    assert piri.weakest[0] == min(progress, key=lambda i: scheduler.retrievability(progress[i], now))
    gem = muscles["gemellus-superior"]
    assert (gem.studied, gem.known, gem.retrievability) == (0, 0.0, None)
    topics = {m.key: (m.cards, m.studied) for m in figures.topics}
    assert topics == {"location": (2, 1), "action": (1, 0), "innervation": (1, 1), "advice": (1, 0)}


def test_history_totals_survive_saving_and_undo_exactly():
    now = local(2025, 6, 10, 12, 0)
    log = [rev(now - timedelta(hours=n), rating=1 + n % 4, kind=("typed", "choice")[n % 2]) for n in range(40)]
    log.append(rev(now, kind="select"))  # the only one of its type: undoing it leaves no trace
    full = ReviewHistory.from_reviews(log)
    assert ReviewHistory.from_dict(full.to_dict()) == full
    for undone in range(1, 5):
        kept = ReviewHistory.from_reviews(log)
        for review in reversed(log[-undone:]):
            kept.remove(review, None)
        expected = ReviewHistory.from_reviews(log[:-undone])
        assert kept.days == expected.days and kept.count == expected.count


@pytest.mark.parametrize("backend", ["memory", "file"])
def test_store_history_follows_record_and_undo(tmp_path, backend):
    now = local(2025, 6, 10, 12, 0)
    store = Store.in_memory(now=lambda: now) if backend == "memory" else Store.open(tmp_path / "d", now=lambda: now)
    with store:
        card = "mini/piriformis/location"
        for n in range(5):
            review = replace(rev(now + timedelta(minutes=n), card=card, rating=1 + n % 4),
                             previous=store.progress(card))
            store.record_review(review, state(card, now + timedelta(days=n + 1)))
        store.undo_last_review()
        assert store.review_history().days == ReviewHistory.from_reviews(store.reviews()).days
        assert store.review_history().day(date(2025, 6, 10)).reviews == 4


def _answer(store, n: int, at: datetime, card: str = "mini/piriformis/location") -> ReviewRecord:
    review = replace(rev(at, card=card, rating=1 + n % 4, kind=("typed", "choice")[n % 2]),
                     id=f"s{n}", previous=store.progress(card))
    store.record_review(review, state(card, at + timedelta(days=n + 1)))
    return review


def _recounted(folder: Path) -> ReviewHistory:
    with Store.open(folder, read_only=True) as store:
        return ReviewHistory.from_reviews(store.reviews())


def _saved(folder: Path, monkeypatch) -> ReviewHistory:
    """The totals a new reader gets, failing if it had to count the log again."""
    def no_rebuild(self):
        raise AssertionError("the saved totals were not used")

    with monkeypatch.context() as m:
        m.setattr(Store, "_rebuild_totals", no_rebuild)
        with Store.open(folder, read_only=True) as store:
            return store.review_history()


def test_saved_totals_follow_each_review_and_undo(tmp_path, monkeypatch):
    now = local(2025, 6, 10, 12, 0)
    with Store.open(tmp_path, now=lambda: now) as store:
        store.review_history()  # read once: from then on kept up to date with each write
        for n in range(6):
            _answer(store, n, now + timedelta(hours=5 * n))  # crosses a study day and a UTC day
        store.undo_last_review()
    saved = _saved(tmp_path, monkeypatch)
    assert saved.days == _recounted(tmp_path).days and saved.count == 5


@pytest.mark.parametrize("crash_in", ["record", "undo"])
def test_totals_equal_a_recount_after_a_crash_between_writes(tmp_path, crash_in):
    """The log and card are written, the totals are not (the process died in between): the next
    read sees the saved totals no longer match the log and counts again."""
    now = local(2025, 6, 10, 12, 0)
    totals_file = tmp_path / "log" / "totals.json"
    with Store.open(tmp_path, now=lambda: now) as store:
        store.review_history()
        for n in range(4):
            _answer(store, n, now + timedelta(minutes=n))
        before = totals_file.read_bytes()
        if crash_in == "record":
            _answer(store, 9, now + timedelta(minutes=9))
        else:
            store.undo_last_review()
    totals_file.write_bytes(before)  # as it was before the write that did not happen
    with Store.open(tmp_path, now=lambda: now) as store:
        assert store.review_history().days == ReviewHistory.from_reviews(store.reviews()).days
        _answer(store, 10, now + timedelta(minutes=10))  # and it is kept up to date from there
    assert ReviewHistory.from_dict(json.loads(totals_file.read_text())["totals"]).days == _recounted(tmp_path).days


def test_totals_counted_in_another_time_zone_are_counted_again(tmp_path, monkeypatch):
    now = local(2025, 6, 10, 23, 30)
    with Store.open(tmp_path, now=lambda: now) as store:
        _answer(store, 1, now)
        assert store.review_history().day(date(2025, 6, 10)).reviews == 1
    monkeypatch.setenv("TZ", "Asia/Tokyo")  # 23:30 in New York is 12:30 the next day in Tokyo
    time.tzset()
    with Store.open(tmp_path, read_only=True) as store:
        history = store.review_history()
    assert history.day(date(2025, 6, 11)).reviews == 1 and date(2025, 6, 10) not in history.days


def test_every_kind_of_textbook_card_has_its_topic():
    """The shipped decks' cards by what their prompt asks (as the reference sheets group the
    facts), not by how topics.py decides."""
    from hipquiz.core.decks import load_library
    from hipquiz.core.topics import topic_of
    from hipquiz.paths import user_decks_dir

    library = load_library(user_decks_dir(Path("/nonexistent-hipquiz-data")))
    asks = [
        (r"^What is the origin of |^Where does the .* insert\?|which (one )?(arises? from|inserts? into) ", "attachment"),
        (r"^Which nerve supplies |which does the .* nerve supply\?", "innervation"),
        (r"^Which arteries supply |which one does the .* artery supply", "blood"),
        (r"^In which layer |which lie in the .* layer", "location"),
        (r"^What are the actions of |which (flex|extend|abduct|adduct|rotate)|prime mover of", "action"),
    ]
    checked = 0
    for card in (c for d in library.decks for c in d.cards):
        for pattern, topic in asks:
            if re.search(pattern, card.prompt):
                assert topic_of(card) == topic, (card.id, card.prompt)
                checked += 1
    assert checked >= 60
