"""Scheduling goes through fsrs unchanged: each rating gives exactly what fsrs gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from hipquiz.core.scheduler import AGAIN, EASY, GOOD, HARD, Scheduler, SchedulerSettings, format_interval

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def scheduler() -> Scheduler:
    return Scheduler(SchedulerSettings(enable_fuzzing=False))


def reference() -> fsrs.Scheduler:
    return fsrs.Scheduler(enable_fuzzing=False)


@pytest.mark.parametrize("rating", [AGAIN, HARD, GOOD, EASY])
def test_first_review_matches_fsrs(scheduler, rating):
    outcome = scheduler.review(scheduler.new_progress("d/n/t", "h", NOW), rating, NOW)
    expected, _ = reference().review_card(fsrs.Card(card_id=0, due=NOW), fsrs.Rating(rating), NOW)
    assert outcome.progress.due == expected.due
    assert outcome.progress.fsrs["stability"] == pytest.approx(expected.stability)
    assert outcome.progress.fsrs["difficulty"] == pytest.approx(expected.difficulty)
    assert outcome.progress.reps == 1


@pytest.mark.parametrize("rating", [AGAIN, HARD, GOOD, EASY])
def test_a_review_card_follows_fsrs(scheduler, rating):
    progress = scheduler.new_progress("d/n/t", "h", NOW)
    card = fsrs.Card(card_id=0, due=NOW)
    when = NOW
    for _ in range(3):  # Good three times: out of learning into review
        progress = scheduler.review(progress, GOOD, when).progress
        card, _ = reference().review_card(card, fsrs.Rating.Good, when)
        when = card.due
    assert progress.phase == "review"
    outcome = scheduler.review(progress, rating, when)
    expected, _ = reference().review_card(card, fsrs.Rating(rating), when)
    assert outcome.progress.due == expected.due
    assert outcome.progress.phase == {1: "relearning"}.get(rating, "review")
    assert outcome.progress.lapses == (1 if rating == AGAIN else 0)


def test_intervals_grow_with_the_rating(scheduler):
    progress = scheduler.new_progress("d/n/t", "h", NOW)
    preview = scheduler.preview(progress, NOW)
    intervals = [preview[r].interval for r in (AGAIN, HARD, GOOD, EASY)]
    assert intervals == sorted(intervals)
    assert intervals[0] == timedelta(minutes=1)
    assert intervals[-1] >= timedelta(days=1)


def test_the_previewed_interval_is_given_when_rated_a_moment_later_even_with_fuzz():
    fuzzy = Scheduler(SchedulerSettings(enable_fuzzing=True))
    progress = fuzzy.new_progress("d/n/t", "h", NOW)
    for rating in (GOOD, GOOD, GOOD):
        progress = fuzzy.review(progress, rating, progress.due).progress
    shown_at = progress.due
    preview = fuzzy.preview(progress, shown_at)
    rated = fuzzy.review(progress, GOOD, shown_at + timedelta(seconds=7))
    assert rated.interval == preview[GOOD].interval
    assert rated.progress.due == preview[GOOD].progress.due + timedelta(seconds=7)


def test_fuzz_still_spreads_cards_learned_together():
    fuzzy = Scheduler(SchedulerSettings(enable_fuzzing=True))
    dues = set()
    for n in range(20):
        p = fuzzy.new_progress(f"d/n{n}/t", "h", NOW)
        p = fuzzy.review(p, EASY, NOW).progress
        dues.add(fuzzy.review(p, GOOD, p.due).progress.due - p.due)
    assert len(dues) > 1


def test_desired_retention_changes_intervals():
    def interval(retention: float) -> timedelta:
        s = Scheduler(SchedulerSettings(desired_retention=retention, enable_fuzzing=False))
        p = s.review(s.new_progress("x", "h", NOW), EASY, NOW).progress
        return s.review(p, GOOD, p.due).interval

    assert interval(0.8) > interval(0.9) > interval(0.97)


def test_a_card_forgotten_often_becomes_a_leech():
    s = Scheduler(SchedulerSettings(leech_lapses=2, enable_fuzzing=False))
    p = s.new_progress("x", "h", NOW)
    when = NOW
    lapses_seen = []
    for _ in range(2):
        while p.phase != "review":
            p = s.review(p, GOOD, when).progress
            when = p.due
        p = s.review(p, AGAIN, when).progress
        when = p.due
        lapses_seen.append((p.lapses, p.leech))
    assert lapses_seen == [(1, False), (2, True)]


def test_relearn_restarts_but_keeps_counts(scheduler):
    p = scheduler.review(scheduler.new_progress("x", "h", NOW), EASY, NOW).progress
    restarted = scheduler.relearn(p, NOW + timedelta(days=3))
    assert restarted.phase == "learning" and restarted.relearn
    assert restarted.reps == p.reps
    assert restarted.due == NOW + timedelta(days=3)


@pytest.mark.parametrize("bad", [{"desired_retention": 1.2}, {"new_per_day": -1}])
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValueError):
        SchedulerSettings(**bad)


@pytest.mark.parametrize(
    ("delta", "text"),
    [(timedelta(seconds=20), "1m"), (timedelta(minutes=10), "10m"), (timedelta(hours=5), "5h"),
     (timedelta(days=3), "3d"), (timedelta(days=75), "2.5mo"), (timedelta(days=730), "2y")],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(days=1), "1d"), (timedelta(hours=1), "1h"), (timedelta(days=30), "1mo"), (timedelta(days=365), "1y")])
def test_a_wait_read_a_little_later_keeps_its_unit(delta, text):
    """The browser shows the wait from now, a few seconds after the rating button showed it from
    the answer: "1d" on the button must not become "24h" in the list."""
    assert format_interval(delta) == text
    assert format_interval(delta - timedelta(seconds=30)) == text


def test_with_the_default_fuzz_the_ratings_keep_their_order_and_meaning():
    """Fuzz is on by default: Hard must still give a shorter wait than Good, and Good the wait FSRS
    gives for Good (give or take the fuzz), on every review card, not only with fuzz off."""
    fuzzy, exact = Scheduler(SchedulerSettings()), Scheduler(SchedulerSettings(enable_fuzzing=False))
    assert fuzzy.settings.enable_fuzzing
    for n in range(12):
        progress = exact.new_progress(f"d/n{n}/t", "h", NOW)
        for rating in (GOOD, GOOD, GOOD, EASY if n % 2 else GOOD):
            progress = exact.review(progress, rating, progress.due).progress
        assert progress.phase == "review"
        when = progress.due
        fuzzed, plain = fuzzy.preview(progress, when), exact.preview(progress, when)
        assert fuzzed[HARD].interval < fuzzed[GOOD].interval < fuzzed[EASY].interval
        for rating in (HARD, GOOD, EASY):
            ratio = fuzzed[rating].interval / plain[rating].interval
            assert 0.75 <= ratio <= 1.25, (rating, fuzzed[rating].interval, plain[rating].interval)


def test_fuzz_never_shows_hard_longer_than_good_on_any_card():
    """What the rating buttons show: with fuzz on, a card's waits keep the ratings' order (the
    buttons once read "Hard 5d, Good 4d"), over many cards and histories, short waits included."""
    fuzzy = Scheduler(SchedulerSettings())
    histories = [(GOOD,), (EASY,), (GOOD, GOOD), (GOOD, HARD), (EASY, HARD), (GOOD, GOOD, AGAIN, GOOD),
                 (HARD, GOOD, GOOD), (GOOD, EASY, GOOD)]
    checked = 0
    for n in range(60):
        for history in histories:
            progress = fuzzy.new_progress(f"d/n{n}/t{len(history)}", "h", NOW)
            for rating in history:
                progress = fuzzy.review(progress, rating, progress.due).progress
            shown = fuzzy.preview(progress, progress.due)
            waits = [shown[r].interval for r in (AGAIN, HARD, GOOD, EASY)]
            assert waits == sorted(waits), (history, progress.card_id, waits)
            checked += 1
    assert checked == 480
