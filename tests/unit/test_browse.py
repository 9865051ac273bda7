"""The browser's search: words anywhere in prompt, answer, tag or muscle; filters by deck, state and tag."""

from __future__ import annotations

from datetime import datetime, timezone

from hipquiz.core.browse import browse_rows, parse_query, search, set_filter
from hipquiz.core.decks import load_deck, shipped_decks_dir

NOW = datetime(2025, 3, 10, 12, tzinfo=timezone.utc)


def test_words_match_anywhere_ignoring_case_and_accents():
    deck = load_deck(shipped_decks_dir() / "hip-muscles.toml")
    rows = browse_rows([deck], {}, NOW)
    found = search(rows, "OBTURATOR internus")
    assert found and all("obturator internus" in (r.card.prompt + r.card.answer + r.card.note.name).casefold() for r in found)
    assert search(rows, "óbturator") == search(rows, "obturator")
    assert search(rows, "is:new deck:hip-muscles") == rows
    assert search(rows, "is:review") == []
    tagged = search(rows, "tag:tfl")
    assert tagged and all("tfl" in r.card.note.tags for r in tagged)


def test_unknown_filters_are_kept_to_be_shown_and_filters_are_replaced():
    assert parse_query("is:dué glute").unknown == ("is:dué",)
    assert set_filter("glute deck:a is:new", "deck", "b") == "glute is:new deck:b"
    assert set_filter("glute deck:a", "deck", None) == "glute"
