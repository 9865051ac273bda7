"""Custom study (Anki's "custom study", Quizlet's Learn): what a session serves beyond today's cards
of one deck — several decks or one tag together, a limit by count or minutes, extra new cards,
reviews ahead of their day, and cram practice that leaves the schedule alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from hipquiz.core.decks import Card, Deck
from hipquiz.core.model import CardProgress, ReviewRecord

# A cram card answered Again comes back after this many other cards, so it is practised again soon
# but not at once (the answer would still be on the screen of one's mind).
CRAM_AGAIN_GAP = 3
# Bounds a person would not mean to exceed; anything past them is a typo.
MAX_LIMIT = 10_000
MAX_MINUTES = 24 * 60
MAX_AHEAD_DAYS = 365
MAX_EXTRA_NEW = 1_000


class OptionError(ValueError):
    """An option value out of range; the message says what is allowed."""


@dataclass(frozen=True)
class StudyOptions:
    """How a session departs from "today's cards, as scheduled". The default changes nothing."""

    # Answers to give at most in this session.
    limit: int | None = None
    # Minutes after which the session offers no further card (the card on screen is finished).
    minutes: float | None = None
    # New cards beyond the daily limit, for this session.
    extra_new: int = 0
    # Also review cards that fall due within this many days.
    ahead_days: int = 0
    # Practise without changing the schedule: answers are logged as cram and leave card states alone.
    cram: bool = False
    # Cram only the cards answered Again today.
    mistakes_only: bool = False

    def __post_init__(self) -> None:
        if self.limit is not None and not 1 <= self.limit <= MAX_LIMIT:
            raise OptionError(f"the card limit must be a whole number from 1 to {MAX_LIMIT}")
        if self.minutes is not None and not 0 < self.minutes <= MAX_MINUTES:
            raise OptionError(f"the time limit must be more than 0 and at most {MAX_MINUTES} minutes")
        if not 0 <= self.extra_new <= MAX_EXTRA_NEW:
            raise OptionError(f"extra new cards must be from 0 to {MAX_EXTRA_NEW}")
        if not 0 <= self.ahead_days <= MAX_AHEAD_DAYS:
            raise OptionError(f"study ahead takes 0 to {MAX_AHEAD_DAYS} days")
        if self.mistakes_only and not self.cram:
            raise OptionError("'today's mistakes' is a kind of cram: ask for cram too")
        if self.cram and (self.extra_new or self.ahead_days):
            raise OptionError("cram practises cards without scheduling them: extra new cards and "
                              "study ahead do not apply")

    def describe(self) -> str:
        """A few words for the session's title bar; empty for the default."""
        words = []
        if self.cram:
            words.append("cram: today's mistakes" if self.mistakes_only else "cram")
        if self.ahead_days:
            words.append(f"{self.ahead_days} day{'s' * (self.ahead_days != 1)} ahead")
        if self.extra_new:
            words.append(f"+{self.extra_new} new")
        if self.limit:
            words.append(f"{self.limit} card{'s' * (self.limit != 1)}")
        if self.minutes:
            words.append(f"{self.minutes:g} min")
        return " · ".join(words)


def all_tags(decks: Iterable[Deck]) -> list[str]:
    """Every tag a note of these decks carries, sorted."""
    return sorted({tag for deck in decks for note in deck.notes for tag in note.tags})


def study_set(decks: Sequence[Deck], *, tag: str | None = None) -> Deck:
    """The cards to study as one deck: a single deck as it is, or several decks and/or one tag's
    cards together. Cards keep their own ids, so progress is shared with the decks they come from."""
    if not decks:
        raise OptionError("there is no deck to study")
    if len(decks) == 1 and tag is None:
        return decks[0]
    notes = tuple(n for d in decks for n in d.notes if tag is None or tag in n.tags)
    cards = tuple(c for d in decks for c in d.cards if tag is None or tag in c.note.tags)
    if tag is not None and not cards:
        known = ", ".join(all_tags(decks)) or "none"
        raise OptionError(f"no card is tagged {tag!r} (tags: {known})")
    where = decks[0].name if len(decks) == 1 else "All decks"
    name = f"{where} · tag {tag}" if tag else where
    ident = "+".join(d.id for d in decks) + (f"#{tag}" if tag else "")
    return Deck(id=ident, name=name, path=decks[0].path, notes=notes, cards=cards,
                description=f"{len(cards)} cards from {', '.join(d.name for d in decks)}")


def cram_queue(deck: Deck, progress: dict[str, CardProgress], reviews_today: Iterable[ReviewRecord],
               retrievability, *, mistakes_only: bool) -> list[Card]:
    """The cards a cram session practises, weakest first: the ones least likely to be recalled now
    (``retrievability(progress) -> float``), then cards never studied, in deck order. Suspended
    cards are left out, as Anki's filtered decks leave them out."""
    missed = {r.card_id for r in reviews_today if r.rating == 1}
    studied: list[tuple[float, int, Card]] = []
    unseen: list[Card] = []
    for position, card in enumerate(deck.cards):
        state = progress.get(card.id)
        if state is not None and state.suspended:
            continue
        if mistakes_only and card.id not in missed:
            continue
        if state is None or state.reps == 0:
            unseen.append(card)
        else:
            studied.append((retrievability(state), position, card))
    studied.sort(key=lambda item: (item[0], item[1]))
    return [card for _, _, card in studied] + unseen


def time_is_up(options: StudyOptions, started: datetime, now: datetime) -> bool:
    return options.minutes is not None and (now - started).total_seconds() >= options.minutes * 60
