"""What the daily backup costs: time added to the day's first open, the zip written afterwards (in
the app, in a worker while you study), and the size on disk against the store itself.

    python bench/bench_backup.py [--sizes 100 10000 100000]

Builds stores with bench_store's bulk writer (a steady user's history ending yesterday), then opens
each on a new day and times ``Store.open`` (which now only hard-links today's snapshot) and
``finish_backups`` (the zip), and prints the sizes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402

from hipquiz.core.store import Store  # noqa: E402
from hipquiz.core.store import backups  # noqa: E402


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-backup-"))
    try:
        print(f"{'reviews':>8} {'open, no backup ms':>19} {'open + snapshot ms':>19} {'snapshot ms':>12} {'zip s':>6} "
              f"{'store MB':>9} {'zip MB':>7} {'7 zips MB':>10}")
        for size in args.sizes:
            folder = root / str(size)
            build(folder, size, min(size, 10_000))
            Store.open(folder, now=lambda: TODAY).close()  # today's backup exists: a plain open
            start = time.perf_counter()
            Store.open(folder, now=lambda: TODAY).close()
            plain = time.perf_counter() - start
            tomorrow = TODAY + timedelta(days=1)
            # The snapshot alone, as Store.open takes it (timed inside, so the open's own cost, which
            # varies more than the snapshot costs, does not blur it).
            taken: list[float] = []
            real = backups.take_snapshot

            def timed(*a, **k):
                t = time.perf_counter()
                try:
                    return real(*a, **k)
                finally:
                    taken.append(time.perf_counter() - t)

            import hipquiz.core.store.store as store_module  # it imported take_snapshot by name
            store_module.take_snapshot = timed
            start = time.perf_counter()
            store = Store.open(folder, now=lambda: tomorrow)
            opened = time.perf_counter() - start
            store_module.take_snapshot = real
            start = time.perf_counter()
            [zipped] = store.finish_backups()
            zipping = time.perf_counter() - start
            store.close()
            live = sum(size_of(folder / part) for part in ("meta.json", "cards", "log") if (folder / part).exists())
            print(f"{size:>8,} {plain * 1000:>19.1f} {opened * 1000:>19.1f} {taken[0] * 1000:>12.1f} {zipping:>6.2f} "
                  f"{live / 1e6:>9.1f} {zipped.stat().st_size / 1e6:>7.1f} {7 * zipped.stat().st_size / 1e6:>10.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
