"""Which muscle and which kind of fact a card is about: the rows of "mastery by muscle / by topic".

Read from the deck, never from the card's wording alone: the note's type and id, the field that
holds the answer, the template and the tags. A card about no single muscle (a list of the deep six,
training advice) has no muscle; a card of no known kind counts as "other".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from hipquiz.core.decks import Card, Deck

# The topics in the order the statistics show them: (key, label).
TOPICS = (
    ("location", "location"),
    ("action", "action"),
    ("innervation", "innervation"),
    ("attachment", "origin/insertion"),
    ("blood", "blood supply"),
    ("clinical", "clinical"),
    ("advice", "article advice"),
    ("other", "other facts"),
)
TOPIC_LABELS = dict(TOPICS)

# The note field that holds a card's answer, or its template, names its topic first ...
_BY_FIELD = {
    "location": "location", "region": "location", "layer": "location",
    "name-from-location": "location",
    "functions": "action", "actions": "action", "name-from-functions": "action",
    "innervation": "innervation", "nerve": "innervation",
    "origin": "attachment", "insertion": "attachment",
    "blood_supply": "blood", "blood-supply": "blood", "blood": "blood", "artery": "blood",
    "clinical": "clinical",
    # The cards asked across muscles ("Which muscles arise from ...?"), by template.
    "arises-from": "attachment", "inserts-into": "attachment",
    "moves": "action", "moves-only-when": "action", "prime-mover": "action",
    "supplied-by": "innervation", "fed-by": "blood", "in-layer": "location",
}
# ... then the note's tags, in this order (a nerve-injury card tagged "clinical" and "nerve" is clinical).
_BY_TAG = (
    ("clinical", "clinical"),
    ("advice", "advice"), ("exercise", "advice"),
    ("blood-supply", "blood"), ("blood", "blood"), ("artery", "blood"),
    ("nerve", "innervation"), ("innervation", "innervation"),
    ("origin", "attachment"), ("insertion", "attachment"),
    ("function", "action"), ("action", "action"),
    ("location", "location"),
)


def topic_of(card: Card) -> str:
    """The topic key of a card (one of ``TOPICS``)."""
    for name in (card.answer_field, card.template):
        if name in _BY_FIELD:
            return _BY_FIELD[name]
    tags = set(card.note.tags)
    for tag, topic in _BY_TAG:
        if tag in tags:
            return topic
    # A basic note named after its field ("gluteus-medius-origin") says its topic in its id.
    for word in reversed(card.note_id.split("-")):
        if word in _BY_FIELD:
            return _BY_FIELD[word]
    return "other"


@dataclass(frozen=True)
class Muscle:
    key: str  # the muscle note's id, the same in every deck that has the muscle
    name: str


class MuscleIndex:
    """Finds the muscle a card is about, from the muscle notes of the decks it is built with."""

    def __init__(self, decks: Iterable[Deck]) -> None:
        self.muscles: dict[str, Muscle] = {}
        for deck in decks:
            for note in deck.notes:
                if note.type == "muscle" and note.id not in self.muscles:
                    self.muscles[note.id] = Muscle(note.id, note.name)
        # Longest id first, so "gluteus-medius-origin" finds "gluteus-medius", not "gluteus".
        self._by_length = sorted(self.muscles, key=len, reverse=True)

    def muscle_of(self, card: Card) -> Muscle | None:
        note = card.note
        if note.type == "muscle":
            return self.muscles.get(note.id)
        for key in self._by_length:
            if note.id == key or note.id.startswith(key + "-"):
                return self.muscles[key]
        return None

