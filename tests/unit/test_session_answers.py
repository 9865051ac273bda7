"""An answer is taken by the session at once and saved after (give / save / withdraw), so the screen
can show the next card while the answer is written."""

from __future__ import annotations

import pytest

from hipquiz.core.errors import StoreError
from hipquiz.core.scheduler import AGAIN, GOOD
from hipquiz.core.session import StudySession

from test_session import DECK, Clock, clock, deck_path, make_session, store  # noqa: F401 (fixtures)


def test_a_given_answer_moves_the_session_on_and_is_saved_only_by_save(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    card = session.next_card()
    given = session.give(card, GOOD, duration_ms=900, question_type="flip")
    assert session.next_card() != card and session.summary.reviewed == 1
    assert store.reviews() == [], "saved before save()"
    session.save(given)
    assert [(r.card_id, r.rating) for r in store.reviews()] == [(card.id, GOOD)]


def test_a_withdrawn_answer_leaves_the_card_next_with_what_it_showed(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    card = session.next_card()
    question = session.ask(card)
    session.reveal(question, "my guess")
    counts = session.remaining_parts()
    given = session.give(card, AGAIN, duration_ms=900)
    assert session.withdraw(given) == card
    assert session.next_card() == card and session.remaining_parts() == counts
    assert session.shown(card).response == "my guess", "the answer shown is lost"
    assert session.summary.reviewed == 0 and not session.can_undo
    assert store.reviews() == [] and card.id not in store.all_progress()


def test_answer_withdraws_what_it_could_not_save(deck_path, store, clock, monkeypatch):
    session = make_session(deck_path, store, clock)
    card = session.next_card()

    def full(review, progress):
        raise StoreError("the disk is full")

    monkeypatch.setattr(store, "record_review", full)
    with pytest.raises(StoreError):
        session.answer(card, GOOD, duration_ms=900)
    assert session.next_card() == card and session.summary.reviewed == 0 and not session.can_undo


def test_mixed_modes_counts_by_type_stay_in_step_with_answers_and_undo(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    session._deck_type_stats()  # counted now, then kept up to date
    for kind, rating in (("typed", AGAIN), ("choice", GOOD), ("typed", GOOD), ("choice", AGAIN)):
        card = session.next_card()
        session.answer(card, rating, duration_ms=900, question_type=kind)
        clock.advance(minutes=2)
    session.undo()
    session.bury(session.next_card())
    recounted = StudySession(session.deck, store, session.scheduler, now=clock)._deck_type_stats()
    assert session._deck_type_stats() == recounted == {"typed": (2, 1), "choice": (1, 0)}
