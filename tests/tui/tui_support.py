"""Helpers shared by the TUI tests (a module of its own: test folders may each have a conftest)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from hipquiz.core.store import Store

START = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)

DECK = '''
[deck]
id = "mini"
name = "Mini hip deck"
description = "Three cards for the UI tests."
source = "Test article"

[[notes]]
id = "tfl-place"
type = "basic"
source = "The TFL is found on the top, outside (anterolateral side) of your thigh."
question = "Where is the TFL?"
answer = "Top, outside of the thigh [anterolateral]"
caveat = "It joins the IT band a little below the hip."

[[notes]]
id = "piriformis"
type = "basic"
source = "The piriformis rotates the hip outward."
question = "What does the piriformis do? [one word]"
answer = "Rotates the hip outward"

[[notes]]
id = "gemelli"
type = "basic"
source = "The gemelli sit above and below the obturator internus."
question = "Where are the gemelli?"
answer = "Above and below the obturator internus"
'''


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def saved(data_dir: Path, store: Store) -> Store:
    """Close the app's store and open the folder afresh, to see what really reached the disk."""
    store.close()
    return Store.open(data_dir, read_only=True)
