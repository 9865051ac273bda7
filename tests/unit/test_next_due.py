"""'Next due' says when a card will really be shown, the same on the summary and the home screen."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hipquiz.core.decks import load_deck
from hipquiz.core.scheduler import GOOD, Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession, day_end, deck_counts
from hipquiz.core.store import Store

DECK = """\
[deck]
id = "demo"
name = "Demo"

[[notes]]
id = "tfl"
type = "muscle"
name = "Tensor fasciae latae"
location = "Top, outside of the thigh"
source = "s"
"""

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)


def _review_state(scheduler: Scheduler, card, now: datetime):
    """A card in the review phase, due now (answered Good until it graduated)."""
    state = scheduler.new_progress(card.id, card.answer_hash, now - timedelta(days=30))
    moment = now - timedelta(days=30)
    for _ in range(10):
        state = scheduler.review(state, GOOD, moment).progress
        if state.phase == "review":
            break
        moment += timedelta(hours=1)
    return state.with_changes(due=now - timedelta(minutes=5))


def test_a_sibling_held_back_is_next_due_at_the_start_of_the_next_study_day(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    path = tmp_path / "demo.toml"
    path.write_text(DECK, encoding="utf-8")
    deck = load_deck(path)
    scheduler = Scheduler(SchedulerSettings(enable_fuzzing=False))
    with Store.open(tmp_path / "data", now=lambda: NOW) as store:
        for card in deck.cards:
            store.save_progress(_review_state(scheduler, card, NOW))
        session = StudySession(deck, store, scheduler, lambda: NOW)
        card = session.next_card()
        session.answer(card, GOOD, duration_ms=1000)
        # Its sibling is due, but held back until tomorrow so one never gives the other away.
        assert session.next_card() is None
        summary = session.finish()
        assert summary.next_due == day_end(NOW)
        assert deck_counts(deck, store, scheduler, NOW).next_due == summary.next_due
