"""Reusable widgets: the only parts of the UI that carry DEFAULT_CSS.

Each is imported from its module when first named (``from hipquiz.tui.widgets import KeyFooter``),
as ``textual.widgets`` does: a screen loads only the widgets it uses, and the study screen's first
card does not wait for the home screen's deck table (Textual's DataTable).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hipquiz.tui.widgets.answer_list import AnswerList
    from hipquiz.tui.widgets.card_view import CardView
    from hipquiz.tui.widgets.deck_table import DeckRow, DeckTable
    from hipquiz.tui.widgets.drawing import DrawingView
    from hipquiz.tui.widgets.key_footer import KeyFooter
    from hipquiz.tui.widgets.rating_bar import RatingBar

# Widget name -> the module that defines it.
_MODULES = {
    "AnswerList": "answer_list",
    "CardView": "card_view",
    "DeckRow": "deck_table",
    "DeckTable": "deck_table",
    "DrawingView": "drawing",
    "KeyFooter": "key_footer",
    "RatingBar": "rating_bar",
}

__all__ = ["AnswerList", "CardView", "DeckRow", "DeckTable", "DrawingView", "KeyFooter", "RatingBar"]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
