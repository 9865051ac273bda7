"""Custom study: limits by count and time, extra new cards, study ahead, several decks or a tag
together, and cram practice that leaves the schedule alone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hipquiz.core.decks import load_deck
from hipquiz.core.scheduler import AGAIN, GOOD, Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession, deck_counts
from hipquiz.core.store import Store
from hipquiz.core.study_options import OptionError, StudyOptions, all_tags, study_set


def _deck_text(deck_id: str, count: int, tag_every: int = 2) -> str:
    lines = [f'[deck]\nid = "{deck_id}"\nname = "{deck_id.title()}"\n']
    for n in range(count):
        tags = '["even"]' if n % tag_every == 0 else '["odd"]'
        lines.append(f'[[notes]]\nid = "q{n}"\ntype = "basic"\nquestion = "Question {n} of {deck_id}?"\n'
                     f'answer = "Answer {n}"\nsource = "s"\ntags = {tags}\n')
    return "\n".join(lines)


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **kwargs) -> None:
        self.moment += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def decks(tmp_path: Path):
    made = []
    for deck_id, count in (("alpha", 6), ("beta", 4)):
        path = tmp_path / f"{deck_id}.toml"
        path.write_text(_deck_text(deck_id, count), encoding="utf-8")
        made.append(load_deck(path))
    return made


@pytest.fixture
def store(tmp_path: Path, clock: Clock):
    with Store.open(tmp_path / "data", now=clock) as opened:
        yield opened


def scheduler(**settings) -> Scheduler:
    return Scheduler(SchedulerSettings(enable_fuzzing=False, **settings))


def answer_all(session: StudySession, clock: Clock, rating: int = GOOD, bound: int = 200) -> list[str]:
    shown = []
    for _ in range(bound):
        card = session.next_card()
        if card is None:
            break
        shown.append(card.id)
        session.answer(card, rating, duration_ms=1000)
        clock.advance(seconds=5)
    return shown


def test_a_card_limit_ends_the_session_after_that_many_answers(decks, store, clock):
    session = StudySession(decks[0], store, scheduler(), clock, options=StudyOptions(limit=3))
    assert session.remaining == 3
    assert len(answer_all(session, clock)) == 3
    assert session.remaining == 0


def test_a_time_limit_offers_no_card_once_the_minutes_are_up(decks, store, clock):
    session = StudySession(decks[0], store, scheduler(), clock, options=StudyOptions(minutes=2))
    card = session.next_card()
    session.answer(card, GOOD, duration_ms=1000)
    clock.advance(seconds=119)
    assert session.next_card() is not None
    clock.advance(seconds=1)
    assert session.next_card() is None
    assert session.remaining == 0


def test_extra_new_cards_go_past_the_daily_limit(decks, store, clock):
    plain = StudySession(decks[0], store, scheduler(new_per_day=2), clock)
    assert plain.remaining == 2
    extra = StudySession(decks[0], store, scheduler(new_per_day=2), clock, options=StudyOptions(extra_new=3))
    assert extra.remaining == 5


def test_study_ahead_serves_reviews_due_in_the_next_days(decks, store, clock):
    answer_all(StudySession(decks[1], store, scheduler(), clock), clock)
    # Graduate every card to review, then come back tomorrow: nothing is due yet.
    clock.advance(minutes=30)
    answer_all(StudySession(decks[1], store, scheduler(), clock), clock)
    clock.advance(days=1)
    assert StudySession(decks[1], store, scheduler(), clock).remaining == 0
    ahead = StudySession(decks[1], store, scheduler(), clock, options=StudyOptions(ahead_days=30))
    assert ahead.remaining == 4


def test_several_decks_and_a_tag_study_together_with_shared_progress(decks, store, clock):
    both = study_set(decks)
    assert len(both.cards) == 10
    evens = study_set(decks, tag="even")
    assert {c.id for c in evens.cards} == {"alpha/q0/basic", "alpha/q2/basic", "alpha/q4/basic",
                                           "beta/q0/basic", "beta/q2/basic"}
    answered = answer_all(StudySession(evens, store, scheduler(), clock), clock)
    assert set(answered) == {c.id for c in evens.cards}
    # The answers count for the decks the cards come from.
    counts = deck_counts(decks[1], store, scheduler(), clock())
    assert counts.new == 2
    assert all_tags(decks) == ["even", "odd"]


def test_an_unknown_tag_says_which_tags_exist(decks):
    with pytest.raises(OptionError, match="even, odd"):
        study_set(decks, tag="nerve")


def test_cram_practises_without_changing_the_schedule(decks, store, clock):
    answer_all(StudySession(decks[1], store, scheduler(), clock), clock)
    before = store.all_progress()
    clock.advance(minutes=1)
    cram = StudySession(decks[1], store, scheduler(), clock, options=StudyOptions(cram=True))
    assert cram.remaining == 4
    first = cram.next_card()
    cram.answer(first, AGAIN, duration_ms=1000)
    # Again brings the card back in the same cram session, until it is right.
    assert first.id in [c.id for c in cram._cram]
    answered = answer_all(cram, clock)
    assert first.id in answered
    assert store.all_progress() == before
    cram_reviews = [r for r in store.reviews() if r.cram]
    assert len(cram_reviews) == 5


def test_cram_answers_leave_the_days_new_card_limit_alone(decks, store, clock):
    cram = StudySession(decks[0], store, scheduler(new_per_day=2), clock, options=StudyOptions(cram=True))
    answer_all(cram, clock)
    assert len(store.reviews()) == 6
    assert deck_counts(decks[0], store, scheduler(new_per_day=2), clock()).new == 2


def test_cram_of_todays_mistakes_takes_only_cards_answered_again(decks, store, clock):
    session = StudySession(decks[1], store, scheduler(), clock)
    missed = session.next_card()
    session.answer(missed, AGAIN, duration_ms=1000)
    mistakes = StudySession(decks[1], store, scheduler(), clock,
                            options=StudyOptions(cram=True, mistakes_only=True))
    assert [c.id for c in mistakes._cram] == [missed.id]


def test_undo_of_a_cram_answer_asks_the_card_again_and_keeps_the_schedule(decks, store, clock):
    cram = StudySession(decks[0], store, scheduler(), clock, options=StudyOptions(cram=True))
    card = cram.next_card()
    cram.answer(card, GOOD, duration_ms=1000)
    assert cram.undo() == card
    assert cram.next_card() == card
    assert store.reviews() == []
    assert card.id not in store.all_progress()


@pytest.mark.parametrize("options, words", [
    (dict(limit=0), "card limit"),
    (dict(minutes=-1), "time limit"),
    (dict(mistakes_only=True), "cram"),
    (dict(cram=True, ahead_days=2), "do not apply"),
])
def test_impossible_options_say_what_is_allowed(options, words):
    with pytest.raises(OptionError, match=words):
        StudyOptions(**options)


def _kind_shown(session: StudySession, card) -> str:
    state = session.progress(card)
    return "new" if state.reps == 0 else ("review" if state.phase == "review" else "learning")


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_card_limit_counts_the_cards_the_session_will_show(decks, store, clock, limit):
    """The header's new/learning/review counts under a card limit are those of the cards the
    session then shows: a learning card due now is shown first, so it takes the room first."""
    first = StudySession(decks[0], store, scheduler(), clock)
    card = first.next_card()
    first.answer(card, AGAIN, duration_ms=1000)
    clock.advance(minutes=15)  # past the first learning step: due now
    session = StudySession(decks[0], store, scheduler(), clock, options=StudyOptions(limit=limit))
    new, learning, reviews = session.remaining_parts()
    kinds = []
    for _ in range(limit + 1):
        card = session.next_card()
        if card is None:
            break
        kinds.append(_kind_shown(session, card))
        session.answer(card, GOOD, duration_ms=1000)
    assert (new, learning, reviews) == (kinds.count("new"), kinds.count("learning"), kinds.count("review"))
    assert kinds[0] == "learning"
