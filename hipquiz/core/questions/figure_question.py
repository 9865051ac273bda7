"""The question of the picture types (where.py, lit.py): a question shown with a drawing.

Apart from those types' modules, which the registry imports to start: a start asks no picture
question before its first card, and each dataclass made at import costs every start ~0.3 ms
(tests/tui/test_start_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hipquiz.core.questions.base import Question

if TYPE_CHECKING:
    from hipquiz.core import figures


@dataclass(frozen=True)
class FigureQuestion(Question):
    """A question shown with a drawing."""

    figure: figures.Figure | None = None
    # The same card asked in words, for a terminal too small for the drawing.
    words: Question | None = None
