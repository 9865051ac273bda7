"""Answer → next card, through the real app: what a person waits for between pressing a rating key
and seeing the next question.

    python bench/bench_answer.py [--answers 300] [--sizes 100 100000]

For each history size it builds a store (bench_store's bulk writer: a steady user's reviews, ending
yesterday), opens the app on the shipped textbook deck in flip mode with Textual's Pilot at 80×24,
and answers ``--answers`` cards: Space shows the answer, 3 (Good) or 1 (Again) by turns rates it. It prints the median and
p99 of "rating pressed → next question on screen and the app idle", of Space → answer shown, and of the
save alone (``record_review``, fsynced, timed inside the store). Last, the same measurement on a
bare Textual app: Pilot's own wait, the floor under the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402

from hipquiz.core.collection import Collection  # noqa: E402
from hipquiz.core.decks import load_library  # noqa: E402
from hipquiz.core.scheduler import SchedulerSettings  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.moment = TODAY

    def __call__(self):
        return self.moment


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


async def drive(folder: Path, answers: int) -> dict[str, list[float]]:
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.study import StudyScreen

    clock = Clock()
    library = load_library(None)
    deck = library.find("hip-anatomy")
    timings: dict[str, list[float]] = {"answer": [], "reveal": [], "save": []}
    with Store.open(folder, now=clock) as store:
        # Time the save where it happens, without changing what it does.
        record = store.record_review

        def timed_record(review, progress):
            start = time.perf_counter()
            try:
                return record(review, progress)
            finally:
                timings["save"].append(time.perf_counter() - start)

        store.record_review = timed_record
        collection = Collection(library, store, now=clock,
                                settings=SchedulerSettings(new_per_day=10_000, enable_fuzzing=False))
        app = HipquizApp(collection=collection, start_deck=deck, start_study=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StudyScreen), "the study screen did not open"
            for number in range(answers):
                if screen.card is None:
                    break
                start = time.perf_counter()
                await pilot.press("space")
                await pilot.pause()
                timings["reveal"].append(time.perf_counter() - start)
                before = screen.card
                clock.moment += timedelta(seconds=8)
                start = time.perf_counter()
                # Good and Again by turns: forgotten cards come back within the session, so a
                # deck of any size gives as many answers as asked for.
                await pilot.press("3" if number % 2 else "1")
                await pilot.pause()
                timings["answer"].append(time.perf_counter() - start)
                if screen.card is before or app.screen is not screen:
                    break
    return timings


async def bare_floor(presses: int) -> list[float]:
    """The same Pilot measurement on a bare Textual app whose key only updates one line of text:
    Pilot's own wait for the app to go idle, the floor under every figure above."""
    from textual.app import App
    from textual.widgets import Footer, Static

    class Bare(App):
        BINDINGS = [("3", "next", "Next")]
        count = 0

        def compose(self):
            yield Static("question 0", id="q")
            yield Footer()

        def action_next(self) -> None:
            self.count += 1
            self.query_one("#q", Static).update(f"question {self.count}")

    times = []
    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("3")
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-answer-"))
    try:
        print(f"{'reviews':>8} {'answers':>7} {'answer→next ms (median / p99)':>30} "
              f"{'reveal ms (median / p99)':>25} {'save ms (median / p99)':>23}")
        for size in args.sizes:
            folder = root / str(size)
            build(folder, size, min(size, 10_000))
            Store.open(folder, now=lambda: TODAY).close()  # the day's backup, before the session
            t = asyncio.run(drive(folder, args.answers))
            cols = [f"{statistics.median(t[k]) * 1000:7.1f} / {p99(t[k]) * 1000:7.1f}"
                    for k in ("answer", "reveal", "save")]
            print(f"{size:>8,} {len(t['answer']):>7} {cols[0]:>30} {cols[1]:>25} {cols[2]:>23}")
        floor = asyncio.run(bare_floor(args.answers))
        print(f"{'bare Textual app, same measurement':>40}: {statistics.median(floor) * 1000:.1f} / "
              f"{p99(floor) * 1000:.1f} ms (median / p99)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
