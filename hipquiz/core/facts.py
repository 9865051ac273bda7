"""The structured fields of a muscle note, as a loaded deck holds them: a ``Fact`` per field (origin,
insertion, innervation...) and the muscle's ``Action`` list.

Apart from ``templates.py`` (reading these fields from a deck file and making cards of them): a
deck read back from the parse cache holds these values, so they are loaded with it, while the
templates are needed only when a deck file is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass

# The structured fields of a muscle note. Each is a table (``[notes.origin]``); ``actions`` is an
# array of tables (``[[notes.actions]]``).
FACT_FIELDS = ("origin", "insertion", "innervation", "blood_supply", "layer", "groups")
STRUCTURED_FIELDS = (*FACT_FIELDS, "actions")
# How much of a movement a muscle does. "disputed": sources differ, so the muscle is neither asked
# for nor offered as a wrong answer in questions about that movement (and the action is not shown).
ROLES = {"prime": "prime mover", "main": "a main mover", "assists": "assists", "": "", "disputed": ""}


@dataclass(frozen=True)
class Fact:
    """One field of one muscle: the answer shown, the terms it names, and where it comes from."""

    answer: str
    terms: tuple[str, ...] = ()
    # Terms that sources dispute for this muscle: never asked, never offered as a wrong answer.
    unsure: tuple[str, ...] = ()
    # Short forms a typed answer may give ("ASIS" for the TFL's origin).
    typed: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    caveat: str = ""


@dataclass(frozen=True)
class Action:
    """One action of a muscle: a movement term or words, how much of it the muscle does, and
    where that comes from."""

    movement: str  # a movement term ("abduction of the hip"), or "" for another action
    text: str  # the action in words, as shown
    role: str = ""
    detail: str = ""  # "upper fibres", "especially from a flexed position"
    when: str = ""  # "flexed": the muscle does it only when the hip is flexed
    sources: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        details = [d for d in (ROLES[self.role], self.detail, f"only when the hip is {self.when}" if self.when else "") if d]
        return f"{self.text} ({'; '.join(details)})" if details else self.text
