"""The card browser's data: every card with where it stands, and the search that narrows them down.

A search is words and filters, as in Anki's browser: ``glute deck:hip-muscles is:leech tag:nerve``.
Words match the prompt, the answer, a tag or the muscle's name (all words, in any order, ignoring
case and accents); ``deck:``, ``is:`` (new, learning, review, suspended, leech, buried) and ``tag:``
narrow the list. The screen only shows what this module computes.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Mapping

from hipquiz.core.days import study_day
from hipquiz.core.decks import Card, Deck
from hipquiz.core.model import CardProgress

STATES = ("new", "learning", "review", "suspended", "leech", "buried")
FILTER_KEYS = ("deck", "is", "tag")


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching ("Fémur" finds "femur")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class BrowseRow:
    card: Card
    deck: Deck
    progress: CardProgress | None
    state: str  # new / learning / review (relearning counts as learning)
    flags: tuple[str, ...]  # suspended / buried / leech
    haystack: str
    # Folded once here, not on every key typed into the search.
    deck_keys: tuple[str, str] = ("", "")  # the deck's id and name
    tag_keys: frozenset[str] = frozenset()

    @property
    def lapses(self) -> int:
        return self.progress.lapses if self.progress else 0

    @property
    def due(self) -> datetime | None:
        return None if self.state == "new" or self.progress is None else self.progress.due


def card_state(progress: CardProgress | None) -> str:
    if progress is None or progress.reps == 0:
        return "new"
    return "review" if progress.phase == "review" else "learning"


def card_flags(progress: CardProgress | None, now: datetime) -> tuple[str, ...]:
    if progress is None:
        return ()
    flags = []
    if progress.suspended:
        flags.append("suspended")
    if progress.buried_until is not None and progress.buried_until > study_day(now):
        flags.append("buried")
    if progress.leech:
        flags.append("leech")
    return tuple(flags)


def browse_rows(decks: Iterable[Deck], progress: Mapping[str, CardProgress], now: datetime) -> list[BrowseRow]:
    rows = []
    for deck in decks:
        deck_keys = (fold(deck.id), fold(deck.name))
        for card in deck.cards:
            current = progress.get(card.id)
            muscle = card.note.text("name")
            haystack = fold(" ".join((card.prompt, card.answer, muscle, *card.note.tags)))
            rows.append(BrowseRow(card, deck, current, card_state(current), card_flags(current, now), haystack,
                                  deck_keys, frozenset(fold(tag) for tag in card.note.tags)))
    return rows


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Filters that name nothing known ("is:dué"), shown to the user rather than silently ignored.
    unknown: tuple[str, ...] = ()

    def matches(self, row: BrowseRow) -> bool:
        if self.decks and not any(d in row.deck_keys for d in self.decks):
            return False
        if self.states and not all(s == row.state or s in row.flags for s in self.states):
            return False
        if self.tags and not all(t in row.tag_keys for t in self.tags):
            return False
        return all(word in row.haystack for word in self.words)


def parse_query(text: str) -> Query:
    words, decks, states, tags, unknown = [], [], [], [], []
    for part in text.split():
        key, colon, value = part.partition(":")
        key = key.casefold()
        if colon and key in FILTER_KEYS and value:
            value = fold(value)
            if key == "deck":
                decks.append(value)
            elif key == "tag":
                tags.append(value)
            elif value in STATES:
                states.append(value)
            else:
                unknown.append(part)
        else:
            words.append(fold(part))
    return Query(tuple(words), tuple(decks), tuple(states), tuple(tags), tuple(unknown))


def search(rows: Iterable[BrowseRow], text: str) -> list[BrowseRow]:
    query = parse_query(text)
    return [row for row in rows if query.matches(row)]


def set_filter(text: str, key: str, value: str | None) -> str:
    """The search text with its ``key:`` filter replaced by ``key:value`` (or removed when None)."""
    kept = [part for part in text.split() if part.partition(":")[0].casefold() != key or not part.partition(":")[1]]
    if value:
        kept.append(f"{key}:{value}")
    return " ".join(kept)


def current_filter(text: str, key: str) -> str | None:
    for part in text.split():
        name, colon, value = part.partition(":")
        if colon and name.casefold() == key:
            return value
    return None
