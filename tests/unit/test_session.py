"""Study sessions: order of cards, daily limits, siblings, saving, undo, bury, suspend, deck edits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hipquiz.core.collection import Collection
from hipquiz.core.days import day_end
from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.core.scheduler import AGAIN, EASY, GOOD, Scheduler, SchedulerSettings
from hipquiz.core.session import StudySession, deck_counts, set_suspended
from hipquiz.core.store import Store

DECK = """\
[deck]
id = "demo"
name = "Demo"

[[notes]]
id = "tfl"
type = "muscle"
name = "Tensor fasciae latae"
aliases = ["TFL"]
location = "Top, outside of the thigh"
source = "The TFL is found on the top, outside (anterolateral side) of your thigh."

[[notes]]
id = "femur"
type = "basic"
question = "What is the thigh bone called?"
answer = "Femur"
source = "your thigh bone (femur bone)"

[[notes]]
id = "itb"
type = "basic"
question = "What does the IT band help the knee do?"
answer = "Stay in alignment"
source = "This band helps to hold your knee in alignment."
"""


class Clock:
    def __init__(self, start: datetime):
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **kwargs) -> None:
        self.moment += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc))


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "demo.toml"
    path.write_text(DECK, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path, clock: Clock):
    with Store.open(tmp_path / "data", now=clock) as opened:
        yield opened


def make_session(deck_path, store, clock, **settings) -> StudySession:
    scheduler = Scheduler(SchedulerSettings(enable_fuzzing=False, **settings))
    return StudySession(load_deck(deck_path), store, scheduler, now=clock)


def study_all(session: StudySession, clock: Clock, rating: int = GOOD, limit: int = 100) -> list[str]:
    shown = []
    while (card := session.next_card()) is not None and len(shown) < limit:
        shown.append(card.id)
        session.answer(card, rating, duration_ms=1000)
        clock.advance(seconds=5)
    return shown


def test_new_cards_come_in_deck_order_and_siblings_wait_for_another_day(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    shown = []
    while (card := session.next_card()) is not None and card.id not in shown:
        shown.append(card.id)
        session.answer(card, EASY, duration_ms=800)
    # tfl has two cards; the second would give the first away, so it is buried until tomorrow.
    assert shown == ["demo/tfl/location", "demo/femur/basic", "demo/itb/basic"]
    clock.advance(days=1)
    assert make_session(deck_path, store, clock).next_card().id == "demo/tfl/name-from-location"


def test_a_learning_card_is_not_followed_by_itself_while_others_wait(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    first = session.next_card()
    session.answer(first, AGAIN, duration_ms=800)
    clock.advance(minutes=2)  # due again, but another card is shown in between
    assert session.next_card() != first


def test_each_answer_is_saved_at_once_with_its_question_type(deck_path, store, clock, tmp_path):
    session = make_session(deck_path, store, clock)
    card = session.next_card()
    session.answer(card, EASY, duration_ms=4200, question_type="flip")
    with Store.open(tmp_path / "data", read_only=True) as reader:
        [review] = reader.reviews()
        saved = reader.all_progress()[card.id]
    assert (review.card_id, review.rating, review.duration_ms, review.question_type) == (card.id, EASY, 4200, "flip")
    assert review.previous is None
    assert saved.reps == 1 and saved.phase == "review"


def test_learning_cards_come_back_in_the_same_session_until_learned(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    shown = study_all(session, clock, rating=GOOD)
    # Good on a new card: 1 min then 10 min learning steps, then graduated; each card seen twice
    # (the TFL's second card is a sibling, buried until tomorrow).
    today = [c.id for c in load_deck(deck_path).cards if c.id != "demo/tfl/name-from-location"]
    assert sorted(shown) == sorted(today * 2)
    assert session.remaining == 0
    summary = session.finish()
    assert summary.reviewed == 6 and summary.correct_percent == 100
    assert summary.next_due is not None and summary.next_due > clock()


def test_new_cards_per_day_limit_holds_across_sessions(deck_path, store, clock):
    session = make_session(deck_path, store, clock, new_per_day=2)
    assert session.remaining == 2
    for _ in range(2):
        session.answer(session.next_card(), EASY, duration_ms=500)
    again = make_session(deck_path, store, clock, new_per_day=2)
    assert again.next_card() is None
    counts = deck_counts(load_deck(deck_path), store, again.scheduler, clock())
    assert (counts.new, counts.total) == (0, 4)
    clock.advance(days=1)
    assert make_session(deck_path, store, clock, new_per_day=2).remaining >= 2


def test_review_cards_are_due_again_after_their_interval(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    counts = deck_counts(load_deck(deck_path), store, session.scheduler, clock())
    assert (counts.new, counts.learning, counts.due) == (0, 0, 0)
    assert counts.next_due is not None
    clock.moment = counts.next_due + timedelta(minutes=1)
    later = deck_counts(load_deck(deck_path), store, session.scheduler, clock())
    assert later.new + later.due >= 1  # what comes first: a new card held back today, or a review
    clock.moment = min(p.due for p in store.all_progress().values() if p.phase == "review") + timedelta(minutes=1)
    assert deck_counts(load_deck(deck_path), store, session.scheduler, clock()).due >= 1


def test_new_cards_held_back_by_a_related_note_are_next_due_tomorrow_not_with_the_reviews(deck_path, store, clock):
    # (REVIEW-smoke4 #4: "Nothing to study here now: next due in 11d" with new cards waiting for
    # the next study day, held back because a sibling was studied today.)
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    counts = deck_counts(load_deck(deck_path), store, session.scheduler, clock())
    assert counts.new == 0 and any(card.id not in store.all_progress() for card in load_deck(deck_path).cards)
    assert counts.next_due == day_end(clock())
    clock.moment = counts.next_due + timedelta(minutes=1)
    assert deck_counts(load_deck(deck_path), store, session.scheduler, clock()).new >= 1


def test_undo_restores_the_previous_state_exactly(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    card = session.next_card()
    session.answer(card, GOOD, duration_ms=500)
    clock.advance(minutes=2)
    before = store.all_progress()[card.id]
    assert session.next_card() != card  # the sibling rule shows another card first
    session.answer(card, AGAIN, duration_ms=500)
    assert session.undo() == card
    assert store.all_progress()[card.id] == before
    assert [r.rating for r in store.reviews()] == [GOOD]
    assert session.undo() == card
    assert card.id not in store.all_progress() and store.reviews() == []
    assert session.summary.reviewed == 0
    assert session.next_card() == card


def test_bury_hides_a_card_until_tomorrow_and_suspend_until_unsuspended(deck_path, store, clock):
    deck = load_deck(deck_path)
    session = make_session(deck_path, store, clock)
    first = session.next_card()
    session.bury(first)
    assert session.next_card() != first
    second = session.next_card()
    session.suspend(second)
    again = make_session(deck_path, store, clock)
    remaining = []
    while (card := again.next_card()) is not None:
        remaining.append(card.id)
        again.answer(card, EASY, duration_ms=100)
    assert first.id not in remaining and second.id not in remaining
    clock.advance(days=1)
    tomorrow = make_session(deck_path, store, clock)
    assert tomorrow.next_card() == first
    counts = deck_counts(deck, store, tomorrow.scheduler, clock())
    assert counts.suspended == 1
    set_suspended(store, tomorrow.scheduler, second, False, clock())
    assert deck_counts(deck, store, tomorrow.scheduler, clock()).suspended == 0


def test_an_edited_answer_keeps_history_and_is_learned_again(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    femur = "demo/femur/basic"
    assert store.all_progress()[femur].phase == "review"
    deck_path.write_text(DECK.replace('answer = "Femur"', 'answer = "The femur"'), encoding="utf-8")
    clock.advance(hours=1)
    # Opening the collection reconciles the edit once, before any session starts.
    collection = Collection(DeckLibrary([load_deck(deck_path)], []), store,
                            settings=SchedulerSettings(enable_fuzzing=False), now=clock)
    edited = collection.study(collection.library.decks[0], mode="flip")
    progress = store.all_progress()[femur]
    assert progress.relearn and progress.phase == "learning" and progress.reps == 1
    assert edited.next_card().id == femur
    assert len([r for r in store.reviews() if r.card_id == femur]) == 1


def test_a_removed_card_keeps_its_history_and_returns_with_it(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    saved = store.all_progress()["demo/itb/basic"]
    without = DECK[: DECK.index('[[notes]]\nid = "itb"')]
    deck_path.write_text(without, encoding="utf-8")
    make_session(deck_path, store, clock)
    assert store.all_progress()["demo/itb/basic"] == saved
    deck_path.write_text(DECK, encoding="utf-8")
    back = make_session(deck_path, store, clock)
    assert back.remaining == 0  # it comes back with its schedule, not as a new card


def test_review_cap_limits_reviews_per_day(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    clock.advance(days=60)
    capped = make_session(deck_path, store, clock, reviews_per_day=1)
    assert capped.remaining == 1


LOOKALIKES = DECK + """
[[notes]]
id = "obturator-internus"
type = "muscle"
name = "obturator internus"
group = "deep six lateral rotators"
confusable = ["obturator-externus"]
cards = ["group"]
source = "obturator internus"

[[notes]]
id = "obturator-externus"
type = "muscle"
name = "obturator externus"
group = "deep six lateral rotators (also medial thigh)"
confusable = ["obturator-internus"]
cards = ["group"]
source = "obturator externus"
"""


def test_typed_questions_are_checked_saved_with_their_type_and_aliases_stick(tmp_path, store, clock):
    path = tmp_path / "lookalikes.toml"
    path.write_text(LOOKALIKES, encoding="utf-8")
    scheduler = Scheduler(SchedulerSettings(enable_fuzzing=False))
    session = StudySession(load_deck(path), store, scheduler, now=clock, mode="typed")
    card = next(c for c in session.deck.cards if c.template == "name-from-location")
    question = session.ask(card)
    assert question.kind == "typed"
    assert session.check(question, "tfl").correct
    assert not session.check(question, "tensor fascia ham").correct
    session.accept_alias(card, "tensor fascia ham")
    assert store.aliases() == {"demo/tfl": ["tensor fascia ham"]}
    reopened = StudySession(load_deck(path), store, scheduler, now=clock, mode="typed")
    assert reopened.check(reopened.ask(card), "Tensor Fascia Ham").correct
    check = reopened.check(reopened.ask(card), "tfl")
    rating = reopened.suggested_rating(check, seconds=2)
    reopened.answer(card, rating, duration_ms=2000, question_type="typed")
    assert [(r.rating, r.question_type) for r in store.reviews()] == [(EASY, "typed")]


def test_leech_partner_is_the_lookalike(tmp_path, store, clock):
    path = tmp_path / "lookalikes.toml"
    path.write_text(LOOKALIKES, encoding="utf-8")
    session = make_session(path, store, clock)
    internus = next(c for c in session.deck.cards if c.note_id == "obturator-internus")
    assert session.leech_partner(internus).note_id == "obturator-externus"
    femur = next(c for c in session.deck.cards if c.note_id == "femur")
    assert session.leech_partner(femur) is None


def test_a_renamed_deck_file_keeps_its_progress(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    session.answer(session.next_card(), EASY, duration_ms=500)
    renamed = deck_path.with_name("renamed-deck.toml")
    deck_path.rename(renamed)
    renamed.write_text(DECK.replace('name = "Demo"', 'name = "Demo, renamed"'), encoding="utf-8")
    again = make_session(renamed, store, clock)
    assert again.deck.name == "Demo, renamed"
    assert again.progress(again.deck.cards[0]).reps == 1
    # The card studied under the old name is not new again (and its sibling waits for tomorrow).
    assert again.remaining == 2


def test_an_alias_for_a_basic_answer_counts_where_that_answer_is_expected(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    session.mode = "typed"
    femur = next(c for c in session.deck.cards if c.note_id == "femur")
    itb = next(c for c in session.deck.cards if c.note_id == "itb")
    question = session.ask(femur)
    assert not session.check(question, "thighbone").correct
    session.accept_alias(femur, "thighbone")
    assert session.check(session.ask(femur), "Thigh-bone").correct
    assert not session.check(session.ask(itb), "thighbone").correct
    assert store.aliases() == {"demo/answer:femur": ["thighbone"]}


def test_a_leech_drill_asks_the_lookalike_then_the_leech(tmp_path, store, clock):
    path = tmp_path / "lookalikes.toml"
    path.write_text(LOOKALIKES, encoding="utf-8")
    session = make_session(path, store, clock)
    internus = next(c for c in session.deck.cards if c.note_id == "obturator-internus")
    externus = session.leech_partner(internus)
    session.drill(internus, externus)
    assert session.next_card() == externus
    session.answer(externus, GOOD, duration_ms=100)
    assert session.next_card() == internus
    session.answer(internus, GOOD, duration_ms=100)
    assert session.next_card() not in (internus, externus)  # (None, at the end, is not)


def test_the_review_cap_serves_the_most_overdue_cards_first(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    order = []
    while (card := session.next_card()) is not None:
        session.answer(card, EASY, duration_ms=100)
        order.append(card.id)
        clock.advance(days=1)  # each card learned a day later, so each falls due a day later
    dues = {cid: p.due for cid, p in store.all_progress().items()}
    clock.advance(days=60)
    capped = make_session(deck_path, store, clock, reviews_per_day=2)
    served = [capped.next_card()]
    capped.answer(served[0], GOOD, duration_ms=100)
    served.append(capped.next_card())
    assert {c.id for c in served} == set(sorted(dues, key=dues.get)[:2])


def test_an_edited_answer_shows_in_the_counts_before_the_deck_is_opened(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    study_all(session, clock, rating=EASY)
    deck_path.write_text(DECK.replace('answer = "Femur"', 'answer = "The femur"'), encoding="utf-8")
    counts = deck_counts(load_deck(deck_path), store, session.scheduler, clock())
    assert (counts.new, counts.learning, counts.due) == (0, 1, 0)


def test_undo_takes_back_a_bury_and_a_suspend(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    first = session.next_card()
    session.answer(first, GOOD, duration_ms=100)
    second = session.next_card()
    session.suspend(second)
    assert store.all_progress()[second.id].suspended
    assert session.undo() == second
    assert second.id not in store.all_progress()  # never studied: no record, as before
    assert session.next_card() == second
    session.bury(second)
    assert session.undo() == second and session.next_card() == second
    assert second.id not in store.all_progress()
    assert [r.card_id for r in store.reviews()] == [first.id], "undoing a bury never touches answers"


def test_a_buried_new_card_gives_its_place_to_the_next_new_card(deck_path, store, clock):
    session = make_session(deck_path, store, clock, new_per_day=2)
    assert session.remaining == 2
    session.bury(session.next_card())
    assert session.remaining == 2
    assert session.undo() is not None
    assert session.remaining == 2, "undoing the bury takes back the card that replaced it"


def test_another_cards_answer_or_muscle_is_never_kept_as_an_alias(tmp_path, store, clock):
    deck_text = LOOKALIKES + """
[[notes]]
id = "tfl-nerve"
type = "basic"
question = "Which nerve supplies the TFL?"
answer = "superior gluteal nerve"
source = "reference"

[[notes]]
id = "gmax-nerve"
type = "basic"
question = "Which nerve supplies the gluteus maximus?"
answer = "inferior gluteal nerve"
source = "reference"
"""
    path = tmp_path / "nerves.toml"
    path.write_text(deck_text, encoding="utf-8")
    session = StudySession(load_deck(path), store, Scheduler(SchedulerSettings(enable_fuzzing=False)),
                           now=clock, mode="typed")
    nerve = next(c for c in session.deck.cards if c.note_id == "tfl-nerve")
    question = session.ask(nerve)
    assert not session.can_keep_alias(question, "inferior gluteal nerve")
    assert session.can_keep_alias(question, "SGN")
    # Another term of the lexicon, though no note of this deck names it.
    assert not session.can_keep_alias(question, "superior cluneal nerve")
    tfl = next(c for c in session.deck.cards if c.template == "name-from-location")
    assert not session.can_keep_alias(session.ask(tfl), "obturator externus")


def test_undoing_an_answer_takes_back_the_alias_kept_after_it(deck_path, store, clock):
    session = make_session(deck_path, store, clock)
    session.mode = "typed"
    femur = next(c for c in session.deck.cards if c.note_id == "femur")
    while session.next_card() != femur:
        session.answer(session.next_card(), EASY, duration_ms=100)
    session.answer(femur, GOOD, duration_ms=100, question_type="typed")
    session.accept_alias(femur, "thighbone")
    assert store.aliases()
    assert session.undo() == femur
    assert store.aliases() == {}
    assert session.next_card() == femur


@pytest.mark.parametrize("mode, asked", [("select", {"select", "order"}), ("typed", {"typed"}),
                                         ("choice", {"choice"})])
def test_a_mode_asks_its_own_questions_first(store, clock, mode, asked):
    # "Select all" on the textbook deck once asked none of the first 20 new cards as a select
    # question: the deck had them, further down.
    deck = load_deck(Path(__file__).parents[2] / "decks" / "textbook-anatomy.toml")
    session = StudySession(deck, store, Scheduler(SchedulerSettings(enable_fuzzing=False)), now=clock, mode=mode)
    kinds = []
    while (card := session.next_card()) is not None and len(kinds) < 20:
        kinds.append(session.ask(card).kind)
        session.answer(card, EASY, duration_ms=1000)
    assert len(kinds) == 20 and set(kinds) <= asked, kinds


def test_the_pictures_mode_asks_a_card_without_a_drawing_as_a_flip_card_and_says_so(store, clock):
    """The pictures mode is named apart from its question types: a card it cannot draw (a muscle's
    actions) is asked as a flip card that says why, as in every other mode."""
    deck = load_deck(Path(__file__).parents[2] / "decks" / "textbook-anatomy.toml")
    session = StudySession(deck, store, Scheduler(SchedulerSettings(enable_fuzzing=False)), now=clock,
                           mode="pictures")
    asked = []
    while (card := session.next_card()) is not None and len(asked) < 20:
        asked.append(session.ask(card))
        session.answer(card, EASY, duration_ms=1000)
    flips = [q for q in asked if q.kind == "flip"]
    assert flips and all(q.instruction.startswith("This card has no picture form: think of the answer")
                         for q in flips)


def test_the_review_cap_is_per_day_not_per_session(deck_path, store, clock):
    """Three sessions on one day together review no more than the daily cap (one session each
    must not get a fresh cap); the next day brings the cap again."""
    study_all(make_session(deck_path, store, clock), clock, rating=EASY)
    clock.advance(days=60)
    reviewed = []
    for _ in range(3):
        reviewed += study_all(make_session(deck_path, store, clock, reviews_per_day=1), clock, limit=10)
        clock.advance(minutes=30)
    assert len(reviewed) == 1
    clock.advance(days=1)
    assert study_all(make_session(deck_path, store, clock, reviews_per_day=1), clock, limit=10)


def test_undoing_a_bury_of_a_card_never_studied_leaves_no_record(deck_path, store, clock, tmp_path):
    session = make_session(deck_path, store, clock)
    card = session.next_card()
    session.bury(card)
    assert store.progress(card.id).buried_until is not None
    assert session.undo() == card
    assert store.progress(card.id) is None  # as before the bury: a new card, with no record
    store.close()
    with Store.open(tmp_path / "data", now=clock, notice=pytest.fail) as again:
        assert again.progress(card.id) is None
