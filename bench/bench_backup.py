"""What the daily backup costs: time added to the day's first open (none: the app takes the backup
in a worker once its first screen is up), the backup itself in that worker, saves made while it
runs, and the size on disk against the store itself.

    python bench/bench_backup.py [--sizes 100 10000 100000]

Builds stores with bench_store's bulk writer (a steady user's history ending yesterday), then opens
each on a new day: ``Store.open`` alone (the day's backup not made yet) against an open once it is
made; then ``finish_backups`` (snapshot and zip) in a thread while the main thread saves answers,
as a study session would, and prints the saves' median and slowest time during it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build, card  # noqa: E402

from hipquiz.core.model import ReviewRecord  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402
from hipquiz.core.store import backups  # noqa: E402


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def opened(folder: Path, day) -> float:
    """Median seconds of five Store.open + close on ``day`` (a writer; the backup left alone)."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        store = Store.open(folder, now=lambda: day)
        times.append(time.perf_counter() - start)
        store._closed = True  # (no close: it would take the day's backup)
        store._lock.release()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-backup-"))
    try:
        print(f"{'reviews':>8} {'open, no backup yet ms':>23} {'open, backup made ms':>21} "
              f"{'snapshot ms':>12} {'zip s':>6} {'saves meanwhile ms (median/max)':>32} "
              f"{'store MB':>9} {'zip MB':>7} {'7 zips MB':>10}")
        for size in args.sizes:
            folder = root / str(size)
            build(folder, size, min(size, 10_000))
            Store.open(folder, now=lambda: TODAY).close()  # (the backup of the first day)
            tomorrow = TODAY + timedelta(days=1)
            before = opened(folder, tomorrow)
            store = Store.open(folder, now=lambda: tomorrow)
            taken: list[float] = []
            real = backups.take_snapshot

            def timed(*a, **k):
                t = time.perf_counter()
                try:
                    return real(*a, **k)
                finally:
                    taken.append(time.perf_counter() - t)

            backups.take_snapshot = timed  # (the store calls it through the module)
            zipped: list[Path] = []
            worker = threading.Thread(target=lambda: zipped.extend(store.finish_backups()))
            start = time.perf_counter()
            worker.start()
            saves, rng, ids, i = [], random.Random(3), sorted(store.all_progress()), 0
            while worker.is_alive() or i < 20:  # a study session goes on meanwhile
                cid = rng.choice(ids)
                before_state = store.progress(cid)
                at = tomorrow + timedelta(seconds=i)
                t = time.perf_counter()
                store.record_review(ReviewRecord(f"w{i}", cid, 3, at, 2000, "flip", before_state),
                                    card(cid, before_state.reps + 1, at))
                saves.append(time.perf_counter() - t)
                i += 1
            worker.join()
            working = time.perf_counter() - start
            backups.take_snapshot = real
            store.close()
            after = opened(folder, tomorrow)
            [archive] = zipped
            live = sum(size_of(folder / part) for part in ("meta.json", "cards", "log") if (folder / part).exists())
            print(f"{size:>8,} {before * 1000:>23.1f} {after * 1000:>21.1f} {taken[0] * 1000:>12.1f} "
                  f"{working - taken[0]:>6.2f} "
                  f"{statistics.median(saves) * 1000:>20.2f} / {max(saves) * 1000:>9.2f} "
                  f"{live / 1e6:>9.1f} {archive.stat().st_size / 1e6:>7.1f} {7 * archive.stat().st_size / 1e6:>10.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
