"""Muscle names: every known name of every muscle of a deck, and which muscles a text names."""

from __future__ import annotations

from functools import cached_property
from typing import Iterable, Mapping, NamedTuple, Sequence

from hipquiz.core.decks import Card, Deck, Note
from hipquiz.core.questions.text import core_text, match_key, normalize


def muscle_id(note: Note) -> str:
    """How the name index and user aliases refer to a muscle: ``deck_id/note_id``."""
    return f"{note.deck_id}/{note.id}"


class _Worked(NamedTuple):
    """What a NameIndex works out from the names it is given."""

    display: dict[str, str]
    names: dict[str, tuple[str, ...]]
    by_key: dict[str, set[str]]
    # Every name as spoken words, to find names inside a text without trying each one.
    spoken: dict[tuple[str, ...], set[str]]
    longest: int


class NameIndex:
    """Every known name of every muscle: the note's name, its aliases and the user's aliases.

    Muscles are keyed ``deck_id/note_id``. Used to tell whether two texts name the same muscle
    (so a choice never offers a muscle twice) and to find which muscle a typed answer names.
    """

    def __init__(self, display: Mapping[str, str], names: Mapping[str, Iterable[str]],
                 confusable: Mapping[str, Iterable[str]] | None = None):
        # Worked out when first asked (_worked): every study session has an index, and a flip card
        # never asks it (~1 ms of the first card's start, for the shipped decks' names).
        self._given = (dict(display), {muscle: tuple(texts) for muscle, texts in names.items()})
        self._confusable = {m: tuple(c) for m, c in (confusable or {}).items()}

    @cached_property
    def _worked(self) -> _Worked:
        display, given = self._given
        names: dict[str, tuple[str, ...]] = {}
        by_key: dict[str, set[str]] = {}
        for muscle, texts in given.items():
            unique: list[str] = []
            for text in (display.get(muscle, ""), *texts):
                key = match_key(text)
                if not key or any(match_key(u) == key for u in unique):
                    continue
                unique.append(text)
                by_key.setdefault(key, set()).add(muscle)
            names[muscle] = tuple(unique)
            display.setdefault(muscle, unique[0] if unique else muscle)
        spoken: dict[tuple[str, ...], set[str]] = {}
        for muscle, texts in names.items():
            for text in texts:
                words = tuple(normalize(text).split())
                if words:
                    spoken.setdefault(words, set()).add(muscle)
        return _Worked(display, names, by_key, spoken, max((len(words) for words in spoken), default=0))

    @classmethod
    def from_deck(cls, deck: Deck, user_aliases: Mapping[str, Sequence[str]] | None = None) -> NameIndex:
        """The muscles of ``deck``; ``user_aliases`` maps ``deck_id/note_id`` to extra names
        (keys of other decks or unknown notes are ignored)."""
        return cls.from_notes(deck.notes, user_aliases)

    @classmethod
    def from_notes(cls, notes: Iterable[Note], user_aliases: Mapping[str, Sequence[str]] | None = None) -> NameIndex:
        user_aliases = user_aliases or {}
        display: dict[str, str] = {}
        names: dict[str, list[str]] = {}
        confusable: dict[str, list[str]] = {}
        for note in notes:
            if note.type != "muscle" or not note.text("name"):
                continue
            key = muscle_id(note)
            display[key] = note.text("name")
            names[key] = [*note.items("aliases"), *user_aliases.get(key, ())]
            confusable[key] = [f"{note.deck_id}/{other}" for other in note.items("confusable")]
        return cls(display, names, confusable)

    def __len__(self) -> int:
        return len(self._given[1])

    def __contains__(self, muscle: object) -> bool:
        return muscle in self._given[1]

    @property
    def muscles(self) -> tuple[str, ...]:
        return tuple(self._given[1])

    def display(self, muscle: str) -> str:
        """The muscle's own name, as the deck writes it."""
        return self._worked.display.get(muscle, muscle)

    def names_of(self, muscle: str) -> tuple[str, ...]:
        """All names of a muscle, its own name first."""
        return self._worked.names.get(muscle, ())

    def confusable(self, muscle: str) -> tuple[str, ...]:
        return self._confusable.get(muscle, ())

    def owners(self, text: str) -> frozenset[str]:
        """The muscles that ``text`` is exactly a name of (after normalising)."""
        return frozenset(self._worked.by_key.get(match_key(text), ()))

    def entries(self) -> Iterable[tuple[str, str, str]]:
        """(match key, name, muscle) for every known name."""
        for muscle, texts in self._worked.names.items():
            for text in texts:
                yield match_key(text), text, muscle

    def _spans(self, words: tuple[str, ...]) -> Iterable[tuple[int, int, set[str]]]:
        """(start, end, muscles) for every run of ``words`` that is a name."""
        worked = self._worked
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + worked.longest) + 1):
                muscles = worked.spoken.get(words[start:end])
                if muscles:
                    yield start, end, muscles

    def mentions(self, text: str) -> frozenset[str]:
        """The muscles named somewhere inside ``text`` as whole words ("under the glute max")."""
        found: set[str] = set()
        for _start, _end, muscles in self._spans(tuple(normalize(text).split())):
            found |= muscles
        return frozenset(found)

    def without_names(self, text: str) -> str:
        """The normalised text with every muscle name left out: "which nerve supplies the TFL" →
        "which nerve supplies the"."""
        words = tuple(normalize(text).split())
        named = [False] * len(words)
        for start, end, _muscles in self._spans(words):
            named[start:end] = [True] * (end - start)
        return " ".join(word for word, gone in zip(words, named) if not gone)

    def same_meaning(self, a: str, b: str) -> bool:
        """Two names of the same muscle ("TFL", "tensor fascia lata"), or texts that say the same
        once normalised, leaving out parenthesised asides, or where one is a phrase of the other:
        "superficial gluteal group" and "superficial gluteal group (a hip abductor)" cannot be
        offered as a right answer and a wrong one."""
        if match_key(a) == match_key(b) or self.owners(a) & self.owners(b):
            return True
        core_a, core_b = core_text(a), core_text(b)
        if not core_a or not core_b:
            return False
        return f" {core_a} " in f" {core_b} " or f" {core_b} " in f" {core_a} "


_DECK_NAMES: dict[int, tuple[Deck, NameIndex]] = {}


def names_for(card: Card, deck: Deck | None, names: NameIndex | None) -> NameIndex:
    """``names``, else the deck's own (built once per deck, so that what is worked out from them
    is kept too), else the card's note's."""
    if names is not None:
        return names
    if deck is not None:
        found = _DECK_NAMES.get(id(deck))
        if found is None or found[0] is not deck:
            if len(_DECK_NAMES) >= 8:
                _DECK_NAMES.pop(next(iter(_DECK_NAMES)))
            found = _DECK_NAMES[id(deck)] = (deck, NameIndex.from_deck(deck))
        return found[1]
    return NameIndex.from_notes([card.note])


def answer_muscles(card: Card, names: NameIndex) -> frozenset[str]:
    """The muscles a card's answer names: the note's muscle for "which muscle…?" cards, or the
    muscle that one of a basic card's accepted answers is exactly a name of."""
    if card.answer_field == "name" and card.note.type == "muscle":
        return frozenset({muscle_id(card.note)})
    if card.answer_items:
        return frozenset()
    found: set[str] = set()
    for text in card.accepted or (card.answer,):
        found |= names.owners(text)
    return frozenset(found)
