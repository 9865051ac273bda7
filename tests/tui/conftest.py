"""Fixtures for the Pilot and snapshot tests: a small deck loaded by the real loader, the real
store in a temporary folder, and a fixed clock."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.core.scheduler import SchedulerSettings
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


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch):
    """Local times on screen (and the 4 am day start) must not depend on the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def deck_path(tmp_path: Path) -> Path:
    path = tmp_path / "mini.toml"
    path.write_text(DECK, encoding="utf-8")
    return path


@pytest.fixture
def library(deck_path: Path) -> DeckLibrary:
    return DeckLibrary([load_deck(deck_path)], [])


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: Clock):
    with Store.open(data_dir, now=clock) as opened:
        yield opened


@pytest.fixture
def settings() -> SchedulerSettings:
    return SchedulerSettings(enable_fuzzing=False)


@pytest.fixture
def make_app(library, store, settings, clock):
    from hipquiz.tui.app import HipquizApp

    def make(**kwargs) -> HipquizApp:
        return HipquizApp(library=library, store=store, settings=settings, now=clock, **kwargs)

    return make


def saved(data_dir: Path, store: Store) -> Store:
    """Close the app's store and open the folder afresh, to see what really reached the disk."""
    store.close()
    return Store.open(data_dir, read_only=True)
