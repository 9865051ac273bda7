"""The review log as CSV, in the columns of Anki's revlog table where they map.

Anki: id (review time in ms), cid (card), ease (1-4), ivl (days to the next review; negative
seconds while learning), lastIvl (the interval before), factor, time (ms spent), type (0 learn,
1 review, 2 relearn). Anki's ``cid`` is a number and hipquiz's card ids are text: ``cid`` is a
number made from the text id (the same on every export) and ``card_id`` is the text id itself.
``factor`` (an SM-2 ease) has no FSRS equivalent and is left empty. The time in ISO form and the
question type follow, for people.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Iterable, Mapping

from hipquiz.core.interchange.base import anki_id
from hipquiz.core.model import CardProgress, ReviewRecord

COLUMNS = ("id", "cid", "ease", "ivl", "lastIvl", "factor", "time", "type", "card_id", "reviewed_at",
           "question_type")
TYPES = {None: 0, "learning": 0, "review": 1, "relearning": 2}


def _interval(due: datetime, at: datetime) -> int:
    seconds = (due - at).total_seconds()
    # Anki stores days, or negative seconds for intervals shorter than a day.
    return round(seconds / 86400) if seconds >= 86400 else -round(max(seconds, 0))


def revlog_rows(reviews: Iterable[ReviewRecord], progress: Mapping[str, CardProgress],
                card_ids: set[str]) -> list[tuple]:
    """One row a review of the given cards, oldest first."""
    by_card: dict[str, list[ReviewRecord]] = {}
    for review in sorted(reviews, key=lambda r: r.reviewed_at):
        if review.card_id in card_ids:
            by_card.setdefault(review.card_id, []).append(review)
    rows = []
    for card_id, history in by_card.items():
        for index, review in enumerate(history):
            # The state after a review is the one the next review started from (or the card's now).
            after = history[index + 1].previous if index + 1 < len(history) else progress.get(card_id)
            before = review.previous
            ivl = _interval(after.due, review.reviewed_at) if after is not None else ""
            last = _interval(before.due, history[index - 1].reviewed_at) if before is not None and index else 0
            rows.append((
                int(review.reviewed_at.timestamp() * 1000), anki_id(card_id), review.rating, ivl, last, "",
                review.duration_ms, TYPES.get(before.phase if before else None, 0), card_id,
                review.reviewed_at.isoformat(), review.question_type,
            ))
    rows.sort(key=lambda row: row[0])
    return rows


def write_revlog(out: Path, rows: list[tuple]) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
