"""How ``store/`` here was made: run once with the schema-2 code of main at 9dc119e (before schema 3),

    python tests/data/schema2/make_fixture.py tests/data/schema2/store

Real scheduler states for real card ids of the shipped deck, over four UTC days, one of them busy
enough to fill three log chunks (LOG_CHUNK = 200); cram reviews, a suspended card, settings, aliases
and the statistics totals. Kept for the record: run today it would write the current schema.
"""

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hipquiz.core.decks import load_deck
from hipquiz.core.model import ReviewRecord
from hipquiz.core.scheduler import Scheduler, SchedulerSettings
from hipquiz.core.store import Store

target = Path(sys.argv[1])
deck = load_deck(Path(__file__).resolve().parents[3] / "decks" / "hip-muscles.toml")
cards = list(deck.cards)[:40]
rng = random.Random(2)
sched = Scheduler(SchedulerSettings(enable_fuzzing=False))
start = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
days = [(0, 20), (1, 410), (2, 12), (4, 20)]  # (day offset, reviews that day)
n = 0
with Store.open(target, now=lambda: start) as store:
    store.set_setting("new_per_day", 15)
    store.set_setting("mode", "typed")
    store.set_setting("desired_retention", 0.88)
    store.add_alias(f"{cards[0].deck_id}/{cards[0].note_id}", "glute max")
    store.add_alias("hip-muscles/piriformis", "piri")
    store.add_alias("hip-muscles/piriformis", "pear muscle")
    for offset, count in days:
        for i in range(count):
            card = cards[rng.randrange(len(cards))]
            at = start + timedelta(days=offset, seconds=61 * i)
            before = store.progress(card.id)
            current = before or sched.new_progress(card.id, card.answer_hash, at)
            cram = offset == 2 and i % 3 == 0
            rating = rng.choice([1, 2, 3, 3, 3, 4])
            after = current if cram else sched.review(current, rating, at).progress
            n += 1
            store.record_review(ReviewRecord(f"fixture-{n:04d}", card.id, rating, at,
                                             rng.randrange(800, 20000),
                                             rng.choice(["flip", "typed", "choice"]), before, cram),
                                after)
    susp = store.progress(cards[1].id) or sched.new_progress(cards[1].id, cards[1].answer_hash, start)
    store.save_progress(susp.with_changes(suspended=True))
    store.review_history()  # writes log/totals.json
print(n, "reviews")
