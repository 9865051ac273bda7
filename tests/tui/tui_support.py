"""Helpers shared by the TUI tests (a module of its own: test folders may each have a conftest)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hipquiz.core.collection import Collection
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

# Muscles (so choice and typed questions have distractors), an ordered list and a list with
# distractors: one deck to ask every question type. Brackets are deck text, never markup.
TYPES_DECK = '''
[deck]
id = "types"
name = "Question types [test]"
description = "Every question type."
source = "Test article"

[[notes]]
id = "tfl"
type = "muscle"
source = "The TFL is found on the top, outside (anterolateral side) of your thigh."
name = "tensor fasciae latae (TFL)"
aliases = ["TFL", "tensor fascia lata"]
location = "top, outside (anterolateral side) of the thigh"
region = "anterolateral = front and outside"
cards = ["name-from-location"]

[[notes]]
id = "piriformis"
type = "muscle"
source = "The piriformis lies deep in the buttock [F3]."
name = "piriformis"
confusable = ["obturator-internus"]
location = "deep in the buttock, below the gluteus medius"
cards = ["name-from-location"]

[[notes]]
id = "obturator-internus"
type = "muscle"
source = "The obturator internus lies partly inside the pelvis."
name = "obturator internus"
confusable = ["piriformis"]
location = "partly inside the pelvis, behind the hip joint"
cards = ["name-from-location"]

[[notes]]
id = "obturator-externus"
type = "muscle"
source = "The obturator externus covers the outside of the obturator membrane."
name = "obturator externus"
aliases = ["obturator ext"]
location = "over the outer surface of the obturator membrane"
cards = ["name-from-location"]

[[notes]]
id = "quadratus-femoris"
type = "muscle"
source = "The quadratus femoris is a flat, square muscle below the gemelli."
name = "quadratus femoris"
location = "below the gemellus inferior, a flat square muscle"
cards = ["name-from-location"]

[[notes]]
id = "glute-layers"
type = "list"
source = "The gluteus maximus is the most superficial; the medius under it; the minimus deepest."
question = "Put the glutes in order, from superficial to deep."
items = ["gluteus maximus", "gluteus medius", "gluteus minimus"]
ordered = true

[[notes]]
id = "big-muscles"
type = "list"
source = "Those quads, hamstrings and glutes use lots of fuel."
question = "Which big leg muscles does the article name?"
items = ["quads", "hamstrings", "glutes"]
distractors = ["abs", "biceps", "calves"]
'''


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


class Picking(random.Random):
    """A seeded Random that, offered a question type to pick (mixed mode), takes ``kind``."""

    def __init__(self, kind: str = "", seed: int = 4) -> None:
        super().__init__(seed)
        self.kind = kind

    def choices(self, population, *args, **kwargs):
        if self.kind in population:
            return [self.kind]
        return super().choices(population, *args, **kwargs)


def saved(data_dir: Path, store: Store) -> Store:
    """Close the app's store and open the folder afresh, to see what really reached the disk."""
    store.close()
    return Store.open(data_dir, read_only=True)


def collection_of(library, store, clock, kwargs: dict) -> Collection:
    """The collection an app under test opens; takes its own arguments (settings, thresholds, now)
    out of ``kwargs``, which are the app's."""
    return Collection(library, store, settings=kwargs.pop("settings", None),
                      thresholds=kwargs.pop("thresholds", None), now=kwargs.pop("now", clock))
