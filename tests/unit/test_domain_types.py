"""The domain types: a card id parsed once, ratings and phases as enums that store as before."""

from __future__ import annotations

import json

import pytest

from hipquiz.core.errors import ExitCode
from hipquiz.core.model import CardId, Phase, Rating


def test_card_id_parts_and_text():
    card_id = CardId.parse("hip-muscles/piriformis/origin")
    assert (card_id.deck, card_id.note, card_id.template) == ("hip-muscles", "piriformis", "origin")
    assert card_id.note_key == "hip-muscles/piriformis"
    assert str(card_id) == "hip-muscles/piriformis/origin"


@pytest.mark.parametrize("text", ["", "deck", "deck/note", "deck//template", "/note/template", "deck/note/"])
def test_card_id_refuses_what_is_not_one(text):
    with pytest.raises(ValueError, match="deck/note/template"):
        CardId.parse(text)


def test_ratings_and_phases_are_saved_as_before():
    """The log keeps ratings as 1-4 and card phases as their names: the enums must not change that."""
    assert json.dumps({"rating": Rating.GOOD, "phase": Phase.REVIEW}) == '{"rating": 3, "phase": "review"}'
    assert f"{Rating.HARD} {Phase.LEARNING}" == "2 learning"
    assert [int(r) for r in Rating] == [1, 2, 3, 4] and Rating.AGAIN.label == "Again"


def test_exit_codes():
    assert [int(code) for code in ExitCode] == [0, 1, 2, 70]
