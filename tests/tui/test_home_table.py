"""The home screen's deck table as drawn: whole "next due" times, and names that stay apart when cut."""

from __future__ import annotations

from datetime import timedelta

from textual.geometry import Region

import pytest

from hipquiz.core.decks import DeckLibrary, load_deck
from hipquiz.tui.widgets import DeckTable

from tui_support import DECK, START

SHIPPED = "Small hip muscles (the article)"


@pytest.fixture
def library(tmp_path) -> DeckLibrary:
    """A deck with a long name and the copy that editing it makes, "NAME (my copy)"."""
    decks = []
    for deck_id, name in (("hip", SHIPPED), ("hip-copy", f"{SHIPPED} (my copy)")):
        path = tmp_path / f"{deck_id}.toml"
        path.write_text(DECK.replace('id = "mini"', f'id = "{deck_id}"')
                        .replace('name = "Mini hip deck"', f'name = "{name}"'), encoding="utf-8")
        decks.append(load_deck(path))
    return DeckLibrary(decks, [])


def drawn(table: DeckTable) -> list[str]:
    """The table's lines as the terminal shows them."""
    return [strip.text.rstrip() for strip in table.render_lines(Region(0, 0, table.size.width, table.size.height))]


def all_studied(store, settings, library) -> None:
    """Every card reviewed, next due in 1 day 2 hours (Tue 14:00)."""
    from hipquiz.core.scheduler import Scheduler

    scheduler = Scheduler(settings)
    for deck in library.decks:
        for card in deck.cards:
            progress = scheduler.new_progress(card.id, card.answer_hash, START - timedelta(days=3))
            store.save_progress(progress.with_changes(phase="review", reps=3, due=START + timedelta(days=1, hours=2)))


async def test_next_due_is_whole_even_when_the_table_is_drawn_before_it_is_measured(make_app, store, settings,
                                                                                      library):
    all_studied(store, settings, library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DeckTable)
        # On about half of real starts the table was refilled and drawn before Textual measured
        # its new rows: the Next column kept the width of its heading ("in 1" for "in 1d (Tue
        # 14:00)") until a key redrew it. Do the same here: refill, draw at once, then settle.
        app.screen.refresh_counts()
        drawn(table)
        await pilot.pause()
        assert drawn(table)[1].endswith("in 1d (Tue 14:00)")


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_a_deck_and_its_copy_can_be_told_apart_at_any_width(make_app, store, settings, library, size):
    all_studied(store, settings, library)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DeckTable)
        shipped, copy = (line.split("  ")[0].strip() for line in drawn(table)[1:3])
        assert shipped != copy
        assert shipped.startswith("Small hip mu")
        assert "(my co" in copy
        # The counts and when the next card is due stay in view.
        assert drawn(table)[2].endswith("0    0  in 1d" if size == (40, 12) else "0    0  in 1d (Tue 14:00)")
