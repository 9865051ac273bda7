"""Record builders for the store tests, and a child-process entry point for the crash/lock tests.

Run as a script::

    python store_helpers.py loop DATA_DIR SEED   # record reviews forever, print each id once saved
    python store_helpers.py hold DATA_DIR        # open the store, print "ready PID", wait for stdin
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

if __name__ == "__main__":  # allow running from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hipquiz.core.model import CardProgress, ReviewRecord  # noqa: E402

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=timezone.utc)


def progress(card_id: str, reps: int = 1, *, at: datetime = T0, **changes) -> CardProgress:
    return CardProgress(
        card_id=card_id,
        fsrs={"card_id": 1, "state": 2, "step": None, "stability": 2.5 + reps, "difficulty": 5.1,
              "due": (at + timedelta(days=reps)).isoformat(), "last_review": at.isoformat()},
        due=at + timedelta(days=reps),
        phase="review",
        reps=reps,
        answer_hash="abc123",
        **changes,
    )


def review(review_id: str, card_id: str, at: datetime, previous: CardProgress | None,
           rating: int = 3) -> ReviewRecord:
    return ReviewRecord(id=review_id, card_id=card_id, rating=rating, reviewed_at=at,
                        duration_ms=1500, question_type="typed", previous=previous)


def answer(store, review_id: str, card_id: str, at: datetime,
           rating: int = 3) -> tuple[ReviewRecord, CardProgress]:
    """Record one review of ``card_id`` the way a session would: previous = the stored state."""
    before = store.progress(card_id)
    after = progress(card_id, (before.reps if before else 0) + 1, at=at)
    rec = review(review_id, card_id, at, before, rating)
    store.record_review(rec, after)
    return rec, after


def damage_in_place(path: Path, keep: int = 10) -> None:
    """Truncate ``path`` in place, as a crashed editor or a failing disk would: the same inode, so
    every hard link to it is damaged too."""
    with open(path, "r+b") as handle:
        handle.truncate(keep)


def history(n: int, cards: int, start: datetime = T0,
            step: timedelta = timedelta(seconds=20)) -> tuple[dict[str, CardProgress], list]:
    """``n`` consistent reviews of ``cards`` cards for ``write_store``: (final states, (review, after) pairs)."""
    state: dict[str, CardProgress] = {}
    pairs = []
    for i in range(n):
        card_id = f"c{i % cards}"
        before = state.get(card_id)
        at = start + step * i
        after = progress(card_id, (before.reps if before else 0) + 1, at=at)
        pairs.append((review(f"r{i}", card_id, at, before), after))
        state[card_id] = after
    return state, pairs


def _loop(data_dir: Path, seed: int) -> None:
    from hipquiz.core.store import Store

    rng = random.Random(seed)
    store = Store.open(data_dir)
    n = store.review_count()
    while True:
        n += 1
        card_id = f"deck/n{rng.randrange(40)}/c"
        at = T0 + timedelta(minutes=37 * n)  # crosses day files now and then
        rid = f"s{seed}-{n}"
        answer(store, rid, card_id, at)
        print(rid, flush=True)


def _hold(data_dir: Path) -> None:
    from hipquiz.core.store import Store

    with Store.open(data_dir):
        print(f"ready {__import__('os').getpid()}", flush=True)
        sys.stdin.readline()


if __name__ == "__main__":
    if sys.argv[1] == "loop":
        _loop(Path(sys.argv[2]), int(sys.argv[3]))
    elif sys.argv[1] == "hold":
        _hold(Path(sys.argv[2]))
