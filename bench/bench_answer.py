"""Answer → next card, through the real app: what a person waits for between pressing a rating key
and seeing the next question.

    python bench/bench_answer.py [--answers 300] [--sizes 100 100000] [--mode flip] [--profile FILE]

For each history size it builds a store (bench_store's bulk writer: a steady user's reviews, ending
yesterday), opens the app headless at 80×24 on the shipped textbook deck in ``--mode`` and answers
``--answers`` cards: Space shows the answer, then 3 (Good) or 1 (Again) by turns rates it.

What is timed is key → frame, not Pilot's idle waits. The key is posted the way the terminal driver
posts it (``driver.send_message``) and the clock stops at the first frame the app writes that shows
what the key should bring: the next question's first line, or the answer's. A headless app renders
each frame (``Compositor.render_update``) and then skips the write; the benchmark wraps
``App._display`` to turn each frame into the bytes a terminal would get (``render_segments``), looks
for the text in them, and counts that conversion in the time. Pilot waits only outside the timed span
(the app settles, saves included, as it would during a person's few seconds of thought).

It prints the median and p99 of rating key → next question written, Space → answer written, and the
save alone (``record_review``, fsynced, timed inside the store), and the same key → frame measurement
on a bare Textual app whose key updates one line: the floor any Textual app pays. Before each key it
waits (untimed) as a person would: saves done, the app idle, and ``THINK`` seconds more.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import TODAY, build  # noqa: E402

from hipquiz.core.collection import Collection  # noqa: E402
from hipquiz.core.decks import load_library  # noqa: E402
from hipquiz.core.scheduler import SchedulerSettings  # noqa: E402
from hipquiz.core.store import Store  # noqa: E402

# Escape sequences between the text of a frame (cursor moves, colours, OSC links).
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
TIMEOUT = 10.0
# A person's next key comes long after the last frame; the benchmark waits this long (untimed)
# before each key, so that it does not land within the frame period (1/60 s) of the frame before it,
# where Textual would hold the next frame back: an artefact of keys sent back to back.
THINK = 0.05


class Clock:
    def __init__(self) -> None:
        self.moment = TODAY

    def __call__(self):
        return self.moment


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def figures(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} / {p99(values) * 1000:7.1f}"


class Frames:
    """Every frame the app writes, as the terminal would get it; ``key`` times one key to the first
    frame for which ``shows(text)`` is true."""

    def __init__(self, app, profiler=None) -> None:
        self.app = app
        # Profiled only from the key to its frame.
        self.profiler = profiler
        self._shows: Callable[[str], bool] | None = None
        self._seen: asyncio.Future[float] | None = None
        display = app._display

        def written(screen, renderable) -> None:
            display(screen, renderable)
            if renderable is None or self._shows is None or self._seen is None or self._seen.done():
                return
            render = getattr(renderable, "render_segments", None)
            data = render(app.console) if render is not None else str(renderable)
            if self._shows(ESCAPES.sub("", data)):
                self._seen.set_result(time.perf_counter())
                if self.profiler is not None:
                    self.profiler.stop()

        app._display = written

    async def key(self, key: str, shows: Callable[[str], bool]) -> float:
        from textual import events

        self._shows = shows
        self._seen = asyncio.get_running_loop().create_future()
        if self.profiler is not None:
            self.profiler.start()
        start = time.perf_counter()
        self.app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
        try:
            return await asyncio.wait_for(self._seen, TIMEOUT) - start
        finally:
            self._shows = None


def shown_in(widget, text: str) -> bool:
    """Whether the first line of a widget's text, as laid out on screen, is in ``text``."""
    line = widget.render_line(0).text.strip()
    return bool(line) and line in text


async def settle(pilot) -> None:
    """Let the app finish everything (saves included) before the next key: outside the timed span."""
    await pilot.pause()
    for _ in range(100):
        busy = [w for w in pilot.app.workers if not w.is_finished and w.group == "save"]
        if not busy:
            break
        for worker in busy:
            await worker.wait()
        await pilot.pause()
    await pilot.pause()
    await asyncio.sleep(THINK)


async def drive(folder: Path, answers: int, mode: str, profile: Path | None) -> dict[str, list[float]]:
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.study import StudyScreen
    from textual.widgets import Static

    clock = Clock()
    library = load_library(None)
    deck = library.find("hip-anatomy")
    timings: dict[str, list[float]] = {"answer": [], "reveal": [], "save": []}
    profiler = None
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
        store.set_setting("mode", mode)
        collection = Collection(library, store, now=clock,
                                settings=SchedulerSettings(new_per_day=10_000, enable_fuzzing=False))
        app = HipquizApp(collection=collection, start_deck=deck, start_study=True)
        if profile is not None:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002, async_mode="disabled")
        async with app.run_test(size=(80, 24)) as pilot:
            frames = Frames(app, profiler)
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, StudyScreen), "the study screen did not open"
            for number in range(answers):
                if screen.card is None or app.screen is not screen:
                    break
                if not screen.revealed:
                    # Flip: Space shows the answer. "Where is it?": region 1 is picked. Other
                    # types: the first option / an empty typed answer is checked (Enter), which
                    # shows the verdict and the answer.
                    kind = screen.question.kind
                    key = "space" if screen._self_rated else "1" if kind == "where" else "enter"
                    timings["reveal"].append(await frames.key(
                        key, lambda text: screen.revealed and shown_in(
                            screen.query_one(".verdict" if not screen._self_rated else ".answer", Static), text)))
                    await settle(pilot)
                before = screen.card
                clock.moment += timedelta(seconds=8)
                prompt = screen.query_one(".prompt", Static)
                # Good and Again by turns: forgotten cards come back within the session, so a
                # deck of any size gives as many answers as asked for.
                try:
                    timings["answer"].append(await frames.key(
                        "3" if number % 2 else "1",
                        lambda text: screen.card is not before and not screen.revealed
                        and shown_in(prompt, text)))
                except TimeoutError:
                    break  # the session ended (summary) or the same card came back at once
                await settle(pilot)
    if profiler is not None:
        profile.write_text(profiler.output_text(unicode=True, color=False, show_all=True), encoding="utf-8")
    return timings


async def bare(presses: int) -> dict[str, list[float]]:
    """The same key → frame measurement on a bare Textual app whose key updates one line of text."""
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
        frames = Frames(app)
        await pilot.pause()
        for number in range(1, presses + 1):
            times.append(await frames.key("3", lambda text: f"question {number}" in text))
            await settle(pilot)
    return {"answer": times}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--mode", default="flip", help="the question type asked (flip, choice, typed, mixed…)")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the first size here")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-answer-"))
    try:
        print(f"{'reviews':>8} {'answers':>7} {'rating key → next question':>27} "
              f"{'key → answer shown':>19} {'save alone':>17}   (ms, median / p99)")
        floor = asyncio.run(bare(args.answers))
        print(f"{'bare':>8} {len(floor['answer']):>7} {figures(floor['answer']):>27}")
        for size in args.sizes:
            folder = root / str(size)
            build(folder, size, min(size, 10_000))
            Store.open(folder, now=lambda: TODAY).close()  # the day's backup, before the session
            profile, args.profile = args.profile, None
            t = asyncio.run(drive(folder, args.answers, args.mode, profile))
            print(f"{size:>8,} {len(t['answer']):>7} {figures(t['answer']):>27} {figures(t['reveal']):>19} "
                  f"{figures(t['save']):>17}")
        floor = asyncio.run(bare(args.answers))
        print(f"{'bare':>8} {len(floor['answer']):>7} {figures(floor['answer']):>27}   (again, after)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
