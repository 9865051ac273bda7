"""How the cost of one ``record_review`` grows with the store's history.

    python bench/bench_store.py [--timed 300] [--rounds 3]

Builds stores of 100, 10,000 and 100,000 reviews (10,000 cards for the two large ones) with the bulk
writer, opens each, times ``--timed`` fsynced ``record_review`` calls of a study session (today,
random existing cards), and prints the mean per call, the ratio to the small store, and the open time.
Issue 5 asks for the 100,000-review figure to stay within twice the 100-review one.

The last row is a busy day: the small store plus 2,000 reviews already logged today (in schema 3,
compressed with the rest by the bulk writer: ``bench_save.py`` times saves after 1,000 real ones).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hipquiz.core.model import CardProgress, ReviewRecord  # noqa: E402
from hipquiz.core.store import Store, write_store  # noqa: E402

TODAY = datetime(2025, 3, 1, 8, 0, tzinfo=timezone.utc)


def card(card_id: str, reps: int, at: datetime) -> CardProgress:
    return CardProgress(
        card_id=card_id,
        fsrs={"card_id": 1733000000000, "state": 2, "step": None, "stability": 3.1 * reps,
              "difficulty": 5.3, "due": (at + timedelta(days=reps)).isoformat(),
              "last_review": at.isoformat()},
        due=at + timedelta(days=reps), phase="review", reps=reps, answer_hash="9f86d081884c7d65",
    )


def build(folder: Path, n_reviews: int, n_cards: int, today: int = 0,
          card_ids: list[str] | None = None) -> None:
    """A store whose history ends yesterday, about 100 reviews a day (like a steady user), plus
    ``today`` reviews already made today before the timed session starts; over ``n_cards`` made-up
    cards, or over ``card_ids`` (real cards of the decks, so that a session meets their history)."""
    rng = random.Random(n_reviews)
    if card_ids is None:
        card_ids = [f"hip-muscles/n{i:05d}/{rng.choice(['name', 'action', 'nerve'])}" for i in range(n_cards)]
    n_cards = len(card_ids)
    days = max(1, n_reviews // 100)
    start = TODAY - timedelta(days=days)
    state: dict[str, CardProgress] = {}
    pairs = []
    for i in range(n_reviews):
        at = start + timedelta(seconds=i * days * 86400 / n_reviews)
        cid = card_ids[i % n_cards] if i < n_cards else rng.choice(card_ids)
        before = state.get(cid)
        after = card(cid, (before.reps if before else 0) + 1, at)
        pairs.append((ReviewRecord(f"r{i}", cid, rng.randint(1, 4), at, 4200, "typed", before), after))
        state[cid] = after
    midnight = TODAY.replace(hour=0, minute=0, second=0)
    for i in range(today):  # between midnight (UTC) and the session's start
        at = midnight + (TODAY - midnight) * i / today
        cid = rng.choice(card_ids)
        before = state.get(cid)
        after = card(cid, (before.reps if before else 0) + 1, at)
        pairs.append((ReviewRecord(f"t{i}", cid, 3, at, 4200, "typed", before), after))
        state[cid] = after
    for cid in card_ids:
        state.setdefault(cid, card(cid, 1, start))
    write_store(folder, state.values(), pairs, durable=False)


def session(folder: Path, timed: int, seed: int) -> tuple[float, float]:
    """(seconds to open, mean seconds per record_review) for one study session of ``timed`` answers."""
    t = time.perf_counter()
    store = Store.open(folder, now=lambda: TODAY)
    opened = time.perf_counter() - t
    try:
        rng = random.Random(seed)
        ids = sorted(store.all_progress())
        costs = []
        for i in range(timed):
            cid = rng.choice(ids)
            before = store.progress(cid)
            at = TODAY + timedelta(seconds=10 * i)
            review = ReviewRecord(f"s{seed}-{i}", cid, 3, at, 3000, "typed", before)
            after = card(cid, before.reps + 1, at)
            t = time.perf_counter()
            store.record_review(review, after)
            costs.append(time.perf_counter() - t)
        for _ in range(timed):  # leave the store as it was for the next round
            store.undo_last_review()
    finally:
        store.close()
    return opened, statistics.fmean(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timed", type=int, default=300, help="record_review calls timed per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (the median is shown)")
    args = parser.parse_args()
    # (reviews before today, cards, reviews already made today)
    sizes = [(100, 50, 0), (10_000, 10_000, 0), (100_000, 10_000, 0), (100, 50, 2_000)]
    root = Path(tempfile.mkdtemp(prefix="hipquiz-bench-"))
    try:
        print(f"{'reviews':>8} {'today':>6} {'cards':>6} {'build s':>8} {'open s':>7} "
              f"{'record_review ms':>17} {'ratio':>6}")
        base = None
        for n_reviews, n_cards, today in sizes:
            folder = root / f"{n_reviews}-{today}"
            t = time.perf_counter()
            build(folder, n_reviews, n_cards, today)
            built = time.perf_counter() - t
            Store.open(folder, now=lambda: TODAY).close()  # first open makes the day's backup
            results = [session(folder, args.timed, seed) for seed in range(args.rounds)]
            opened = statistics.median(r[0] for r in results)
            mean = statistics.median(r[1] for r in results)
            base = base or mean
            print(f"{n_reviews:>8,} {today:>6,} {n_cards:>6,} {built:>8.2f} {opened:>7.3f} "
                  f"{mean * 1000:>17.3f} {mean / base:>6.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
