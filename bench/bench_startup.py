"""What a user waits for: starting the command, loading decks, opening a session, answering a card.

    python bench/bench_startup.py

Prints median wall times. Decks are loaded with the parse cache off (as on the first start, or
after an edit) and on (hipquiz/core/parse_cache.py, as on every other start). The store figures use a history of 100,000 reviews over 10,000 cards
(built with bench_store's bulk writer), so start-up and the answer path are measured at scale.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402

from hipquiz.core.decks import load_library  # noqa: E402
from hipquiz.core.scheduler import GOOD, Scheduler, SchedulerSettings  # noqa: E402
from hipquiz.core.session import StudySession, deck_counts  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402


def median_ms(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    version = median_ms(lambda: subprocess.run([sys.executable, "-m", "hipquiz", "--version"],
                                               check=True, capture_output=True))
    print(f"hipquiz --version (process start):      {version:8.1f} ms")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["HIPQUIZ_CACHE"] = ""  # off: every load parses
        library = load_library(None)
        print(f"load the shipped decks, parsed:          {median_ms(lambda: load_library(None)):8.1f} ms "
              f"({sum(len(d.cards) for d in library.decks)} cards)")
        os.environ["HIPQUIZ_CACHE"] = cache  # kept after the first load, as on every start but the first
        print(f"load the shipped decks, kept (cache):    {median_ms(lambda: load_library(None)):8.1f} ms")
    scheduler = Scheduler(SchedulerSettings())
    clock = lambda: TODAY  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "store"
        build(folder, 100_000, 10_000)
        print(f"open a store of 100,000 reviews:         {median_ms(lambda: Store.open(folder, read_only=True).close()):8.1f} ms")
        with Store.open(folder, now=clock) as store:
            deck = library.find("hip-muscles")
            print(f"home screen counts, every deck:          "
                  f"{median_ms(lambda: [deck_counts(d, store, scheduler, TODAY) for d in library.decks]):8.1f} ms")
            print(f"start a study session:                   "
                  f"{median_ms(lambda: StudySession(deck, store, scheduler, clock, mode='mixed')):8.1f} ms")
            session = StudySession(deck, store, scheduler, clock, mode="mixed")
            first = session.next_card()
            # A fresh session each time: the first question reads the recent review log.
            print(f"first question of a session (mixed):     "
                  f"{median_ms(lambda: StudySession(deck, store, scheduler, clock, mode='mixed').ask(first)):8.1f} ms")

            def answer() -> None:
                card = session.next_card()
                if card is not None:
                    session.answer(card, GOOD, duration_ms=3000)

            print(f"answer a card (saved, fsynced):          {median_ms(answer, runs=15):8.1f} ms")


if __name__ == "__main__":
    main()
