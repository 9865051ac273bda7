"""Import, export and browse at scale: what a user waits for with a big shared deck.

    python bench/interchange.py [ROWS]

Builds a CSV of ROWS notes (default 5,000; quoted multi-line cells and non-Latin text in every
tenth row), then prints the median wall time of: importing it into a new deck, re-importing it
unchanged (every note matched, none added), exporting the deck as CSV and as .apkg, and one
search keystroke in the card browser: the filter alone, then in the real app (headless, Pilot) the
keystroke until the screen is idle again, and the table's update to the search typed.
"""

from __future__ import annotations

import asyncio
import csv
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hipquiz.core.browse import browse_rows, search  # noqa: E402
from hipquiz.core.decks import load_deck  # noqa: E402
from hipquiz.core.interchange import EXPORTERS  # noqa: E402
from hipquiz.core.interchange.importing import import_file  # noqa: E402
from hipquiz.core.library import discover  # noqa: E402


def timed(action, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "big.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["front", "back", "tags"])
            for i in range(rows):
                back = f"answer {i}\nsecond line, with a comma" if i % 10 == 0 else f"answer {i}"
                front = f"梨状肌 question {i}" if i % 10 == 5 else f"question number {i}"
                writer.writerow([front, back, f"t{i % 7}"])
        user = root / "decks"
        user.mkdir()

        def first_import() -> None:
            for old in user.glob("*.toml"):
                old.unlink()
            import_file(source, "Big deck", discover(user), user)

        first = timed(first_import)
        again = timed(lambda: import_file(source, "Big deck", discover(user), user))
        deck = load_deck(user / "big-deck.toml")
        assert len(deck.cards) == rows
        csv_ms = timed(lambda: EXPORTERS["csv"].export(deck, root / "out.csv"))
        apkg_ms = timed(lambda: EXPORTERS["apkg"].export(deck, root / "out.apkg"))
        now = datetime.now(timezone.utc)
        cards = browse_rows([deck], {}, now)
        keystroke = timed(lambda: search(cards, "question 12 tag:t3"), runs=9)
        key_ms, table_ms = asyncio.run(browser_typing(deck, root / "data"))

    print(f"{rows} notes")
    print(f"import into a new deck      {first:8.0f} ms")
    print(f"re-import, nothing changed  {again:8.0f} ms")
    print(f"export CSV                  {csv_ms:8.0f} ms")
    print(f"export .apkg (genanki)      {apkg_ms:8.0f} ms")
    print(f"browser search, one key     {keystroke:8.1f} ms  (the filter alone)")
    print(f"  in the app: key -> idle   {key_ms:8.1f} ms  (median of {len(TYPED)} keys typed into the search)")
    print(f"  in the app: table update  {table_ms:8.1f} ms  (the table filled with every card, drawn)")


# Typed into the browser's search one key at a time: a word that narrows 5,000 notes step by step.
TYPED = "question 12"


async def browser_typing(deck, data: Path) -> tuple[float, float]:
    """(median ms from a key typed into the search until the app is idle, median ms of the table
    filled with every card and drawn), on the real browser screen at 100x30."""
    from hipquiz.core.collection import Collection
    from hipquiz.core.decks import DeckLibrary
    from hipquiz.core.store import Store
    from hipquiz.tui.app import HipquizApp

    with Store.open(data) as store:
        app = HipquizApp(collection=Collection(DeckLibrary([deck], []), store))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("c", "slash")
            await pilot.pause()
            screen = app.screen
            keys, updates = [], []
            for char in TYPED:
                start = time.perf_counter()
                await pilot.press("space" if char == " " else char)
                keys.append((time.perf_counter() - start) * 1000)
            screen.query_one("#browse-search").value = ""  # every card: the most rows to show
            await pilot.pause()
            for _ in range(5):
                start = time.perf_counter()
                screen.fill()
                await pilot.pause()
                updates.append((time.perf_counter() - start) * 1000)
    return statistics.median(keys), statistics.median(updates)


if __name__ == "__main__":
    main()
