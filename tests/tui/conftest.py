"""Fixtures for the Pilot and snapshot tests: a small deck loaded by the real loader, the real
store in a temporary folder, and a fixed clock."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.core.scheduler import SchedulerSettings
from hipquiz.core.store import Store

from tui_support import DECK, TYPES_DECK, Clock, Picking, collection_of


@pytest.fixture(autouse=True)
def keys_wait_for_saves(monkeypatch):
    """An answer is saved in a thread worker and keys are blocked until it is, as a person sees
    (the next key after a save lands on the next card). Pilot.press waits for the app to look idle,
    which a thread doing fsync also does: so each key pressed, and each pause, waits for saves to
    finish and the screen to take them, as a person's next key would."""
    from textual.pilot import Pilot
    from textual.worker import WorkerFailed

    press, pause = Pilot.press, Pilot.pause

    async def settle(pilot) -> None:
        for _ in range(100):  # bounded: a save that never ends fails the test instead of hanging it
            saving = [w for w in pilot.app.workers if w.group == "save" and not w.is_finished]
            if not saving:
                return
            for worker in saving:
                try:
                    await worker.wait()
                except WorkerFailed:
                    pass  # the screen reports it (a save that failed keeps the card on screen)
            await pause(pilot)
        raise AssertionError("answers were still being saved after 100 rounds")

    async def press_each(pilot, *keys: str) -> None:
        for key in keys:
            await press(pilot, key)
            await settle(pilot)

    async def pause_then_settle(pilot, delay: float | None = None) -> None:
        await pause(pilot, delay)
        await settle(pilot)

    monkeypatch.setattr(Pilot, "press", press_each)
    monkeypatch.setattr(Pilot, "pause", pause_then_settle)


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
        kwargs.setdefault("settings", settings)
        return HipquizApp(collection=collection_of(library, store, clock, kwargs), **kwargs)

    return make


@pytest.fixture
def types_library(tmp_path: Path) -> DeckLibrary:
    path = tmp_path / "types.toml"
    path.write_text(TYPES_DECK, encoding="utf-8")
    return DeckLibrary([load_deck(path)], [])


@pytest.fixture
def make_types_app(types_library, store, settings, clock):
    """The app on the question-types deck, in ``mode``, with a seeded Random (``kind`` is the type
    mixed mode picks when a card offers it)."""
    from hipquiz.tui.app import HipquizApp

    def make(mode: str = "mixed", *, kind: str = "", seed: int = 4, **kwargs) -> HipquizApp:
        store.set_setting("mode", mode)
        kwargs.setdefault("settings", settings)
        return HipquizApp(collection=collection_of(types_library, store, clock, kwargs),
                          rng=Picking(kind, seed), **kwargs)

    return make
