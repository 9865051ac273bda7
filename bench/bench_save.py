"""What one saved answer costs, how big the data folder grows, and how long the store takes to open.

    python bench/bench_save.py [--timed 200] [--sizes 100 10000 100000]

Stores are built with bench_store's bulk writer (a steady user's history ending yesterday, about 100
reviews a day, 10,000 cards at most), then opened once as the app would (the day's backup made).

* *save*: median and p99 of ``--timed`` fsynced ``record_review`` calls of a study session at the
  start of a day (no review yet today) and, in a later session, with the day's log already holding
  1,000 reviews saved one by one;
* *folder*: the store's own files (meta, card states, the review log and its caches; not backups),
  in MB and bytes per review, after a writer has opened and closed it;
* *close*: ``close`` after the day-start session (its checkpoint writes the card files of the
  cards answered);
* *open*: ``Store.open`` + ``close``, read-only and as the writer (median of 5, today's backup
  already made, 1,200 reviews in today's log). It grows with the cards, not with the reviews.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build, card  # noqa: E402

from hipquiz.core.model import ReviewRecord  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for part in ("meta.json", "cards", "log")
               for p in ([folder / part] if (folder / part).is_file() else (folder / part).rglob("*"))
               if p.is_file())


def save_costs(folder: Path, timed: int, first: int = 0) -> list[float]:
    """Seconds for each of ``timed`` fsynced saves of one study session (reviews numbered from
    ``first`` on, 10 s apart from the start of the day)."""
    store = Store.open(folder, now=lambda: TODAY)
    try:
        rng = random.Random(7 + first)
        ids = sorted(store.all_progress())
        costs = []
        for i in range(first, first + timed):
            cid = rng.choice(ids)
            before = store.progress(cid)
            at = TODAY + timedelta(seconds=10 * i)
            review = ReviewRecord(f"bench-{i}", cid, 3, at, 3000, "typed", before)
            t = time.perf_counter()
            store.record_review(review, card(cid, before.reps + 1, at))
            costs.append(time.perf_counter() - t)
    finally:
        t = time.perf_counter()
        store.close()  # the checkpoint: the card files of the cards answered
        CLOSED.append(time.perf_counter() - t)
    return costs


CLOSED: list[float] = []  # seconds each session's close took


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def open_cost(folder: Path, read_only: bool, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        Store.open(folder, read_only=read_only, now=lambda: TODAY).close()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timed", type=int, default=200, help="record_review calls timed per case")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-save-"))
    try:
        print(f"{'reviews':>8} {'cards':>6} {'folder MB':>10} {'B/review':>9} "
              f"{'save ms, day start':>19} {'save ms, 1,000 today':>21} {'open ms, reader / writer':>25} "
              f"{'close ms':>9}")
        for size in args.sizes:
            cards = min(size, 10_000)
            row = []
            folder = root / str(size)
            build(folder, size, cards)
            Store.open(folder, now=lambda: TODAY).close()  # the day's backup, as the app makes it
            size_b = folder_bytes(folder)
            costs = save_costs(folder, args.timed)  # the day's first saves
            closed = CLOSED[-1]
            row.append(f"{statistics.median(costs) * 1000:.2f} / {p99(costs) * 1000:.2f}")
            save_costs(folder, 1_000 - args.timed, args.timed)  # the day fills up to 1,000 reviews...
            costs = save_costs(folder, args.timed, 1_000)  # ...and the next saves are timed
            row.append(f"{statistics.median(costs) * 1000:.2f} / {p99(costs) * 1000:.2f}")
            opened = f"{open_cost(folder, True) * 1000:.0f} / {open_cost(folder, False) * 1000:.0f}"
            print(f"{size:>8,} {cards:>6,} {size_b / 1e6:>10.2f} {size_b / size:>9.0f} "
                  f"{row[0]:>19} {row[1]:>21} {opened:>25} {closed * 1000:>9.0f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
