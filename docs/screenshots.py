"""Regenerate the README's screenshots (SVG) from a fixed data set: the shipped decks, a month of
made-up study history drawn with a fixed seed, a fixed clock and time zone.

    python docs/screenshots.py            # writes docs/screenshots/*.svg

Every run gives the same pictures for the same code, so a change in them is a change in the app.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
SIZE = (80, 24)
# The question types shown, each from the deck and mode that asks it.
QUESTIONS = [("flip", "flip"), ("choice", "choice"), ("typed", "typed"), ("select", "select"), ("order", "select"),
             ("where", "pictures"), ("lit", "pictures")]


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def make_history(data: Path, library, clock: Clock) -> None:
    """A month of study, most answers Good, some Again, a few days missed."""
    from hipquiz.core.collection import Collection
    from hipquiz.core.store import Store

    rng = random.Random(7)
    with Store.open(data, now=clock) as store:
        collection = Collection(library, store, now=clock)
        for days_ago in range(30, 0, -1):
            if rng.random() < 0.15:
                continue  # a missed day
            clock.moment = NOW - timedelta(days=days_ago, hours=rng.randint(0, 6))
            for deck in library.decks:
                session = collection.study(deck, mode="flip", rng=rng)
                for _ in range(12):
                    card = session.next_card()
                    if card is None:
                        break
                    rating = rng.choices([1, 2, 3, 4], weights=[2, 1, 6, 1])[0]
                    session.answer(card, rating, duration_ms=rng.randint(2000, 15000))
                    clock.moment += timedelta(seconds=30)
    clock.moment = NOW


async def shoot(data: Path, library, clock: Clock) -> list[Path]:
    from hipquiz.core.collection import Collection
    from hipquiz.core.store import Store
    from hipquiz.tui.app import HipquizApp
    from hipquiz.tui.screens.study import StudyScreen

    written: list[Path] = []

    def save(app, name: str) -> None:
        written.append(Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT))))

    with Store.open(data, now=clock) as store:
        collection = Collection(library, store, now=clock)
        app = HipquizApp(collection=collection, rng=random.Random(3))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            save(app, "home")
            await pilot.press("s")
            await pilot.pause(0.5)
            save(app, "statistics")
        for kind, mode in QUESTIONS:
            collection.set_setting("mode", mode)
            app = HipquizApp(collection=collection, rng=random.Random(3))
            async with app.run_test(size=SIZE) as pilot:
                await pilot.pause()
                await pilot.press("down")  # the textbook deck: it has every question type
                await pilot.press("enter")
                await pilot.pause()
                screen = app.screen
                if not isinstance(screen, StudyScreen):
                    continue
                for _ in range(60):  # bury cards until one is asked as this type
                    if screen.question is not None and screen.question.kind == kind:
                        break
                    await screen.action_bury()
                    await pilot.pause()
                if screen.question is None or screen.question.kind != kind:
                    print(f"no card of the textbook deck was asked as {kind}", file=sys.stderr)
                    continue
                screen.query_one("#note").remove_class("-shown")  # "Buried until tomorrow", from the loop
                await answer(pilot, screen, kind)
                save(app, f"study-{kind}")
    return written


async def answer(pilot, screen, kind: str) -> None:
    """Answer as a student might: the flip card revealed, a checked type answered (not always right)."""
    question = screen.question
    if kind == "flip":
        await pilot.press("space")
    elif kind == "choice":
        await pilot.press(str(question.answer_indices[0] + 1))
    elif kind == "typed":
        typed = question.card.answer.split(";")[0].split("(")[0].strip()[:40]
        await pilot.press(*("space" if ch == " " else ch for ch in typed), "enter")
    elif kind == "select":
        for index in question.answer_indices[:-1]:
            await pilot.press(str(index + 1))
        await pilot.press("enter")
    elif kind == "order":
        await pilot.press("enter")
    elif kind == "lit":
        await pilot.press(str(question.answer_indices[0] + 1))
    # "where": left unanswered, to show the numbered drawing as it is asked.
    await pilot.pause(0.3)


def main() -> int:
    os.environ["TZ"] = "UTC"
    time.tzset()
    from hipquiz.core.decks import load_library

    OUT.mkdir(exist_ok=True)
    library = load_library(None)
    clock = Clock(NOW)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        make_history(data, library, clock)
        written = asyncio.run(shoot(data, library, clock))
    for path in written:
        print(path.relative_to(OUT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
