"""Turning a check into a rating: wrong → Again, right → Good, Easy when fast, Hard when slow or
after a typo. Each question type gives its own time limits (``QuestionType.limits``)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Mapping

from hipquiz.core.questions.base import AGAIN, EASY, GOOD, HARD, Check
from hipquiz.core.questions.registry import TYPES
from hipquiz.core.settings import default


@dataclass(frozen=True)
class GradeThresholds:
    """Answer times (seconds) that make a right answer Easy (≤ fast) or Hard (≥ slow); the defaults
    are declared in core/settings.py.

    Defaults: choice 6 s / 20 s; typed 8 s / 25 s (typing takes longer than a key press);
    select and order 12 s / 45 s for up to 4 options, plus ``per_option_seconds`` (2 s) for each
    option beyond 4, on both limits. A right typed answer with a typo is Hard when
    ``near_miss_is_hard`` (default true). Flip cards are rated by the user, not graded; if graded
    anyway they use the choice limits.
    """

    fast_seconds: float = default("fast_seconds")
    slow_seconds: float = default("slow_seconds")
    typed_fast_seconds: float = default("typed_fast_seconds")
    typed_slow_seconds: float = default("typed_slow_seconds")
    list_fast_seconds: float = default("list_fast_seconds")
    list_slow_seconds: float = default("list_slow_seconds")
    per_option_seconds: float = default("per_option_seconds")
    near_miss_is_hard: bool = default("near_miss_is_hard")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "near_miss_is_hard":
                if not isinstance(value, bool):
                    raise ValueError(f"grading setting {f.name} must be true or false, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"grading setting {f.name} must be a number of seconds ≥ 0, got {value!r}")
        for fast, slow in (("fast_seconds", "slow_seconds"), ("typed_fast_seconds", "typed_slow_seconds"),
                           ("list_fast_seconds", "list_slow_seconds")):
            if getattr(self, fast) >= getattr(self, slow):
                raise ValueError(f"grading setting {fast} ({getattr(self, fast)}) must be less than {slow} "
                                 f"({getattr(self, slow)})")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> GradeThresholds:
        """Build from a settings table such as ``{"fast_seconds": 5, "slow_seconds": 30}``; missing
        keys keep their defaults, unknown keys or bad values raise ValueError."""
        settings = dict(settings or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ValueError(f"unknown grading setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**settings)

    def limits(self, kind: str, options: int = 0) -> tuple[float, float]:
        """(fast, slow) seconds for a question type; ``options`` counts select/order options."""
        kind_type = TYPES.get(kind)
        return kind_type.limits(self, options) if kind_type else (self.fast_seconds, self.slow_seconds)

    def list_limits(self, options: int) -> tuple[float, float]:
        """(fast, slow) for a list of ``options`` items to tick or order: longer lists take longer."""
        extra = self.per_option_seconds * max(0, options - 4)
        return self.list_fast_seconds + extra, self.list_slow_seconds + extra


def grade(check: Check, seconds: float, thresholds: GradeThresholds = GradeThresholds(), *,
          first_review: bool = False) -> int:
    """The rating (1 Again, 2 Hard, 3 Good, 4 Easy) an automatically checked answer earns.

    Wrong → Again (also a select/order answer that is only partly right: its ``item_marks`` show
    which parts were right). Right → Good; Hard after a typo (``near_miss``) or when as slow as
    the slow limit; Easy when within the fast limit. See GradeThresholds for the limits.
    On a card's ``first_review``, an answer picked from options shown (multiple choice, select all)
    earns Good at most: recognising an answer is not recalling it.
    """
    if not check.correct:
        return AGAIN
    fast, slow = thresholds.limits(check.kind, len(check.item_marks))
    if check.near_miss and thresholds.near_miss_is_hard:
        return HARD
    if seconds >= slow:
        return HARD
    if seconds <= fast:
        kind = TYPES.get(check.kind)
        return GOOD if first_review and kind is not None and kind.recognition else EASY
    return GOOD
