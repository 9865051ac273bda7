"""Helpers shared by the TUI tests (a module of its own: test folders may each have a conftest)."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hipquiz.core.collection import Collection
from hipquiz.core.store import Store
from hipquiz.tui.screens.study import StudyScreen

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


# Four muscles with a location and an action card each, a nerve, an origin and an advice note:
# a deck whose statistics have every panel filled.
STATS_DECK = '''
[deck]
id = "stats"
name = "Stats test deck"

[[notes]]
id = "gluteus-medius"
type = "muscle"
source = "The gluteus medius lies under the gluteus maximus."
name = "gluteus medius"
location = "under the gluteus maximus"
functions = ["abduction of the hip"]
cards = ["location", "functions"]

[[notes]]
id = "gluteus-minimus"
type = "muscle"
source = "The gluteus minimus lies under the gluteus medius."
name = "gluteus minimus"
location = "under the gluteus medius"
functions = ["abduction of the hip"]
cards = ["location", "functions"]

[[notes]]
id = "gemellus-superior"
type = "muscle"
source = "The gemellus superior lies above the obturator internus."
name = "gemellus superior"
location = "above the obturator internus tendon"
functions = ["lateral rotation of the hip"]
cards = ["location", "functions"]

[[notes]]
id = "piriformis"
type = "muscle"
source = "The piriformis lies deep in the buttock."
name = "piriformis"
location = "deep in the buttock"
functions = ["lateral rotation of the hip"]
cards = ["location", "functions"]

[[notes]]
id = "gluteus-medius-innervation"
type = "basic"
source = "Reference: superior gluteal nerve"
question = "Which nerve supplies the gluteus medius?"
answer = "the superior gluteal nerve"

[[notes]]
id = "piriformis-origin"
type = "basic"
source = "Reference: anterior sacrum"
question = "Where does the piriformis arise?"
answer = "the front of the sacrum"

[[notes]]
id = "squats"
type = "basic"
tags = ["advice"]
source = "The article advises squats."
question = "Which exercise does the article advise?"
answer = "squats"
'''


def studied_history(deck, scheduler, end: datetime, days: int, seed: int = 7):
    """A learner's log over ``days`` days up to ``end``: every due card answered each evening at
    18:00 UTC (skipping some days), the gemelli answered badly. Returns (states, (review, after) pairs)
    for ``write_store``."""
    from hipquiz.core.model import ReviewRecord

    rng = random.Random(seed)
    states: dict = {}
    pairs = []
    for n in range(days, 0, -1):
        if rng.random() < 0.2:
            continue  # a missed day
        at = (end - timedelta(days=n)).replace(hour=18, minute=0)
        for card in deck.cards:
            state = states.get(card.id) or scheduler.new_progress(card.id, card.answer_hash, at)
            if state.due > at + timedelta(hours=6):
                continue
            weak = "gemellus" in card.id
            rating = 1 if rng.random() < (0.5 if weak else 0.1) else rng.choice((2, 3, 3, 4))
            outcome = scheduler.review(state, rating, at)
            kind = ("typed", "choice", "flip")[len(pairs) % 3]
            review = ReviewRecord(f"h{len(pairs)}", card.id, rating, at, rng.randint(3000, 20000), kind,
                                  states.get(card.id))
            pairs.append((review, outcome.progress))
            states[card.id] = outcome.progress
            at += timedelta(seconds=30)
    return states, pairs


def collection_of(library, store, clock, kwargs: dict) -> Collection:
    """The collection an app under test opens; takes its own arguments (settings, thresholds, now)
    out of ``kwargs``, which are the app's."""
    return Collection(library, store, settings=kwargs.pop("settings", None),
                      thresholds=kwargs.pop("thresholds", None), now=kwargs.pop("now", clock))


async def until(check, what: str, *, seconds: float = 5.0) -> None:
    """Wait until ``check()`` holds, at most ``seconds`` (then fail saying ``what`` never happened).
    Pilot's own waits guess that the app is idle from its CPU time, which a busy machine fools;
    a test that needs a key handled, or a worker's result taken, waits for what it brings."""
    for _ in range(round(seconds / 0.01)):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def text_of(node, selector: str) -> str:
    """The text of the Static that ``selector`` finds under ``node`` (a screen or a widget)."""
    from textual.widgets import Static

    return str(node.query_one(selector, Static).content)


async def start_studying(pilot) -> StudyScreen:
    """Enter on the home screen: the study screen of the highlighted deck."""
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, StudyScreen)
    return pilot.app.screen


@dataclass(frozen=True)
class ShownOption:
    """An option as the user sees it."""

    line: str  # its mark, number, tick box and text (with its note), the wrapped lines joined
    colour: str  # the colour most of its text is drawn in, "#rrggbb"
    background: str  # the colour most of its row is drawn on


def drawn(widget) -> ShownOption:
    """A widget's text as drawn: its lines joined, the colour most of its text is drawn in and
    the colour most of it is drawn on."""
    from textual.geometry import Region

    return drawn_lines(widget.render_lines(Region(0, 0, widget.size.width, widget.size.height)))


def drawn_lines(strips) -> ShownOption:
    """Lines as drawn (see ``drawn``)."""
    from collections import Counter

    colours: Counter[str] = Counter()
    backgrounds: Counter[str] = Counter()
    for strip in strips:
        for segment in strip:
            style = segment.style
            if segment.text.strip() and style is not None and style.color is not None:
                colours[style.color.get_truecolor().hex] += len(segment.text.strip())
            if style is not None and style.bgcolor is not None:
                backgrounds[style.bgcolor.get_truecolor().hex] += len(segment.text)
    line = " ".join(strip.text.strip() for strip in strips if strip.text.strip())
    return ShownOption(line, *(c.most_common(1)[0][0] if c else "" for c in (colours, backgrounds)))


def option_lines(answers) -> list[list]:
    """Each option of an answer list as drawn, in the order shown: its lines (strips)."""
    from textual.geometry import Region

    strips = answers.render_lines(Region(0, 0, answers.size.width, answers.size.height))
    return [strips[top:top + height] for top, height in answers.row_spans()]


def shown_options(screen) -> list[ShownOption]:
    """The options of the answer list as drawn, top to bottom."""
    from hipquiz.tui.widgets import AnswerList

    answers = screen.query_one(AnswerList)
    return [drawn_lines(lines) for lines in option_lines(answers)] if answers.display else []


def option_region(screen, position: int):
    """Where the option shown at ``position`` is on the screen."""
    from textual.geometry import Region

    from hipquiz.tui.widgets import AnswerList

    answers = screen.query_one(AnswerList)
    top, height = answers.row_spans()[position]
    region = answers.content_region
    return Region(region.x, region.y + top, region.width, height)


def theme_colour(app, name: str) -> str:
    """A colour of the app's theme ("text-success"), as ``shown_options`` gives colours."""
    from textual.color import Color

    return Color.parse(app.get_css_variables()[name]).rich_color.get_truecolor().hex


def post_keys(app, *keys: tuple[str, str]) -> None:
    """Keys as the terminal sends them, all at once (Pilot's press() waits for the app to be idle
    before each): (key, character) pairs."""
    from textual import events

    for key, character in keys:
        event = events.Key(key, character)
        event.set_sender(app)  # as the driver's keys are: they bubble up to the app's bindings
        app.post_message(event)
