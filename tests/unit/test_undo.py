"""Undo puts a card back exactly as it was before the newest answer, however mature it was."""

from __future__ import annotations

from datetime import datetime, timezone

from hipquiz.core.model import ReviewRecord
from hipquiz.core.scheduler import GOOD, Scheduler, SchedulerSettings
from hipquiz.core.store import Store

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def test_undo_restores_a_mature_card_from_its_newest_review(tmp_path):
    scheduler = Scheduler(SchedulerSettings(enable_fuzzing=False))
    with Store.open(tmp_path, now=lambda: T0) as store:
        before, states = None, []
        state = scheduler.new_progress("d/n/c", "h", T0)
        for i in range(5):
            after = scheduler.review(state, GOOD, state.due).progress
            store.record_review(ReviewRecord(f"r{i}", "d/n/c", GOOD, state.due, 1000, "flip", previous=before),
                                after)
            states.append(after)
            before = state = after
        assert states[3].phase == "review" and states[3].reps == 4
        assert store.undo_last_review().id == "r4"
        assert store.progress("d/n/c").to_dict() == states[3].to_dict()
        assert store.undo_last_review().id == "r3"
        assert store.progress("d/n/c").to_dict() == states[2].to_dict()
    with Store.open(tmp_path, now=lambda: T0) as reopened:
        assert reopened.progress("d/n/c").to_dict() == states[2].to_dict()
        assert [r.id for r in reopened.reviews()] == ["r0", "r1", "r2"]
