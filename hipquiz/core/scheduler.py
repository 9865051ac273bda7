"""FSRS scheduling. The only module that imports fsrs.

Card states cross into the rest of hipquiz as ``CardProgress`` records holding fsrs's own
``Card.to_dict()``, so the saved format is exactly fsrs's (pinned to one major version).

fsrs is imported when a card is first scheduled, not with this module: ``hipquiz study`` shows its
first card without it, and warms it up (``Scheduler.warm``) once that card is on the screen.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from hipquiz.core.model import CardProgress, Phase, Rating, RecordError
from hipquiz.core.settings import BY_KEY, SCHEDULER_KEYS, default

if TYPE_CHECKING:
    import fsrs

    from hipquiz.core.outcome import Outcome

AGAIN, HARD, GOOD, EASY = Rating
RATINGS = tuple(Rating)

# fsrs.State (an IntEnum: Learning 1, Review 2, Relearning 3) → Phase, without importing fsrs.
_PHASE_OF_STATE = {1: Phase.LEARNING, 2: Phase.REVIEW, 3: Phase.RELEARNING}


@dataclass(frozen=True)
class SchedulerSettings:
    """How cards are scheduled: retention, daily limits, learning steps, when a card is a leech."""

    # The user's settings: defaults and bounds are declared in core/settings.py.
    desired_retention: float = default("desired_retention")
    new_per_day: int = default("new_per_day")
    reviews_per_day: int = default("reviews_per_day")
    learning_steps_minutes: tuple[float, ...] = (1, 10)
    relearning_steps_minutes: tuple[float, ...] = (10,)
    maximum_interval_days: int = 36500
    # A card forgotten this many times is tagged a leech.
    leech_lapses: int = default("leech_lapses")
    # Fuzz spreads out cards learned together; tests turn it off to compare with fsrs exactly.
    enable_fuzzing: bool = True

    def __post_init__(self) -> None:
        for key in SCHEDULER_KEYS:  # raises SettingError, a ValueError naming the setting
            BY_KEY[key].check(getattr(self, key))

    @classmethod
    def from_settings(cls, values: dict[str, Any], **overrides: Any) -> SchedulerSettings:
        """Build from saved settings, ignoring keys that are not scheduler settings."""
        known = {name for name in cls.__dataclass_fields__}
        chosen = {k: v for k, v in values.items() if k in known}
        chosen.update({k: v for k, v in overrides.items() if v is not None})
        for key in ("learning_steps_minutes", "relearning_steps_minutes"):
            if key in chosen:
                chosen[key] = tuple(chosen[key])
        return cls(**chosen)


def format_interval(delta: timedelta) -> str:
    """Short human interval, as Anki prints it on its answer buttons: 1m, 10m, 3h, 4d, 2.5mo, 1.2y.

    The unit is chosen by the rounded figure, so a wait just short of a boundary reads in the larger
    unit: the rating button's "1d" is still "1d", not "24h", in the browser a few seconds later."""
    seconds = max(delta.total_seconds(), 0)
    if round(seconds / 60) < 60:
        return f"{max(1, round(seconds / 60))}m"
    if round(seconds / 3600) < 24:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if round(days) < 30:
        return f"{round(days)}d"
    if round(days) < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


class Scheduler:
    def __init__(self, settings: SchedulerSettings | None = None):
        self.settings = settings or SchedulerSettings()

    @cached_property
    def _fsrs(self) -> fsrs.Scheduler:
        """fsrs's scheduler, made on first use (fsrs is imported then; see the module docstring)."""
        import fsrs

        s = self.settings
        return fsrs.Scheduler(
            desired_retention=s.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in s.learning_steps_minutes),
            relearning_steps=tuple(timedelta(minutes=m) for m in s.relearning_steps_minutes),
            maximum_interval=s.maximum_interval_days,
            enable_fuzzing=s.enable_fuzzing,
        )

    def warm(self) -> None:
        """Import fsrs and make its scheduler now (a worker calls this once the first card is up),
        so that the first answer does not wait for it."""
        self._fsrs  # noqa: B018 (made and kept by the cached property)

    def new_progress(self, card_id: str, answer_hash: str, now: datetime) -> CardProgress:
        """A card never studied: due now, in fsrs's first learning step."""
        import fsrs  # on first use (see the module docstring); later, a lookup in sys.modules

        card = fsrs.Card(card_id=0, due=now)
        return self._to_progress(card_id, card, answer_hash, reps=0, lapses=0)

    def preview(self, progress: CardProgress, now: datetime) -> dict[int, Outcome]:
        """The outcome of each rating, for the answer buttons. Fuzz is seeded per card and review,
        so reviewing a moment later gives the same interval."""
        return {rating: self.review(progress, rating, now) for rating in RATINGS}

    def review(self, progress: CardProgress, rating: int, now: datetime) -> Outcome:
        from hipquiz.core.outcome import Outcome  # (with the first rating, as fsrs: see its module)

        if rating not in RATINGS:
            raise ValueError(f"rating must be 1-4, got {rating}")
        card = self._from_progress(progress)
        new_card = self._review_with_stable_fuzz(progress, card, rating, now)
        forgot = rating == AGAIN and progress.phase == Phase.REVIEW
        lapses = progress.lapses + (1 if forgot else 0)
        updated = self._to_progress(
            progress.card_id,
            new_card,
            progress.answer_hash,
            reps=progress.reps + 1,
            lapses=lapses,
        ).with_changes(
            suspended=progress.suspended,
            relearn=progress.relearn and rating == AGAIN,
            leech=progress.leech or lapses >= self.settings.leech_lapses,
            types=progress.types,
        )
        return Outcome(rating, updated, now)

    def _review_with_stable_fuzz(self, progress: CardProgress, card: fsrs.Card, rating: int,
                                 now: datetime) -> fsrs.Card:
        # fsrs draws its fuzz from the global `random`. Seeding it per card and review makes the
        # interval previewed on a button the one given when the button is pressed a moment later.
        # One seed for all four ratings (as Anki fuzzes a card's buttons alike): each rating drawn
        # apart could fuzz Hard up and Good down, and show Hard 5d beside Good 4d.
        import fsrs  # imported by self._fsrs already; here a lookup in sys.modules

        if not self.settings.enable_fuzzing:
            return self._fsrs.review_card(card, fsrs.Rating(rating), review_datetime=now)[0]
        import hashlib  # (here: not needed to show the first card)

        seed = hashlib.sha256(f"{progress.card_id}:{progress.reps}".encode()).digest()
        saved = random.getstate()
        random.seed(seed)
        try:
            return self._fsrs.review_card(card, fsrs.Rating(rating), review_datetime=now)[0]
        finally:
            random.setstate(saved)

    def retrievability(self, progress: CardProgress, now: datetime) -> float:
        """Probability of recall now (0-1); 0 for a card never reviewed."""
        return self._fsrs.get_card_retrievability(self._from_progress(progress), now)

    def stability(self, progress: CardProgress) -> float | None:
        """Days until recall falls to 90% (FSRS stability); None for a card never reviewed."""
        return self._from_progress(progress).stability

    def relearn(self, progress: CardProgress, now: datetime) -> CardProgress:
        """Start a card again (its answer changed) while keeping its counts and review history."""
        fresh = self.new_progress(progress.card_id, progress.answer_hash, now)
        return fresh.with_changes(reps=progress.reps, lapses=progress.lapses, relearn=True,
                                  suspended=progress.suspended, leech=progress.leech)

    @staticmethod
    def _from_progress(progress: CardProgress) -> fsrs.Card:
        import fsrs  # on first use (see the module docstring); later, a lookup in sys.modules

        try:
            return fsrs.Card.from_dict(progress.fsrs)
        except (KeyError, TypeError, ValueError) as exc:
            raise RecordError(f"card progress {progress.card_id!r}: unreadable fsrs state ({exc})") from None

    @staticmethod
    def _to_progress(card_id: str, card: fsrs.Card, answer_hash: str, *, reps: int, lapses: int) -> CardProgress:
        return CardProgress(
            card_id=card_id,
            fsrs=card.to_dict(),
            due=card.due,
            phase=_PHASE_OF_STATE[card.state],
            reps=reps,
            lapses=lapses,
            answer_hash=answer_hash,
        )

