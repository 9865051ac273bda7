"""The labelled typed answers of cases.toml, and a scorer for any grader.

A grader is a function ``(card, deck, text) -> "right" | "typo" | "wrong"``. ``evaluate`` runs it
on every case whose card the shipped decks still have and counts agreement, false accepts (a wrong
answer accepted) and false rejects (a right answer or typo refused).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from hipquiz.core.decks import Card, Deck, DeckLibrary, load_library

CASES_FILE = Path(__file__).with_name("cases.toml")
VERDICTS = ("right", "typo", "wrong")


@dataclass(frozen=True)
class Case:
    card_id: str
    text: str
    expected: str


@dataclass
class Score:
    cases: int = 0
    agree: int = 0
    false_accepts: list[tuple[Case, str]] = field(default_factory=list)
    false_rejects: list[tuple[Case, str]] = field(default_factory=list)
    # Accepted or refused as expected, but typo vs right differs.
    typo_mismatches: list[tuple[Case, str]] = field(default_factory=list)
    missing_cards: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        return self.agree / self.cases if self.cases else 0.0

    def disagreements(self) -> list[str]:
        rows = [*self.false_accepts, *self.false_rejects, *self.typo_mismatches]
        return [f"{case.card_id}: {case.text!r} expected {case.expected}, got {got}" for case, got in rows]


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    for block in data["card"]:
        for verdict in VERDICTS:
            cases.extend(Case(block["id"], text, verdict) for text in block.get(verdict, ()))
    return cases


def find_card(library: DeckLibrary, card_id: str) -> tuple[Card, Deck] | None:
    for deck in library.decks:
        for card in deck.cards:
            if card.id == card_id:
                return card, deck
    return None


def evaluate(grader: Callable[[Card, Deck, str], str], cases: list[Case] | None = None,
             library: DeckLibrary | None = None) -> Score:
    cases = load_cases() if cases is None else cases
    library = load_library() if library is None else library
    score = Score()
    for case in cases:
        found = find_card(library, case.card_id)
        if found is None:
            if case.card_id not in score.missing_cards:
                score.missing_cards.append(case.card_id)
            continue
        card, deck = found
        got = grader(card, deck, case.text)
        score.cases += 1
        if got == case.expected:
            score.agree += 1
        elif case.expected == "wrong":
            score.false_accepts.append((case, got))
        elif got == "wrong":
            score.false_rejects.append((case, got))
        else:
            score.typo_mismatches.append((case, got))
    return score
