"""One door to a data folder: the decks, the progress store, the scheduler and the settings.

The CLI and the UI talk to a :class:`Collection`; neither holds the raw store. Opening one reads the
saved settings once (a bad saved value is one clear error) and, when it may write, reconciles deck
edits once: a card whose answer changed since it was studied starts learning again, history kept.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hipquiz.core.decks import Card, Deck, DeckLibrary
from hipquiz.core.errors import StoreError
from hipquiz.core.model import CardProgress, ReviewRecord, utc_now
from hipquiz.core.questions import GradeThresholds
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.session import DeckCounts, StudySession, deck_counts, reconcile_edits, set_suspended
from hipquiz.core.settings import BY_KEY, GRADE_KEYS, SCHEDULER_KEYS, SettingError, checked_saved
from hipquiz.core.store import Store
from hipquiz.core.study_options import StudyOptions

if TYPE_CHECKING:
    from hipquiz.core.stats import Statistics

_CHANGE_IT = "change it with 'hipquiz config KEY VALUE'"


def scheduler_settings(values: Mapping[str, Any], **overrides: Any) -> SchedulerSettings:
    """The scheduler's settings from saved ``values``; raises StoreError naming a bad saved one."""
    try:
        return SchedulerSettings.from_settings(checked_saved(values, SCHEDULER_KEYS), **overrides)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"a saved setting is invalid ({exc}); {_CHANGE_IT}") from None


def grade_thresholds(values: Mapping[str, Any]) -> GradeThresholds:
    """The grader's time limits from saved ``values``; raises StoreError naming a bad saved one."""
    try:
        return GradeThresholds.from_settings(checked_saved(values, GRADE_KEYS))
    except ValueError as exc:
        raise StoreError(f"a saved grading setting is invalid ({exc}); {_CHANGE_IT}") from None


def saved_settings(store: Store) -> dict[str, Any]:
    return {key: store.get_setting(key) for key in BY_KEY}


class Collection:
    """The decks and the progress of one data folder, with the scheduler and settings they use."""

    def __init__(self, library: DeckLibrary, store: Store, *, settings: SchedulerSettings | None = None,
                 thresholds: GradeThresholds | None = None, now: Callable[[], datetime] = utc_now) -> None:
        """``settings`` and ``thresholds`` default to the saved ones (tests pass their own)."""
        self.library = library
        self._store = store
        self.now = now
        saved = saved_settings(store)
        self.scheduler = Scheduler(settings or scheduler_settings(saved))
        self.thresholds = thresholds or grade_thresholds(saved)
        if not store.read_only:
            self.reconcile_edits()

    @classmethod
    def open(cls, data_dir: Path, library: DeckLibrary, *, read_only: bool = False,
             now: Callable[[], datetime] = utc_now, notice: Callable[[str], None] | None = None) -> Collection:
        """Open the progress in ``data_dir`` (raises StoreError, one line saying what to do);
        ``notice`` is told what the store found and mended on the way (see Store.open)."""
        store = Store.open(data_dir, read_only=read_only, now=now, notice=notice)
        try:
            return cls(library, store, now=now)
        except BaseException:
            store.close()
            raise

    def close(self) -> None:
        self._store.close()

    def finish_backups(self) -> list[Path]:
        """Write today's backup zip from the snapshot taken at open (slow: call it off the event
        loop; answers can be saved meanwhile). Raises StoreError when it cannot be written."""
        return self._store.finish_backups()

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    @property
    def is_new(self) -> bool:
        """No progress was saved in the folder before it was opened."""
        return self._store.is_new

    def reconcile_edits(self) -> list[str]:
        """Flag every card whose answer changed since it was studied; the ids flagged."""
        now = self.now()
        return [card_id for deck in self.library.decks
                for card_id in reconcile_edits(deck, self._store, self.scheduler, now)]

    # -- settings ---------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        return self._store.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Save a setting; a declared one is checked first (raises SettingError)."""
        if key in BY_KEY:
            BY_KEY[key].check(value)
        self._store.set_setting(key, value)

    # -- reading progress (what the statistics and counts read) -----------------------------------

    def all_progress(self) -> dict[str, CardProgress]:
        return self._store.all_progress()

    def reviews(self, since: datetime | None = None) -> list[ReviewRecord]:
        return self._store.reviews(since)

    def aliases(self) -> dict[str, list[str]]:
        return self._store.aliases()

    def review_history(self) -> Any:
        return self._store.review_history()

    def counts(self, deck: Deck, now: datetime | None = None) -> DeckCounts:
        return deck_counts(deck, self._store, self.scheduler, now or self.now())

    def statistics(self, deck: Deck | None = None) -> Statistics:
        """Every figure of the statistics, of one deck or (None) of all decks."""
        from hipquiz.core.stats import gather  # the statistics screen's, not the start's

        decks = [deck] if deck is not None else list(self.library.decks)
        return gather(decks, self._store, self.scheduler, self.now(),
                      deck_id=deck.id if deck is not None else None)

    # -- changing progress ------------------------------------------------------------------------

    def study(self, deck: Deck, *, mode: str, rng: random.Random | None = None,
              options: StudyOptions | None = None) -> StudySession:
        """A study session on ``deck`` (or a set of cards studied as one)."""
        return StudySession(deck, self._store, self.scheduler, self.now, mode=mode, rng=rng,
                            thresholds=self.thresholds, options=options)

    def set_suspended(self, card: Card, suspended: bool) -> CardProgress:
        return set_suspended(self._store, self.scheduler, card, suspended, self.now())


__all__ = ["Collection", "SettingError", "grade_thresholds", "saved_settings", "scheduler_settings"]
