"""How long the statistics take to open, and how much memory, as the review log grows.

    python bench/bench_stats.py [--sizes 100,10000,100000]

For each size, builds a store with ``bench_store.build`` (about 100 reviews a day) over 200 cards,
about the two shipped decks, and at 100,000 reviews also over 10,000 cards (bench_store's own
size), then in a fresh process for each figure:

* ``rebuild s``: the first read after the running totals are missing (a new version, a crash):
  counting the whole log again, one log file at a time, and saving ``log/totals.json``;
* ``figures s``: what `hipquiz stats` and the statistics screen do on opening, with the running
  totals saved: open the store read-only, load the decks, compute every figure;
* ``screen s``: the statistics screen itself in a headless app, from the key press to the figures
  drawn (the app already running);
* ``peak MB``: the largest Python heap (tracemalloc) while opening the store and computing the
  figures; ``RSS MB``: the whole process's peak in the screen run (Python, Textual, the decks).

Issue 13 asks for the screen to open in under 0.3 s and under 60 MB at 100,000 reviews.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402


def _figures(folder: Path) -> dict[str, float]:
    """Open read-only and compute every figure, as `hipquiz stats` does."""
    from hipquiz.core.collection import Collection
    from hipquiz.core.decks import load_library

    t = time.perf_counter()
    library = load_library(folder / "decks")
    with Collection.open(folder, library, read_only=True, now=lambda: TODAY) as collection:
        figures = collection.statistics()
    return {"seconds": time.perf_counter() - t, "reviews": figures.total_reviews}


def _rebuild(folder: Path) -> dict[str, float]:
    from hipquiz.core.store import Store

    (folder / "log" / "totals.json").unlink(missing_ok=True)
    with Store.open(folder, now=lambda: TODAY) as store:
        t = time.perf_counter()
        store.review_history()
        return {"seconds": time.perf_counter() - t}


def _peak(folder: Path) -> dict[str, float]:
    import hipquiz.core.collection  # noqa: F401 - imports are not what is measured
    import hipquiz.core.decks  # noqa: F401

    tracemalloc.start()
    _figures(folder)
    _, peak = tracemalloc.get_traced_memory()
    return {"peak_mb": peak / 2**20}


def _screen(folder: Path) -> dict[str, float]:
    from hipquiz.core.collection import Collection
    from hipquiz.core.decks import load_library
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.stats import StatsScreen

    library = load_library(folder / "decks")

    async def run() -> float:
        with Collection.open(folder, library, read_only=True, now=lambda: TODAY) as collection:
            app = HipquizApp(collection=collection)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                t = time.perf_counter()
                await pilot.press("s")
                await pilot.pause()
                assert isinstance(app.screen, StatsScreen)
                return time.perf_counter() - t

    seconds = asyncio.run(run())
    return {"seconds": seconds, "rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Read from /proc (VmHWM), not getrusage: Linux keeps
    ru_maxrss across exec, so a child would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


MEASURES = {"figures": _figures, "rebuild": _rebuild, "peak": _peak, "screen": _screen}


def measure(kind: str, folder: Path) -> dict[str, float]:
    """One figure, in a fresh process: nothing cached or imported by an earlier measure counts."""
    out = subprocess.run([sys.executable, __file__, "--measure", kind, str(folder)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,10000,100000", help="review counts, comma-separated")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        kind, folder = args.measure
        print(json.dumps(MEASURES[kind](Path(folder))))
        return
    root = Path(tempfile.mkdtemp(prefix="hipquiz-bench-stats-"))
    try:
        print(f"{'reviews':>8} {'cards':>6} {'rebuild s':>10} {'figures s':>10} {'screen s':>9} "
              f"{'peak MB':>8} {'RSS MB':>7}")
        sizes = [(int(n), 200) for n in args.sizes.split(",")]
        sizes += [(n, 10_000) for n, _ in sizes if n >= 100_000]
        for n_reviews, n_cards in sizes:
            folder = root / f"{n_reviews}-{n_cards}"
            build(folder, n_reviews, n_cards)
            rebuild = measure("rebuild", folder)  # also leaves log/totals.json for the others
            figures = measure("figures", folder)
            assert figures["reviews"] == n_reviews, figures
            peak = measure("peak", folder)
            screen = measure("screen", folder)
            print(f"{n_reviews:>8,} {n_cards:>6,} {rebuild['seconds']:>10.3f} {figures['seconds']:>10.3f} "
                  f"{screen['seconds']:>9.3f} {peak['peak_mb']:>8.1f} {screen['rss_mb']:>7.0f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
