"""Which drawing goes with a card: the muscle a note is about as a lexicon term, the views it is
drawn in, and the figure (a view, its numbers, the region lit) a question or an answer shows.

Pure: the screen draws a ``Figure`` with ``hipquiz.core.raster``.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hipquiz.core.decks import Card, Deck, Note
from hipquiz.core.spelling import SPACED_ASIDE

if TYPE_CHECKING:
    from hipquiz.core.drawings import Atlas, View

# Card templates whose answer is where a muscle lies ("layer": in which layer of the buttock).
LOCATION_TEMPLATES = ("location", "layer")
# Card templates that describe where a muscle lies and ask which muscle it is.
NAME_FROM_LOCATION_TEMPLATES = ("name-from-location",)
# Numbered regions in a "where is it?" question: the one asked and up to this many neighbours.
WHERE_DISTRACTORS = 3


@dataclass(frozen=True)
class Figure:
    """A view as a question or answer shows it: numbered regions and at most one lit."""

    view_id: str
    # (term id, the number drawn on it), in number order.
    labels: tuple[tuple[str, str], ...] = ()
    lit: str | None = None

    @property
    def numbered(self) -> dict[str, str]:
        return dict(self.labels)


# Views prepare_a_view has made ready to draw (their ids).
_prepared: set[str] = set()


def prepare_a_view() -> bool:
    """Make one more view of the atlas ready to draw, the atlas read first: which of its regions
    touch (their shades; the look-alikes a "where is it?" question numbers) is worked out once a
    view (1.5-3 ms), and the atlas read once a process (~40 ms). The study screen calls this
    between keys, so that no key waits for it. False once every view is ready."""
    from hipquiz.core.raster import shades

    for view in atlas().views:
        if view.id not in _prepared:
            _prepared.add(view.id)
            shades(view)
            return True
    return False


@functools.lru_cache(maxsize=1)
def _lexicon():
    from hipquiz.core.lexicon import Lexicon

    return Lexicon.shipped()


def atlas() -> Atlas:
    # Imported on first use: the drawings' parser and data are not needed until a card is drawn
    # (hipquiz study's first card does without them; see tests/tui/test_start_imports.py).
    from hipquiz.core.drawings import shipped_atlas

    return shipped_atlas()


def term_of(note: Note) -> str | None:
    """The lexicon term a muscle note is about (its ``term`` field, else its name or an alias that
    the lexicon knows), or the one a basic note's ``pictured`` names, if that term is drawn in some
    view; else None."""
    if note.type == "basic":
        pictured = note.text("pictured")
        return pictured if pictured and pictured in atlas().terms else None
    if note.type != "muscle":
        return None
    lexicon = _lexicon()
    drawn = atlas().terms
    explicit = note.text("term")
    if explicit:
        return explicit if explicit in drawn else None
    for text in (note.text("name"), re.sub(SPACED_ASIDE, "", note.text("name")), *note.items("aliases")):
        term = lexicon.lookup(text) if text else None
        if term is not None:
            return term.id if term.id in drawn else None
    return None


def display_name(term: str) -> str:
    term_info = _lexicon().term(term)
    return term_info.name if term_info is not None else term


def views_showing(term: str, *, with_neighbours: int = 0) -> tuple[View, ...]:
    """Views in which ``term`` may be numbered or lit, with at least ``with_neighbours`` other such
    regions to number beside it."""
    return tuple(view for view in atlas().views_with(term)
                 if term in view.nameable and len(view.nameable) - 1 >= with_neighbours)


def look_alikes(view: View, term: str) -> tuple[str, ...]:
    """The other nameable regions of a view, those touching ``term`` first, then the nearest."""
    # Imported here: the home screen's start imports this module (with the question types) and
    # not the painter (hipquiz/tui/widgets/drawing.py imports it for a picture).
    from hipquiz.core.raster import neighbours

    touching = neighbours(view)[term]
    nearest = view.nearest(term, among=view.nameable)
    return tuple(sorted(nearest, key=lambda t: (t not in touching, nearest.index(t))))


def where_figure(term: str, rng: random.Random) -> Figure | None:
    """A view with ``term`` and its look-alikes numbered 1..n in a random order."""
    views = views_showing(term, with_neighbours=2)
    if not views:
        return None
    view = rng.choice(views)
    terms = [term, *look_alikes(view, term)[:WHERE_DISTRACTORS]]
    rng.shuffle(terms)
    return Figure(view.id, tuple((t, str(n)) for n, t in enumerate(terms, start=1)))


def lit_figure(term: str, rng: random.Random | None = None) -> Figure | None:
    """A view with ``term`` lit (a random one of those showing it, or the first without ``rng``)."""
    views = views_showing(term)
    if not views:
        return None
    view = rng.choice(views) if rng is not None else views[0]
    return Figure(view.id, lit=term)


def asks_location(card: Card) -> bool:
    """Whether the card's answer is where a drawn muscle lies: a muscle note's location card, or
    the question of a basic note that pictures a muscle and does not answer with its name."""
    if card.note.type == "basic":
        term = term_of(card.note)
        return card.template == "basic" and term is not None and not _names(card, term)
    return card.template in LOCATION_TEMPLATES


def asks_name_from_location(card: Card) -> bool:
    """Whether the card describes where a drawn muscle lies and asks which muscle it is."""
    if card.note.type == "basic":
        term = term_of(card.note)
        return card.template == "basic" and term is not None and _names(card, term)
    return card.template in NAME_FROM_LOCATION_TEMPLATES


def picture_problems(deck: Deck) -> list[str]:
    """``FILE:LINE: message`` for each basic note whose ``pictured`` names no drawn muscle."""
    drawn = atlas().terms
    return [f"{deck.path}:{note.line}: note {note.id!r}: pictured {note.text('pictured')!r} is not a drawn "
            f"muscle (drawn: {', '.join(sorted(t for t in drawn if _is_muscle(t)))})"
            for note in deck.notes if note.type == "basic" and note.text("pictured")
            and not (note.text("pictured") in drawn and _is_muscle(note.text("pictured")))]


def _is_muscle(term: str) -> bool:
    found = _lexicon().term(term)
    return found is not None and found.kind == "muscle"


def _names(card: Card, term: str) -> bool:
    found = _lexicon().lookup(card.answer)
    return found is not None and found.id == term


def answer_figure(card: Card) -> Figure | None:
    """For a card whose answer is a location: the first view with its muscle lit."""
    if not asks_location(card):
        return None
    term = term_of(card.note)
    return lit_figure(term) if term is not None else None
