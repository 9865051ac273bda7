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
from collections import Counter
from typing import Iterable, Sequence

from hipquiz.core.decks import Card, Deck

# Words that carry no answer: grammar, and the words every prompt of these decks uses.
STOP_WORDS = frozenset("""
a an the of and or to in into on at its it is are be by for from with as that this these those
which what where who whom how why when does do did your you their there has have not no only also
than so up down all both each other one two any some muscle muscles according article textbook s
""".split())


def _stem(word: str) -> str:
    """A crude English stem, enough for "abducts"/"abduction" and "supplies"/"supply"."""
    for suffix, replacement in (("ies", "y"), ("ions", ""), ("ion", ""), ("es", ""), ("s", ""), ("ing", ""), ("ed", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: len(word) - len(suffix)] + replacement
    return word


def _stems(text: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9]+", text.casefold())
    return tuple(_stem(word) for word in words if word not in STOP_WORDS)


def key_words(text: str) -> frozenset[str]:
    """The content words of ``text``, cut to a stem so that "abduct" meets "abduction"."""
    return frozenset(_stems(text))


def _states(prompt: tuple[str, ...], phrase: str) -> bool:
    """Whether the prompt holds the phrase's content words in a row ("sciatic nerve" is not in
    "the greater sciatic foramen below the nerve")."""
    words = _stems(re.sub(r"\([^)]*\)", "", phrase)) or _stems(phrase)
    n = len(words)
    return n > 0 and any(prompt[i:i + n] == words for i in range(len(prompt) - n + 1))


# An answer of this many key words is distinctive: a prompt that holds it gives it away. A shorter
# one (a muscle's name) is given away only by a prompt that also shares the clue of its question.
DISTINCTIVE_WORDS = 4


def _answer_parts(card: Card) -> tuple[str, ...]:
    return card.answer_items or (card.answer, *card.typed)


def gives_away(giver: Card, taker: Card, common: frozenset[str] = frozenset()) -> bool:
    """Whether seeing ``giver`` tells ``taker``'s answer: its prompt states the answer (whole, one
    of its short typed forms, or at least half of a list's items and two or more), and the answer
    is distinctive or the giver's prompt also holds a word of the taker's question that is not
    ``common`` (a word most prompts of the deck use says nothing about this one)."""
    prompt = key_words(giver.prompt)
    in_a_row = _stems(giver.prompt)
    parts = _answer_parts(taker)
    hits = [part for part in parts if _states(in_a_row, part)]
    if len(hits) < (max(2, (len(parts) + 1) // 2) if taker.answer_items else 1):
        return False
    # An abbreviation in brackets ("tensor fasciae latae (TFL)") adds no distinction.
    if not taker.answer_items and max(len(key_words(re.sub(r"\([^)]*\)", "", hit))) for hit in hits) >= DISTINCTIVE_WORDS:
        return True
    clue = key_words(taker.prompt) - frozenset().union(*(key_words(part) for part in parts))
    return bool((clue - common) & prompt)


@dataclass(frozen=True)
class GiveAway:
    giver: Card
    taker: Card

    def __str__(self) -> str:
        return (f"{self.giver.id} ({self.giver.prompt!r}) gives away {self.taker.id} "
                f"({' / '.join(_answer_parts(self.taker))!r})")


# A word in more than this share of a deck's prompts (and more than COMMON_LEAST of them) is too
# common to tie two questions together: "nerve" or "supply" in a deck of nerve questions.
COMMON_SHARE = 0.08
COMMON_LEAST = 10


def common_words(cards: Sequence[Card]) -> frozenset[str]:
    counts = Counter(word for card in cards for word in key_words(card.prompt))
    limit = max(COMMON_SHARE * len(cards), COMMON_LEAST)
    return frozenset(word for word, count in counts.items() if count > limit)


def find(deck: Deck) -> Iterable[GiveAway]:
    """Every pair of cards of different notes where one gives the other away."""
    common = common_words(deck.cards)
    for giver in deck.cards:
        for taker in deck.cards:
            if giver.note_id != taker.note_id and gives_away(giver, taker, common):
                yield GiveAway(giver, taker)


def undeclared(deck: Deck) -> list[GiveAway]:
    """The give-aways between notes that the deck does not declare related."""
    return [g for g in find(deck) if g.taker.note_id not in deck.related_notes(g.giver.note_id)]
