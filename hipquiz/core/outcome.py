"""What one rating would do to a card: the scheduler's answer (``Scheduler.review``).

Apart from scheduler.py so that a start does not make it: it is needed from the first rating on (as
fsrs is), not to show the first card, and each dataclass made at import costs every start ~0.3 ms
(tests/tui/test_start_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hipquiz.core.model import CardProgress


@dataclass(frozen=True)
class Outcome:
    """What one rating would do to a card."""

    rating: int
    progress: CardProgress
    review_datetime: datetime = field(compare=False)

    @property
    def interval(self) -> timedelta:
        return self.progress.due - self.review_datetime
