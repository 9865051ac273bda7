"""Import, export and browse at scale: what a user waits for with a big shared deck.

    python bench/interchange.py [ROWS]

Builds a CSV of ROWS notes (default 5,000; quoted multi-line cells and non-Latin text in every
tenth row), then prints the median wall time of: importing it into a new deck, re-importing it
unchanged (every note matched, none added), exporting the deck as CSV and as .apkg, and one
search keystroke in the card browser's filter over the deck's cards.
"""

from __future__ import annotations

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

    print(f"{rows} notes")
    print(f"import into a new deck      {first:8.0f} ms")
    print(f"re-import, nothing changed  {again:8.0f} ms")
    print(f"export CSV                  {csv_ms:8.0f} ms")
    print(f"export .apkg (genanki)      {apkg_ms:8.0f} ms")
    print(f"browser search, one key     {keystroke:8.1f} ms  (filter only; the table redraw is extra)")


if __name__ == "__main__":
    main()
