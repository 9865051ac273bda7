"""Run the hipquiz command as usual, noting where its start-up time goes (for bench_coldstart.py).

    COLDSTART_MARKS=FILE python bench/coldstart_probe.py study hip-anatomy

Imports Textual as a bare app does, then hipquiz, then runs ``hipquiz.cli.main`` with timers
wrapped around the steps of a start (loading the decks, opening the store, the home
screen's counts, the study session, the first question). At exit it writes, as JSON, the wall-clock
moments (``time.time()``) it reached and the seconds spent in each step, for the parent to combine
with the moment the first card appeared on its pseudo-terminal. Imports made later, lazily, count in
the step that makes them.
"""

from __future__ import annotations

import time

STARTED = time.time()

import atexit  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

marks: dict[str, float] = {"started": STARTED}
# Seconds spent in each step, not counting the steps it calls (the lexicon loaded by a question).
spent: dict[str, float] = {}
_inner: list[float] = []  # per step running, the seconds of the steps it called


def timed(label: str, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        _inner.append(0.0)
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            spent[label] = spent.get(label, 0.0) + elapsed - _inner.pop()
            if _inner:
                _inner[-1] += elapsed
    return wrapper


def save() -> None:
    Path(os.environ["COLDSTART_MARKS"]).write_text(json.dumps({"marks": marks, "spent": spent}))


atexit.register(save)

# What the bare app imports: its cost is Textual's, not hipquiz's (the widgets load on first use).
importlib.import_module("textual.app")
widgets = importlib.import_module("textual.widgets")
widgets.Static, widgets.Footer  # noqa: B018

marks["textual"] = time.time()

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import hipquiz.cli as cli  # noqa: E402
from hipquiz.core.collection import Collection  # noqa: E402
from hipquiz.core.session import StudySession  # noqa: E402

marks["hipquiz"] = time.time()

cli._load_library = timed("decks", cli._load_library)
cli._open_collection = timed("store", cli._open_collection)
# (Nor is the lexicon imported here to time its loading: a start no longer imports it before the
# first card, tests/tui/test_start_imports.py; importing it would add to "import hipquiz".)
Collection.counts = timed("counts", Collection.counts)
Collection.study = timed("session", Collection.study)
StudySession.ask = timed("question", StudySession.ask)


def run_app(function):
    def wrapper(*args, **kwargs):
        marks["run"] = time.time()
        marks["spent before run"] = sum(spent.values())
        return function(*args, **kwargs)
    return wrapper


from hipquiz.tui.app import HipquizApp  # noqa: E402

marks["app imported"] = time.time()
HipquizApp.run = run_app(HipquizApp.run)
sys.exit(cli.main(sys.argv[1:]))
