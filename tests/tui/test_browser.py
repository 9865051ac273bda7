"""The card browser as a user drives it: search as you type, filters, a card opened with its note,
history and schedule; legible at 80x24 and at 40x12."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from hipquiz.core.scheduler import Scheduler
from hipquiz.core.session import set_suspended
from hipquiz.tui.screens.browser import CardBrowserScreen
from hipquiz.tui.screens.card_detail import CardDetailScreen

from tui_support import START


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#browse-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def open_browser(pilot):
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardBrowserScreen)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_every_row_can_be_told_apart_at_any_size(make_types_app, size):
    app = make_types_app("flip")
    async with app.run_test(size=size) as pilot:
        await open_browser(pilot)
        labels = [row[0] for row in rows(app)]
        assert len(labels) == len(app.library.decks[0].cards)
        assert len(set(labels)) == len(labels), labels
        # Wide: answer, state, due, lapses and tags; narrow: state and due beside the card.
        assert len(rows(app)[0]) == (6 if size[0] == 80 else 3)


async def test_search_as_you_type_and_filters_by_state_and_tag(make_types_app, store, settings, types_library):
    card = types_library.decks[0].cards[0]
    set_suspended(store, Scheduler(settings), card, True, START)
    app = make_types_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(pilot)
        total = len(rows(app))
        await pilot.press("slash", *"obturator")
        await pilot.pause()
        assert rows(app) and all("obturator" in row[1].casefold() for row in rows(app))
        assert text(app, "#browse-status").startswith(f"{len(rows(app))} of {total} cards")
        await pilot.press(*["backspace"] * 9, "enter")  # back to all, and to the list
        await pilot.pause()
        assert len(rows(app)) == total
        await pilot.press("s", "s", "s", "s")  # new → learning → review → suspended
        await pilot.pause()
        assert "is:suspended" in app.screen.search_text
        assert [row[0] for row in rows(app)] == ["which here: TFL"]


async def test_enter_opens_a_card_with_its_note_history_and_schedule(make_types_app, store, settings, types_library):
    from hipquiz.core.model import ReviewRecord

    card = types_library.decks[0].cards[0]
    scheduler = Scheduler(settings)
    before = scheduler.new_progress(card.id, card.answer_hash, START)
    after = scheduler.review(before, 3, START).progress
    store.record_review(ReviewRecord("r1", card.id, 3, START, 4000, "typed", None), after)
    app = make_types_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailScreen)
        assert card.prompt.splitlines()[0] in text(app, "#detail-card")
        assert "Good" in text(app, "#detail-history") and "typed" in text(app, "#detail-history")
        assert "state: learning" in text(app, "#detail-schedule") and "due:" in text(app, "#detail-schedule")
        note = text(app, "#detail-note")
        assert "Note tfl (muscle)" in note and "source: The TFL is found" in note
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)


def test_prompts_that_share_a_long_beginning_show_where_they_differ():
    from hipquiz.tui.screens.browser import told_apart

    labels = ["Of this deck's muscles, which ones insert into the IT band?",
              "Of this deck's muscles, which ones are deep lateral rotators?",
              "Where is the TFL?"]
    shown = told_apart(labels, 19)
    assert shown[2] == "Where is the TFL?"
    assert shown[0].startswith("Of…insert into") and shown[1].startswith("Of…are deep")
    muscles = told_apart(["innervation: gem. inferior", "innervation: gem. superior", "blood supply: gem. inferior",
                          "blood supply: gem. superior"], 19)
    assert muscles == ["innervation:…inferior", "innervation:…superior", "blood supply:…inferior",
                       "blood supply:…superior"]


def big_deck_app(tmp_path, store, settings, clock, notes: int):
    from hipquiz.core.decks import DeckLibrary, load_deck
    from hipquiz.tui.app import HipquizApp
    from tui_support import collection_of

    body = "".join(f'\n[[notes]]\nid = "n{i}"\ntype = "basic"\nsource = "s"\nquestion = "Question number {i}?"\n'
                   f'answer = "answer {i}"\n' for i in range(notes))
    path = tmp_path / "big.toml"
    path.write_text('[deck]\nid = "big"\nname = "Big deck"\n' + body, encoding="utf-8")
    library = DeckLibrary([load_deck(path)], [])
    return HipquizApp(collection=collection_of(library, store, clock, {"settings": settings}))


async def test_a_search_key_puts_a_page_of_rows_in_the_table_and_every_card_is_still_reached(
        tmp_path, store, settings, clock, monkeypatch):
    """Typing into the search of a big deck refills the table with one page of rows, not every card
    (which took most of a second a key at 5,000 notes); moving down brings in the rest."""
    from textual.widgets import DataTable
    from hipquiz.tui.screens import browser

    monkeypatch.setattr(browser, "PAGE_ROWS", 40)
    app = big_deck_app(tmp_path, store, settings, clock, 150)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(pilot)
        table = app.screen.query_one("#browse-table", DataTable)
        added = []
        monkeypatch.setattr(DataTable, "add_row", lambda self, *a, _add=DataTable.add_row, **k: (
            added.append(1), _add(self, *a, **k))[1])
        await pilot.press("slash")
        await pilot.pause()
        added.clear()
        await pilot.press("q")
        await pilot.pause()
        assert text(app, "#browse-status").startswith("150 of 150 cards")
        assert len(added) <= 40 and table.row_count <= 40
        await pilot.press("enter", *["pagedown"] * 12)  # to the list, then down it, a page at a time
        await pilot.pause()
        assert table.row_count == 150
        assert str(table.get_row_at(table.cursor_row)[0]).startswith("Question number 149?")
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0
        await pilot.press("slash", *" 1")  # more matches than a page: End goes to the last of them at once
        await pilot.press("enter", "end")
        await pilot.pause()
        assert str(table.get_row_at(table.cursor_row)[0]).startswith("Question number 149?")
        await pilot.press("slash", *["backspace"] * 2, *"number 14")
        await pilot.pause()
        assert [row[0] for row in rows(app)] == [f"Question number {i}?" for i in range(150) if "14" in str(i)]


@pytest.mark.parametrize("typed", ["tfl", ""])
async def test_escape_in_the_search_box_leaves_the_box_then_the_browser(make_types_app, typed):
    app = make_types_app("flip")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(pilot)
        browser = app.screen
        await pilot.press("slash", "ctrl+u", *typed, "escape")  # Ctrl+U empties the box
        await pilot.pause()
        assert app.screen is browser, "the first Escape leaves only the search box"
        assert app.focused is browser.query_one("#browse-table", DataTable)
        assert browser.search_text.strip() == typed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not browser
