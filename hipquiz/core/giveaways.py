"""Cards that give each other away: an answer whose key words all appear in another card's prompt.

A card of one note seen today makes another card easy if its prompt states the other's answer
("Which muscles does the superior gluteal nerve supply?" answers "Which nerve supplies the gluteus
medius?"). Siblings of one note are buried for the day already; notes a deck declares ``related``
are buried together too. ``undeclared`` lists the give-aways a deck has not declared, so a test
can fail on them and a deck author can see which relation to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from hipquiz.core.decks import Card, Deck

# Words that carry no answer: grammar, and the words every prompt of these decks uses.
STOP_WORDS = frozenset("""
a an the of and or to in into on at its it is are be by for from with as that this these those
which what where who whom how why when does do did your you their there has have not no only also
than so up down all both each other one two any some muscle muscles according article textbook
""".split())


def key_words(text: str) -> frozenset[str]:
    """The content words of ``text``, cut to a stem so that "abduct" meets "abduction"."""
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return frozenset(word[:5] for word in words if word not in STOP_WORDS)


# An answer of this many key words is distinctive: a prompt that holds it gives it away. A shorter
# one (a muscle's name) is given away only by a prompt that also shares the clue of its question.
DISTINCTIVE_WORDS = 4


def _answer_parts(card: Card) -> tuple[str, ...]:
    return card.answer_items or (card.answer, *card.typed)


def gives_away(giver: Card, taker: Card) -> bool:
    """Whether seeing ``giver`` tells ``taker``'s answer: its prompt states the answer (whole, one
    of its short typed forms, or at least half of a list's items and two or more), and the answer
    is distinctive or the giver's prompt also holds a word of the taker's question."""
    prompt = key_words(giver.prompt)
    parts = [key_words(part) for part in _answer_parts(taker)]
    hits = [words for words in parts if words and words <= prompt]
    if taker.answer_items:
        if len(hits) < max(2, (len(parts) + 1) // 2):
            return False
    elif not hits:
        return False
    answer_words = frozenset().union(*parts)
    # An abbreviation in brackets ("tensor fasciae latae (TFL)") adds no distinction.
    plain = [key_words(re.sub(r"\([^)]*\)", "", part)) for part in _answer_parts(taker)]
    if not taker.answer_items and max(len(words) for words in plain) >= DISTINCTIVE_WORDS:
        return True
    clue = key_words(taker.prompt) - answer_words
    return bool(clue & prompt)


@dataclass(frozen=True)
class GiveAway:
    giver: Card
    taker: Card

    def __str__(self) -> str:
        return (f"{self.giver.id} ({self.giver.prompt!r}) gives away {self.taker.id} "
                f"({' / '.join(_answer_parts(self.taker))!r})")


def find(deck: Deck) -> Iterable[GiveAway]:
    """Every pair of cards of different notes where one gives the other away."""
    for giver in deck.cards:
        for taker in deck.cards:
            if giver.note_id != taker.note_id and gives_away(giver, taker):
                yield GiveAway(giver, taker)


def undeclared(deck: Deck) -> list[GiveAway]:
    """The give-aways between notes that the deck does not declare related."""
    return [g for g in find(deck) if g.taker.note_id not in deck.related_notes(g.giver.note_id)]
