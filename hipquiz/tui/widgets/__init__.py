"""Reusable widgets: the only parts of the UI that carry DEFAULT_CSS."""

from hipquiz.tui.widgets.answer_list import AnswerList
from hipquiz.tui.widgets.card_view import CardView
from hipquiz.tui.widgets.deck_table import DeckRow, DeckTable
from hipquiz.tui.widgets.drawing import DrawingView
from hipquiz.tui.widgets.key_footer import KeyFooter
from hipquiz.tui.widgets.rating_bar import RatingBar

__all__ = ["AnswerList", "CardView", "DeckRow", "DeckTable", "DrawingView", "KeyFooter", "RatingBar"]
