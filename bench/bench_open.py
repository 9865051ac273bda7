"""What opening the store and starting a study session cost, by history size, with and without the
card index (``cards/index.tsv``).

    python bench/bench_open.py [--runs 7] [--old DIR]

Builds stores with ``bench_store.build`` (about 100 reviews a day, 100 of them today): 100 reviews
over 50 cards, 10,000 and 100,000 reviews over 10,000 cards, and 100,000 reviews over the shipped
decks' own ~230 cards (whose first card has a history). Each figure is the median over ``--runs``
fresh processes, as a start pays it (modules imported before the clock starts): *open* is
``Collection.open`` (the store, the saved settings, the deck edits reconciled), *session* is
``Collection.study`` of hip-anatomy, *first card* its first card and that card's state. "no index"
removes the index before each run, as after a crash or on the first start after upgrading (the
card files are then read whole, as before the index). ``--old DIR`` also times an older checkout
(``git worktree add DIR REV``) on the same stores, for a before/after in one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_store  # noqa: E402

from hipquiz.core.collection import Collection  # noqa: E402
from hipquiz.core.decks import load_library  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

# One start, in a fresh process: prints the milliseconds of each step as JSON.
PROBE = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from pathlib import Path
from hipquiz.core.collection import Collection
from hipquiz.core.decks import load_library
import hipquiz.core.scheduler, hipquiz.core.session, hipquiz.core.store.store  # (imported by a start already)
library = load_library(None)
deck = library.find("hip-anatomy")
t0 = time.perf_counter()
collection = Collection.open(Path(sys.argv[1]), library, notice=lambda text: None)
t1 = time.perf_counter()
session = collection.study(deck, mode="flip")
t2 = time.perf_counter()
card = session.next_card()
collection._store.progress(card.id)
t3 = time.perf_counter()
store = collection._store
store._backend.close(); store._lock.release(); store._closed = True  # (no close: nothing written)
print(json.dumps([1000 * (t1 - t0), 1000 * (t2 - t1), 1000 * (t3 - t2)]))
"""


def shipped_card_ids() -> list[str]:
    from hipquiz.core.decks import load_deck, shipped_decks_dir

    return [card.id for path in sorted(shipped_decks_dir().glob("*.toml")) if path.name != "lexicon.toml"
            for card in load_deck(path).cards]


def probe(folder: Path, with_index: bool, checkout: Path = ROOT) -> list[float]:
    if not with_index:
        (folder / "cards" / "index.tsv").unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(checkout)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--old", metavar="DIR", type=Path, help="also time the hipquiz checkout in DIR")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="hipquiz-open-"))
    library = load_library(None)
    bench_store.TODAY = datetime.now(timezone.utc)
    sizes = [("100 reviews, 50 cards", 100, 50, None), ("10,000 reviews, 10,000 cards", 10_000, 10_000, None),
             ("100,000 reviews, 10,000 cards", 100_000, 10_000, None),
             ("100,000 reviews, shipped cards", 100_000, 0, shipped_card_ids())]
    try:
        print(f"{'store':<32} {'index':>6} {'open ms':>8} {'session ms':>11} {'first card ms':>14}")
        for label, reviews, cards, card_ids in sizes:
            folder = root / label.replace(" ", "-").replace(",", "")
            bench_store.build(folder, reviews, cards, today=100, card_ids=card_ids)
            # As after a first start: today's backup taken, the decks' edits reconciled (the made-up
            # states do not know the shipped cards' answers), the card index written.
            Collection.open(folder, library, notice=lambda text: None).close()
            index = (folder / "cards" / "index.tsv").read_bytes()
            variants = [("no", False, ROOT), ("yes", True, ROOT)]
            if args.old:
                variants.insert(0, ("old", False, args.old.resolve()))
            for name, with_index, checkout in variants:
                runs = []
                for _ in range(args.runs):
                    if with_index:
                        (folder / "cards" / "index.tsv").write_bytes(index)
                    runs.append(probe(folder, with_index, checkout))
                medians = [statistics.median(run[i] for run in runs) for i in range(3)]
                print(f"{label:<32} {name:>6} {medians[0]:>8.1f} {medians[1]:>11.1f} {medians[2]:>14.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
