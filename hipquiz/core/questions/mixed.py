"""The mixed mode's picker: which type to ask a card in a session's mode.

A fixed mode asks the type of that name when the card supports it, else a type the mode also asks
(an ordered list in the select mode), else flip. "mixed" draws among the card's checked types,
weakest first.
"""

from __future__ import annotations

import random
from typing import Mapping, Sequence

from hipquiz.core.questions.registry import FLIP, MIXED, MODES, TYPES


def pick(kinds: Sequence[str], mode: str, type_stats: Mapping[str, tuple[int, int]] | None = None,
         rng: random.Random | None = None) -> str:
    """The type to ask, given the types the card supports (``kinds``) and the session's ``mode``.

    "mixed" draws among the supported types other than self-rated ones (flip only when nothing
    else fits), each weighted by its smoothed error rate ``(wrong + 1) / (asked + 2)`` from
    ``type_stats``: types the card is weakest in, and types not tried yet, come up more often.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r} (one of: {', '.join(MODES)})")
    if mode != MIXED:
        if mode in kinds:
            return mode
        return next((kind for kind in kinds if TYPES[kind].asked_in == mode), FLIP)
    candidates = [kind for kind in kinds if not TYPES[kind].self_rated] or [FLIP]
    if len(candidates) == 1:
        return candidates[0]
    stats = type_stats or {}
    weights = []
    for kind in candidates:
        asked, wrong = stats.get(kind, (0, 0))
        weights.append((wrong + 1) / (asked + 2))
    rng = rng if rng is not None else random.Random()
    return rng.choices(candidates, weights=weights)[0]
