"""Starting reads nothing that grows with the review log: the home screen's counts, a study session
and its first question (the mixed mode's weakest types included) read today's reviews at most; the
mixed mode's counts per question type are kept with each card."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from hipquiz.core.collection import Collection
from hipquiz.core.days import day_start
from hipquiz.core.decks import load_library
from hipquiz.core.errors import RecordError
from hipquiz.core.model import CardProgress
from hipquiz.core.questions import supported_types
from hipquiz.core.scheduler import AGAIN, GOOD, Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession
from hipquiz.core.store import Store


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture(scope="module")
def library():
    return load_library(None)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def scheduler() -> Scheduler:
    return Scheduler(SchedulerSettings(enable_fuzzing=False))


def study_days(store, deck, clock, days: int, per_day: int = 4) -> None:
    """``days`` days of mixed-mode study ending yesterday, wrong and right answers in turn."""
    rng = random.Random(3)
    end = clock.moment
    clock.moment = end - timedelta(days=days)
    for _ in range(days):
        session = StudySession(deck, store, scheduler(), clock, mode="mixed", rng=rng)
        for turn in range(per_day):
            card = session.next_card()
            if card is None:
                break
            question = session.ask(card)
            session.answer(card, AGAIN if turn % 2 else GOOD, duration_ms=3000, question_type=question.kind)
        clock.moment += timedelta(days=1)
    clock.moment = end


def test_starting_reads_only_todays_reviews(tmp_path, library, clock, monkeypatch):
    deck = library.find("hip-muscles")
    with Store.open(tmp_path / "data", now=clock) as store:
        study_days(store, deck, clock, days=12)
        read_since: list[datetime | None] = []
        reviews = store.reviews

        def recording(since=None):
            read_since.append(since)
            return reviews(since)

        def no_history():
            raise AssertionError("the whole history's totals were asked for at start")

        monkeypatch.setattr(store, "reviews", recording)
        briefs = store.review_briefs

        def recording_briefs(since):
            read_since.append(since)
            return briefs(since)

        monkeypatch.setattr(store, "review_briefs", recording_briefs)
        monkeypatch.setattr(store, "review_history", no_history)
        # What `hipquiz study` does before the first card is on the screen: the home screen's
        # counts of every deck, then a session and its first question, in the mode that picks
        # a card's type from its past answers.
        collection = Collection(library, store, settings=SchedulerSettings(enable_fuzzing=False), now=clock)
        counts = [collection.counts(d) for d in library.decks]
        session = collection.study(deck, mode="mixed", rng=random.Random(1))
        card = session.next_card()
        session.ask(card)
    assert counts[0].to_study > 0
    today = day_start(clock())
    assert read_since, "the counts did not look at today's reviews (daily limits)"
    assert all(since is not None and since >= today for since in read_since), read_since


def test_mixed_mode_asks_a_cards_weakest_type_from_its_own_counts(tmp_path, library, clock):
    deck = library.find("hip-muscles")
    card, other = [c for c in deck.cards if {"choice", "typed"} <= set(supported_types(c, deck))][:2]

    def asked_kinds(types: dict[str, tuple[int, int]]) -> list[str]:
        with Store.open(tmp_path / f"data-{len(list(tmp_path.iterdir()))}", now=clock) as store:
            state = scheduler().new_progress(card.id, card.answer_hash, clock())
            store.save_progress(state.with_changes(types=types))
            # Another card of the deck, weak the other way and asked more: the deck's record
            # (what a card never asked goes by) would pick the other type.
            opposite = {kind: (asked * 10, asked * 10 - wrong * 10) for kind, (asked, wrong) in types.items()}
            store.save_progress(scheduler().new_progress(other.id, other.answer_hash, clock()).with_changes(types=opposite))
            session = StudySession(deck, store, scheduler(), clock, mode="mixed", rng=random.Random(5))
            return [session.ask(card).kind for _ in range(200)]

    weak_typed = asked_kinds({"typed": (10, 10), "choice": (10, 0)})
    weak_choice = asked_kinds({"typed": (10, 0), "choice": (10, 10)})
    assert weak_typed.count("typed") > 3 * weak_typed.count("choice")
    assert weak_choice.count("choice") > 3 * weak_choice.count("typed")


def test_an_answer_is_counted_with_its_card_and_undo_takes_it_back(tmp_path, library, clock):
    deck = library.find("hip-muscles")
    with Store.open(tmp_path / "data", now=clock) as store:
        session = StudySession(deck, store, scheduler(), clock, mode="mixed", rng=random.Random(2))
        card = session.next_card()
        kind = session.ask(card).kind
        session.answer(card, GOOD, duration_ms=2000, question_type=kind)
        assert store.progress(card.id).types == {kind: (1, 0)}
        clock.moment += timedelta(minutes=15)
        session.answer(card, AGAIN, duration_ms=2000, question_type="flip")
        assert store.progress(card.id).types == {kind: (1, 0), "flip": (1, 1)} if kind != "flip" else {"flip": (2, 1)}
        session.undo()
        assert store.progress(card.id).types == {kind: (1, 0)}
    with Store.open(tmp_path / "data", now=clock) as reopened:
        assert reopened.progress(card.id).types == {kind: (1, 0)}


def test_type_counts_are_saved_only_when_there_are_some_and_checked_when_read(clock):
    state = scheduler().new_progress("d/n/c", "h", clock())
    assert "types" not in state.to_dict()  # the shape older versions wrote
    counted = state.asked("typed", True).asked("typed", False).asked("choice", False)
    assert counted.types == {"typed": (2, 1), "choice": (1, 0)}
    assert CardProgress.from_dict(counted.to_dict()) == counted
    for bad in ({"typed": [1]}, {"typed": [1, 2]}, {"typed": [True, 0]}, {"typed": [-1, 0]}, ["typed"]):
        with pytest.raises(RecordError, match="types"):
            CardProgress.from_dict({**counted.to_dict(), "types": bad})


def test_starting_imports_nothing_the_first_screen_does_not_need():
    """What `hipquiz` imports before its first screen: not the drawings' painter (Pillow), the
    typed-answer grader's libraries, the statistics, the deck writer, the charts or the exporters."""
    import subprocess
    import sys

    deferred = ["PIL", "rapidfuzz", "spellchecker", "tomlkit", "plotext", "textual_plotext", "genanki",
                "hipquiz.core.stats"]
    probe = ("import sys, hipquiz.cli, hipquiz.tui.app, hipquiz.core.collection\n"
             f"print(' '.join(m for m in {deferred!r} if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert found == []
