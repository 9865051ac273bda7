"""A study session: which card comes next, answering, undo, bury, suspend, and the counts shown.

Pure domain logic over a deck, the scheduler and the store; the UI only calls it.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol

from hipquiz.core.days import day_end, day_start, study_day  # noqa: F401 (re-exported)
from hipquiz.core.decks import Card, Deck
from hipquiz.core.model import CardId, CardProgress, ReviewRecord, utc_now
from hipquiz.core.questions import (
    FLIP,
    MIXED,
    Check,
    GradeThresholds,
    TYPES,
    NameIndex,
    Question,
    answer_muscles,
    build_question,
    check_answer,
    form_name,
    grade,
    match_key,
    mode_type,
    normalize,
    pick_kind,
)
from hipquiz.core.scheduler import AGAIN, Scheduler
from hipquiz.core.study_options import CRAM_AGAIN_GAP, StudyOptions, cram_queue, time_is_up

if TYPE_CHECKING:
    from hipquiz.core.answers import GivenAnswer, Shown, Undoable
    from hipquiz.core.outcome import Outcome

# Learning cards due within this window are shown early rather than ending the session (Anki's
# "learn ahead limit").
LEARN_AHEAD = timedelta(minutes=20)
# A mode's preferred new cards are looked for among this many times the day's new cards.
NEW_PREFERENCE_WINDOW = 10


class CardLike(Protocol):
    """What decides whether a card is studied today: a ``CardProgress``, or the store's brief of one
    (read from its card index without reading the whole state)."""

    @property
    def due(self) -> datetime: ...
    @property
    def phase(self) -> str: ...
    @property
    def reps(self) -> int: ...
    @property
    def suspended(self) -> bool: ...
    @property
    def buried_until(self) -> date | None: ...
    @property
    def answer_hash(self) -> str: ...


class ReviewLike(Protocol):
    """What the day's limits read of a review: a ``ReviewRecord``, or the store's brief of one."""

    @property
    def card_id(self) -> str: ...
    @property
    def rating(self) -> int: ...
    @property
    def reviewed_at(self) -> datetime: ...
    @property
    def cram(self) -> bool: ...
    @property
    def previous(self) -> Any: ...


class ProgressStore(Protocol):
    def progress(self, card_id: str) -> CardProgress | None: ...
    def brief(self, card_id: str) -> CardLike | None: ...
    def all_progress(self) -> dict[str, CardProgress]: ...
    def save_progress(self, progress: CardProgress) -> None: ...
    def forget_progress(self, card_id: str) -> None: ...
    def record_review(self, review: ReviewRecord, progress: CardProgress) -> None: ...
    def undo_last_review(self) -> ReviewRecord | None: ...
    def undo_review(self, review: ReviewRecord) -> ReviewRecord | None: ...
    def reviews(self, since: datetime | None = None) -> list[ReviewRecord]: ...
    def review_briefs(self, since: datetime) -> list[ReviewLike]: ...
    def aliases(self) -> dict[str, list[str]]: ...
    def add_alias(self, note_key: str, text: str) -> None: ...
    def remove_alias(self, note_key: str, text: str) -> bool: ...


@dataclass(frozen=True)
class DeckCounts:
    """A deck's cards today: new, learning and due ones to study, suspended ones, all of them,
    and when the next one comes due."""

    new: int
    learning: int
    due: int
    total: int
    suspended: int
    next_due: datetime | None

    @property
    def to_study(self) -> int:
        return self.new + self.learning + self.due


def is_new(progress: CardLike | None) -> bool:
    """Never answered (a card buried or suspended before its first answer is still new)."""
    return progress is None or progress.reps == 0


def is_available(progress: CardLike | None, today: date) -> bool:
    if progress is None:
        return True
    if progress.suspended:
        return False
    return progress.buried_until is None or progress.buried_until <= today


def answer_changed(progress: CardLike | None, card: Card) -> bool:
    return progress is not None and bool(progress.answer_hash) and progress.answer_hash != card.answer_hash


def reconcile_edits(deck: Deck, store: ProgressStore, scheduler: Scheduler, now: datetime) -> list[str]:
    """Flag cards whose answer changed since they were studied: history stays, learning restarts.

    Returns the ids of the cards that were flagged. Reads the cards' briefs (a whole state only for
    a card flagged).
    """
    flagged = []
    for card in deck.cards:
        if answer_changed(store.brief(card.id), card):
            known = store.progress(card.id)
            assert known is not None
            restarted = scheduler.relearn(known.with_changes(answer_hash=card.answer_hash), now)
            store.save_progress(restarted)
            flagged.append(card.id)
    return flagged


@dataclass
class DailyUsage:
    """What today's answers have used of the daily limits: new cards seen, reviews done."""

    new_seen: int = 0
    reviews_done: int = 0


def daily_usage(reviews: Iterable[ReviewLike], card_ids: set[str]) -> DailyUsage:
    usage = DailyUsage()
    for review in reviews:
        if review.card_id not in card_ids or review.cram:  # practice leaves the day's limits alone
            continue
        if is_new(review.previous):
            usage.new_seen += 1
        elif review.previous.phase == "review":
            usage.reviews_done += 1
    return usage


@dataclass
class TodaysCards:
    """What a deck offers today, in the order it is served."""

    new: list[Card] = field(default_factory=list)
    reviews: list[Card] = field(default_factory=list)
    learning: list[Card] = field(default_factory=list)
    suspended: int = 0
    next_due: datetime | None = None


def todays_cards(deck: Deck, brief: Callable[[str], CardLike | None], reviews_today: list[ReviewLike],
                 scheduler: Scheduler, now: datetime, *, extra_new: int = 0, ahead_days: int = 0,
                 prefer_new: Callable[[Card], bool] | None = None) -> TodaysCards:
    """Today's cards of a deck: learning cards, then reviews (most overdue first, up to the daily
    cap), then new cards in deck order (up to the daily limit, plus ``extra_new``). With
    ``ahead_days``, reviews due within that many days are served too (Anki's "review ahead").
    ``prefer_new`` puts first the new cards it is true of (those a session's mode can ask in its
    own way), looking at a bounded number of them.

    As Anki does, siblings are buried: one new or review card per note a day, and none for a note
    already studied today (its sibling would give the answer away). Notes the deck declares related
    are buried together in the same way.

    ``brief`` gives a card's state, or what of it decides this (None: a card never studied).
    """
    today = study_day(now)
    end = day_end(now)
    review_until = end + timedelta(days=ahead_days)
    card_ids = {c.id for c in deck.cards}
    usage = daily_usage(reviews_today, card_ids)
    studied_notes = {CardId.parse(r.card_id).note_key for r in reviews_today if r.card_id in card_ids and not r.cram}
    plan = TodaysCards()
    due_reviews: list[Card] = []
    new_cards: list[Card] = []
    progress: dict[str, CardLike] = {}
    for card in deck.cards:
        state = brief(card.id)
        if state is not None:
            progress[card.id] = state
        if state is not None and state.suspended:
            plan.suspended += 1
            continue
        if not is_available(state, today):
            continue
        if is_new(state):
            new_cards.append(card)
        elif answer_changed(state, card) or (state.phase != "review" and state.due <= end):
            plan.learning.append(card)  # an edited answer is learned again at once
        elif state.phase == "review" and state.due <= review_until:
            due_reviews.append(card)
        elif plan.next_due is None or state.due < plan.next_due:
            plan.next_due = state.due
    taken_notes = studied_notes | {f"{c.deck_id}/{c.note_id}" for c in plan.learning}
    due_reviews.sort(key=lambda c: progress[c.id].due)
    settings = scheduler.settings
    if prefer_new is not None:
        window = max(settings.new_per_day + extra_new, 1) * NEW_PREFERENCE_WINDOW
        new_cards[:window] = sorted(new_cards[:window], key=lambda card: not prefer_new(card))
    plan.reviews = _one_per_note(deck, due_reviews, settings.reviews_per_day - usage.reviews_done, taken_notes)
    plan.new = _one_per_note(deck, new_cards, settings.new_per_day + extra_new - usage.new_seen, taken_notes)
    if (len(plan.reviews) < len(due_reviews) or len(plan.new) < len(new_cards)) and (
            plan.next_due is None or plan.next_due > end):
        # Reviews and new cards held back today (a sibling or a related note was studied, or the
        # day's cap is reached) come at the start of the next study day, whatever a review's own
        # due time says: "next due in 11d" hid the new cards that wait for tomorrow.
        plan.next_due = end
    return plan


def _one_per_note(deck: Deck, cards: list[Card], limit: int, taken_notes: set[str]) -> list[Card]:
    """Up to ``limit`` of ``cards``, skipping notes already taken or related to one taken (and
    marking the ones taken)."""
    chosen: list[Card] = []
    for card in cards:
        if len(chosen) >= limit:
            break  # the rest of a deck's new cards, say, need not be looked at (~0.4 ms a start)
        note = f"{card.deck_id}/{card.note_id}"
        buried_with = {f"{card.deck_id}/{other}" for other in deck.related_notes(card.note_id)}
        if not buried_with & taken_notes:
            chosen.append(card)
            taken_notes.add(note)
    return chosen


def deck_counts(deck: Deck, store: ProgressStore, scheduler: Scheduler, now: datetime) -> DeckCounts:
    plan = todays_cards(deck, store.brief, store.review_briefs(day_start(now)), scheduler, now)
    return DeckCounts(len(plan.new), len(plan.learning), len(plan.reviews), len(deck.cards),
                      plan.suspended, plan.next_due)


@dataclass
class SessionSummary:
    """A study session's totals, shown when it ends."""

    reviewed: int = 0
    correct: int = 0
    ratings: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    seconds: float = 0.0
    next_due: datetime | None = None

    @property
    def correct_percent(self) -> int:
        return round(100 * self.correct / self.reviewed) if self.reviewed else 0


def _answer_key(card: Card) -> str:
    """How a user's accepted answer is filed when the answer is not a muscle: by the answer."""
    return f"{card.deck_id}/answer:{normalize(card.answer)}"


class _SessionProgress:
    """A session's card states: the store's, read when first needed, with what the session gave
    (an answer is taken before it is saved, see ``give``) over them. ``get`` gives a whole state,
    ``brief`` what decides whether a card is due (without reading the whole state)."""

    def __init__(self, store: ProgressStore) -> None:
        self._store = store
        self._own: dict[str, CardProgress | None] = {}
        # The briefs read, kept: the queue looks up its cards' due times on every card shown.
        self._briefs: dict[str, CardLike | None] = {}

    def get(self, card_id: str) -> CardProgress | None:
        return self._own[card_id] if card_id in self._own else self._store.progress(card_id)

    def brief(self, card_id: str) -> CardLike | None:
        if card_id in self._own:
            return self._own[card_id]
        if card_id not in self._briefs:
            self._briefs[card_id] = self._store.brief(card_id)
        return self._briefs[card_id]

    def set(self, card_id: str, progress: CardProgress | None) -> None:
        self._own[card_id] = progress


class StudySession:
    """Serves the cards of one deck for today, in the order Anki would, and saves each answer."""

    def __init__(self, deck: Deck, store: ProgressStore, scheduler: Scheduler,
                 now: Callable[[], datetime] = utc_now, *, mode: str = FLIP,
                 thresholds: GradeThresholds | None = None, rng: random.Random | None = None,
                 options: StudyOptions | None = None):
        self.deck = deck
        self.options = options or StudyOptions()
        self.store = store
        self.scheduler = scheduler
        self.now = now
        self.mode = mode
        self.thresholds = thresholds or GradeThresholds()
        self._rng = rng or random.Random()
        self.names = NameIndex.from_deck(deck, store.aliases())
        # The muscle a typed answer named instead of the right one, per card: the leech drill partner.
        self._confused_with: dict[str, str] = {}
        self.started = now()
        self.summary = SessionSummary()
        self._cards = {card.id: card for card in deck.cards}
        self._last_note: str | None = None
        # Answers shown and not yet rated, by card id.
        self._shown: dict[str, Shown] = {}
        # What undo can take back, newest last: an answer, or a bury/suspend (with the progress before).
        self._history: list[Undoable] = []
        self._progress = _SessionProgress(store)
        # The deck's answers by question type (mixed mode), counted when first needed.
        self._type_totals: dict[str, tuple[int, int]] | None = None
        self._new: list[Card] = []
        self._queued: dict[str, Card] = {}
        self._drill: list[Card] = []
        # Cram practice: the cards still to get right, in order (the schedule is not consulted).
        self._cram: list[Card] = []
        self._build_queue()

    def _has_mode_form(self, card: Card) -> bool:
        return pick_kind(card, self.mode, deck=self.deck, names=self.names) != FLIP

    def _build_queue(self) -> None:
        reviews_today = self.store.review_briefs(day_start(self.started))
        if self.options.cram:
            self._cram = cram_queue(self.deck, self._progress, reviews_today,
                                    lambda state: self.scheduler.retrievability(state, self.started),
                                    mistakes_only=self.options.mistakes_only)
            return
        # In a mode such as "select all", new cards that have a select form come first.
        asks_own_way = None if self.mode in (FLIP, MIXED) else self._has_mode_form
        plan = todays_cards(self.deck, self._progress.brief, reviews_today, self.scheduler, self.started,
                            extra_new=self.options.extra_new, ahead_days=self.options.ahead_days,
                            prefer_new=asks_own_way)
        self._new = plan.new
        for card in plan.learning + plan.reviews:
            self._queued[card.id] = card

    @property
    def remaining(self) -> int:
        """Cards left to answer in this session, within its card limit."""
        if self._stopped():
            return 0
        queued = set(self._queued) | {c.id for c in self._new} | {c.id for c in self._cram}
        left = len(queued) + sum(1 for c in self._drill if c.id not in queued)
        if self.options.limit is not None:
            left = min(left, self.options.limit - self.summary.reviewed)
        return left

    def remaining_parts(self) -> tuple[int, int, int]:
        """What is left as Anki counts it: new, learning (cards coming back today after an answer)
        and review cards. An answered new card moves from new to learning, so the numbers change
        with every answer even when the total does not. Under a card limit only the cards the
        session will still show are counted, taken in the order it shows them."""
        if self._stopped():
            return (0, 0, 0)
        left = self._left_in_order_shown()
        if self.options.limit is not None:
            left = left[:max(self.options.limit - self.summary.reviewed, 0)]
        new_ids = {c.id for c in self._new} | {c.id for c in self._cram}
        new = sum(1 for c in left if c.id in new_ids)
        reviews = sum(1 for c in left if c.id not in new_ids and self._phase(c) == "review")
        return new, len(left) - new - reviews, reviews

    def _left_in_order_shown(self) -> list[Card]:
        """The cards left, in the order ``next_card`` serves them (sibling spacing aside): drills,
        queued cards due now, new cards, then learning cards due later today."""
        now = self.now()
        queued = sorted(self._queued.values(), key=self._due)
        due_now = [c for c in queued if self._due(c) <= self._show_by(c, now)]
        later = [c for c in queued if self._due(c) > self._show_by(c, now)]
        seen: set[str] = set()
        order = []
        for card in self._drill + due_now + self._new + self._cram + later:
            if card.id not in seen:
                seen.add(card.id)
                order.append(card)
        return order

    def _stopped(self) -> bool:
        """Whether the session's card or time limit has been reached."""
        if self.options.limit is not None and self.summary.reviewed >= self.options.limit:
            return True
        return time_is_up(self.options, self.started, self.now())

    def progress(self, card: Card) -> CardProgress:
        """The card's current progress (a fresh state for a new card)."""
        return self.known_progress(card) or self.scheduler.new_progress(card.id, card.answer_hash, self.now())

    def known_progress(self, card: Card) -> CardProgress | None:
        """The card's progress, or None for a card never studied: what showing a card asks (is it a
        leech, its counts per type) without making a fresh fsrs state (fsrs is not imported until a
        card is scheduled, see core/scheduler.py)."""
        return self._progress.get(card.id)

    def next_card(self) -> Card | None:
        """The next card to show, or None when today's work for this deck is done (or the session's
        limit is reached)."""
        if self._stopped():
            return None
        if self._drill:
            return self._drill[0]
        if self.options.cram:
            return self._first_not_sibling(self._cram) or (self._cram or [None])[0]
        now = self.now()
        due_now = sorted(
            (c for c in self._queued.values() if self._due(c) <= self._show_by(c, now)),
            key=self._due,
        )
        pick = self._first_not_sibling(due_now) or self._first_not_sibling(self._new)
        if pick is None:
            waiting = sorted(self._queued.values(), key=self._due)
            early = [c for c in waiting if self._due(c) <= now + LEARN_AHEAD]
            pick = self._first_not_sibling(early) or (due_now or self._new or early or [None])[0]
        return pick

    def _show_by(self, card: Card, now: datetime) -> datetime:
        # Review cards are day-granular (due any time today); learning steps are minutes.
        return day_end(now) if self._phase(card) == "review" else now

    def _due(self, card: Card) -> datetime:
        """When a queued card (one with a state) is due."""
        state = self._progress.brief(card.id)
        assert state is not None
        return state.due

    def _phase(self, card: Card) -> str | None:
        state = self._progress.brief(card.id)
        return state.phase if state is not None else None

    def _first_not_sibling(self, cards: list[Card]) -> Card | None:
        for card in cards:
            if self._last_note not in self.deck.related_notes(card.note_id):
                return card
        return None

    def preview(self, card: Card) -> dict[int, Outcome]:
        return self.scheduler.preview(self.progress(card), self.now())

    def ask(self, card: Card) -> Question:
        """The question for a card in this session's mode (mixed picks the card's weakest type,
        from the counts kept with each card: no review log is read)."""
        stats: dict[str, tuple[int, int]] | None = None
        if self.mode == MIXED:
            known = self.known_progress(card)
            stats = (known.types if known is not None else None) or self._deck_type_stats()
        kind = pick_kind(card, self.mode, stats, self._rng, deck=self.deck, names=self.names)
        question = build_question(card, kind, self.deck, self._rng, names=self.names)
        form = form_name(self.mode)
        if TYPES[kind].self_rated and form and kind != self.mode:
            # The mode's own type, not TYPES[mode]: the pictures mode is named apart from its types.
            how = ("type or think of the answer, then Enter shows it" if mode_type(self.mode).written
                   else "think of the answer, then reveal it")
            question = replace(question, instruction=f"This card has no {form} form: {how}.")
        return question

    def _deck_type_stats(self) -> dict[str, tuple[int, int]]:
        """For a card never asked yet: the user's record with each type across the deck. Counted
        over the deck once, then kept up to date as progress changes (``_set_progress``): asking a
        card costs the same in a deck of 50 cards or 10,000."""
        if self._type_totals is None:
            self._type_totals = {}
            for card_id in self._cards:
                self._count_types(self._progress.get(card_id), 1)
        return {kind: counts for kind, counts in self._type_totals.items() if counts[0]}

    def _count_types(self, progress: CardProgress | None, sign: int) -> None:
        if progress is None or self._type_totals is None:
            return
        for kind, (asked, wrong) in progress.types.items():
            had_asked, had_wrong = self._type_totals.get(kind, (0, 0))
            self._type_totals[kind] = (had_asked + sign * asked, had_wrong + sign * wrong)

    def _set_progress(self, card: Card, progress: CardProgress | None) -> None:
        """A card's progress in this session (None: never studied), the deck's type counts kept in step."""
        if self._type_totals is not None:
            self._count_types(self._progress.get(card.id), -1)
        self._progress.set(card.id, progress)
        self._count_types(progress, 1)

    def check(self, question: Question, response, seconds: float = 0.0) -> Check:
        """Check an answer; raises ValueError (with a message for the user) for unreadable input.
        The verdict counts as shown (see ``shown``) until the card is rated."""
        from hipquiz.core.answers import Shown  # (see answers.py)

        result = self._check(question, response)
        self._shown[question.card.id] = Shown(question, result, response, seconds)
        return result

    def reveal(self, question: Question, written: str = "") -> None:
        """A flip card's answer is shown (beside what the user ``written`` for themself): it
        counts as shown (see ``shown``) until rated."""
        from hipquiz.core.answers import Shown  # (see answers.py)

        self._shown[question.card.id] = Shown(question, response=written)

    def shown(self, card: Card) -> Shown | None:
        """The answer already shown for ``card`` and not rated (after an undo, say): the card is
        to be shown with it, to be rated, not asked again."""
        return self._shown.get(card.id)

    def _check(self, question: Question, response) -> Check:
        result = check_answer(question, response, self.names)
        if not result.correct and TYPES[question.kind].written and isinstance(response, str):
            kept = self.store.aliases().get(_answer_key(question.card), ())
            if match_key(response) in {match_key(text) for text in kept}:
                return Check(True, given=response, expected=question.card.answer, kind=question.kind)
        if not result.correct and result.named:
            owners = sorted(self.names.owners(result.named))
            if owners:
                self._confused_with[question.card.id] = owners[0].rsplit("/", 1)[-1]
        return result

    def suggested_rating(self, check: Check, seconds: float, card: Card | None = None) -> int:
        """The rating a checked answer earned; pass the ``card`` so that a first review is known
        (a right multiple-choice answer then earns Good at most)."""
        first = card is not None and self.progress(card).reps == 0
        return grade(check, seconds, self.thresholds, first_review=first)

    def can_keep_alias(self, question: Question, text: str) -> bool:
        """Whether a typed answer may become an accepted one: never a name of another muscle, of
        another lexicon term or another card's answer (the look-alikes hipquiz promises never to
        forgive)."""
        key = match_key(text)
        if not key or not TYPES[question.kind].written:
            return False
        # On first use: grading (the lexicon's rules) is not needed before a typed answer is checked.
        from hipquiz.core.grading import names_another_term

        targets = answer_muscles(question.card, self.names)
        if self.names.owners(text) - targets or names_another_term(question.card, text):
            return False
        return key not in {match_key(rival) for rival in question.rivals if match_key(rival) not in
                           {match_key(a) for a in question.card.accepted}}

    def accept_alias(self, card: Card, text: str) -> None:
        """Keep a typed answer the user overrode as right, so it is accepted from now on.

        When the answer is one muscle, the text becomes a name of that muscle (for every card
        that asks for it); otherwise it is accepted wherever the same answer is expected. Undoing
        the answer it followed takes it back too.
        """
        muscles = answer_muscles(card, self.names)
        key = next(iter(muscles)) if len(muscles) == 1 else _answer_key(card)
        self.store.add_alias(key, text.strip())
        self.names = NameIndex.from_deck(self.deck, self.store.aliases())
        if self._history and self._history[-1].card == card and self._history[-1].review is not None:
            self._history[-1] = replace(self._history[-1], alias=(key, text.strip()))

    def drill(self, card: Card, partner: Card) -> None:
        """Ask a leech and the card it is confused with back to back, the look-alike first."""
        self._drill = [partner, card]

    def leech_partner(self, card: Card) -> Card | None:
        """The card a leech is most likely confused with: the muscle a wrong typed answer named,
        else the first look-alike the deck lists for the card's note."""
        candidates = []
        if card.id in self._confused_with:
            candidates.append(self._confused_with[card.id])
        candidates.extend(card.note.items("confusable"))
        for note_id in candidates:
            siblings = [c for c in self.deck.cards if c.note_id == note_id and c.note_id != card.note_id]
            if siblings:
                return next((c for c in siblings if c.template == card.template), siblings[0])
        return None

    def answer(self, card: Card, rating: int, *, duration_ms: int, question_type: str = FLIP,
               outcome: Outcome | None = None) -> Outcome:
        """Grade a card and save it before returning (``give`` then ``save``; if the save fails the
        answer is withdrawn and the error raised).

        The review is timed when the rating is given. ``outcome`` (the previewed one) is accepted
        for callers that hold it; the interval is the same, as fuzz is seeded per card and review.
        """
        given = self.give(card, rating, duration_ms=duration_ms, question_type=question_type)
        try:
            self.save(given)
        except BaseException:
            self.withdraw(given)
            raise
        return given.outcome

    def give(self, card: Card, rating: int, *, duration_ms: int, question_type: str = FLIP) -> GivenAnswer:
        """Take an answer: the session moves on at once (counts, queue, undo), and ``save`` makes it
        durable. Until ``save`` has returned, nothing else may be given, undone, buried or suspended;
        if it raises, ``withdraw`` takes the answer back. So the screen can show the next card while
        the answer is written, and no answer is taken before the one before it is saved."""
        from hipquiz.core.answers import GivenAnswer, Undoable  # (see answers.py)

        previous = self._progress.get(card.id)
        outcome = self.scheduler.review(self.progress(card), rating, self.now())
        if self.options.cram:
            # Practice: the answer is logged, the card's state stays exactly as it was (as in
            # every figure, practice is not counted in what the card is weak in either).
            outcome = replace(outcome, progress=self.progress(card))
        else:
            outcome = replace(outcome, progress=outcome.progress.asked(question_type, rating == AGAIN))
        review = ReviewRecord(
            id=uuid.uuid4().hex,
            card_id=card.id,
            rating=rating,
            reviewed_at=outcome.review_datetime,
            duration_ms=max(int(duration_ms), 0),
            question_type=question_type,
            previous=previous,
            cram=self.options.cram,
        )
        self._set_progress(card, outcome.progress)
        self._history.append(Undoable(card, review=review, shown=self._shown.pop(card.id, None)))
        self._take(card)
        if self.options.cram:
            if rating == AGAIN:  # practised until right
                self._cram.insert(min(CRAM_AGAIN_GAP, len(self._cram)), card)
        elif outcome.progress.phase != "review" and outcome.progress.due <= day_end(self.now()):
            self._queued[card.id] = card
        self._last_note = card.note_id
        self.summary.reviewed += 1
        self.summary.correct += rating != AGAIN
        self.summary.ratings[rating] += 1
        self.summary.seconds += review.duration_ms / 1000
        return GivenAnswer(card, review, outcome)

    def save(self, given: GivenAnswer) -> None:
        """Write a given answer to the store (fsynced). Touches nothing but the store, so it may run
        in a thread while the session serves the next card."""
        self.store.record_review(given.review, given.outcome.progress)

    def withdraw(self, given: GivenAnswer) -> Card:
        """Take back an answer whose save failed, as if it had not been given: the card is next
        again, with the answer it had been shown with (see ``shown``)."""
        if not self._history or self._history[-1].review is not given.review:
            raise RuntimeError("only the last answer given can be withdrawn")
        last = self._history.pop()
        self._put_back(last)
        return last.card

    def _take(self, card: Card) -> None:
        if card in self._drill:
            self._drill.remove(card)
        if card in self._cram:
            self._cram.remove(card)
        self._queued.pop(card.id, None)
        if card in self._new:
            self._new.remove(card)

    @property
    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> Card | None:
        """Take back the last answer, bury or suspend of this session: the card's previous state
        returns exactly, and it is shown again."""
        if not self._history:
            return None
        last = self._history.pop()
        card = last.card
        if last.review is None:
            if last.previous is None:  # buried or suspended before it was ever saved: no record again
                self.store.forget_progress(card.id)
            else:
                self.store.save_progress(last.previous)
        else:
            # By the review's id: the newest review in time order may be another (a skewed clock).
            if self.store.undo_review(last.review) is None:
                raise RuntimeError("that answer is no longer in the review log; nothing was undone")
            if last.alias is not None:
                self.store.remove_alias(*last.alias)
                self.names = NameIndex.from_deck(self.deck, self.store.aliases())
        self._put_back(last)
        return card

    def _put_back(self, last: Undoable) -> None:
        """Undo in memory what an answer, bury or suspend changed (the store is the caller's): the
        card's progress, the counts, and the card queued to be shown next."""
        card = last.card
        if last.review is None:
            restored = last.previous
            if last.refilled is not None and last.refilled in self._new:
                self._new.remove(last.refilled)
        else:
            review = last.review
            restored = review.previous
            if last.shown is not None:
                self._shown[card.id] = last.shown
            self.summary.reviewed -= 1
            self.summary.correct -= review.rating != AGAIN
            self.summary.ratings[review.rating] -= 1
            self.summary.seconds -= review.duration_ms / 1000
        self._take(card)
        if self.options.cram:
            # The schedule was never changed; only a never-studied card's placeholder state goes.
            if restored is None:
                self._set_progress(card, None)
            self._cram.insert(0, card)
        elif restored is None:
            self._set_progress(card, None)
            self._new.insert(0, card)
        elif is_new(restored):
            self._set_progress(card, restored)
            self._new.insert(0, card)
        else:
            self._set_progress(card, restored)
            self._queued[card.id] = card
        self._drill.insert(0, card)  # shown again now, whatever its due time
        self._last_note = self._history[-1].card.note_id if self._history else None

    def bury(self, card: Card) -> None:
        """Hide a card until tomorrow's study day."""
        tomorrow = study_day(self.now()) + timedelta(days=1)
        self._set_flags(card, buried_until=tomorrow)

    def suspend(self, card: Card) -> None:
        self._set_flags(card, suspended=True)

    def _set_flags(self, card: Card, **flags) -> None:
        from hipquiz.core.answers import Undoable  # (see answers.py)

        previous = self._progress.get(card.id)
        updated = self.progress(card).with_changes(**flags)
        self.store.save_progress(updated)
        self._set_progress(card, updated)
        was_new = card in self._new
        self._take(card)
        refilled = self._refill_new(card) if was_new else None
        self._history.append(Undoable(card, previous=previous, refilled=refilled))
        self._last_note = card.note_id

    def _refill_new(self, put_aside: Card) -> Card | None:
        """A new card put aside was not studied, so the next new card takes its place today."""
        now = self.now()
        today = study_day(now)
        reviews_today = self.store.review_briefs(day_start(now))
        seen = daily_usage(reviews_today, set(self._cards)).new_seen
        if seen + len(self._new) >= self.scheduler.settings.new_per_day:
            return None
        busy = {c.note_id for c in (*self._new, *self._queued.values())} | {put_aside.note_id}
        busy |= {CardId.parse(r.card_id).note for r in reviews_today if r.card_id in self._cards}
        for card in self.deck.cards:
            state = self._progress.brief(card.id)
            if is_new(state) and is_available(state, today) and card not in self._new and card.note_id not in busy:
                self._new.append(card)
                return card
        return None

    def next_due(self) -> datetime | None:
        """When the deck's next card will be shown (learning cards later today included), or None:
        the same answer the home screen gives, since both come from today's plan."""
        now = self.now()
        plan = todays_cards(self.deck, self.store.brief, self.store.review_briefs(day_start(now)),
                            self.scheduler, now)
        states = [self.store.brief(c.id) for c in plan.learning]
        upcoming = [state.due for state in states if state is not None]
        if plan.next_due is not None:
            upcoming.append(plan.next_due)
        return min(upcoming) if upcoming else None

    def finish(self) -> SessionSummary:
        """The summary, with when this deck is next due."""
        self.summary.next_due = self.next_due()
        return self.summary


def set_suspended(store: ProgressStore, scheduler: Scheduler, card: Card, suspended: bool,
                  now: datetime) -> CardProgress:
    """Suspend or unsuspend a card from the deck's card list."""
    current = store.progress(card.id) or scheduler.new_progress(card.id, card.answer_hash, now)
    updated = current.with_changes(suspended=suspended)
    store.save_progress(updated)
    return updated
