"""Adding and editing notes in the app: a note added into a user deck is studied, its prompt edited,
and its progress follows it; a shipped deck is copied before it is edited."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual import events
from textual.widgets import Input, Select, Static

from hipquiz.core.decks import load_deck
from hipquiz.core.library import discover
from hipquiz.tui.app import HipquizApp
from hipquiz.tui.screens.browser import CardBrowserScreen
from hipquiz.tui.screens.card_detail import CardDetailScreen
from hipquiz.tui.screens.confirm import ConfirmModal
from hipquiz.tui.screens.home import HomeScreen
from hipquiz.tui.screens.note_editor import NoteEditorScreen
from hipquiz.tui.screens.study import StudyScreen

from tui_support import DECK, collection_of

USER_DECK = """\
# My own flexor deck: this comment must survive edits made in the app.
[deck]
id = "flexors"
name = "Hip flexors"

[[notes]]
id = "psoas"
type = "basic"
question = "Which muscle is the main hip flexor?"
answer = "iliopsoas"
source = "my lecture notes"
"""


def make(tmp_path: Path, store, settings, clock, *, with_shipped: bool = False) -> HipquizApp:
    shipped = tmp_path / "shipped"
    shipped.mkdir(exist_ok=True)
    if with_shipped:
        (shipped / "mini.toml").write_text(DECK, encoding="utf-8")
    user = tmp_path / "decks"
    user.mkdir(exist_ok=True)
    (user / "flexors.toml").write_text(USER_DECK, encoding="utf-8")
    library = discover(user, shipped=shipped)
    return HipquizApp(collection=collection_of(library, store, clock, {"settings": settings}))


async def type_into(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).focus()
    await pilot.pause()
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def test_add_a_note_study_it_edit_its_prompt_and_keep_its_progress(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    path = tmp_path / "decks" / "flexors.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        assert editor.query_one("#editor-deck", Select).value == "flexors"
        await type_into(pilot, "#field-question", "Which muscle flexes the hip and rotates it medially?")
        await type_into(pilot, "#field-answer", "tensor")
        await pilot.pause()
        # The lexicon offers the whole name as you type; → takes it.
        await pilot.press("right")
        assert editor.query_one("#field-answer", Input).value.casefold().startswith("tensor fasci")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)

        deck = load_deck(path)
        [note] = [n for n in deck.notes if n.id != "psoas"]
        card_id = f"flexors/{note.id}/basic"
        assert "this comment must survive" in path.read_text(encoding="utf-8")

        # Study it: the new card comes after the old one.
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        for _ in range(2):
            await pilot.press("space", "4")
            await pilot.pause()
        progress = store.all_progress()[card_id]
        assert progress.reps == 1
        await pilot.press("q")
        await pilot.pause()

        # Edit its prompt from the card browser.
        await pilot.press("c")
        await pilot.pause()
        browser = app.screen
        browser.query_one("#browse-search", Input).value = "deck:flexors rotates"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailScreen)
        await pilot.press("e")
        await pilot.pause()
        question = app.screen.query_one("#field-question", Input)
        question.value = "Which muscle flexes the hip and turns it inward?"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailScreen)
        assert "turns it inward" in str(app.screen.query_one("#detail-card", Static).render())
        assert "state: " in str(app.screen.query_one("#detail-schedule", Static).render())

    assert load_deck(path).note(note.id).text("question") == "Which muscle flexes the hip and turns it inward?"
    assert "this comment must survive" in path.read_text(encoding="utf-8")
    kept = store.all_progress()[card_id]
    assert kept.reps == 1 and kept.due == progress.due and not kept.relearn


async def test_a_note_that_would_not_load_is_not_saved(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    path = tmp_path / "decks" / "flexors.toml"
    before = path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        await pilot.pause()
        await type_into(pilot, "#field-question", "Only a question")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert "Not saved: fill in the answer" in str(app.screen.query_one("#editor-problems", Static).render())
    assert path.read_bytes() == before


async def test_editing_a_shipped_deck_offers_a_copy_in_the_user_folder(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock, with_shipped=True)
    shipped_file = tmp_path / "shipped" / "mini.toml"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#browse-search", Input).value = "deck:mini"
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        app.screen.query_one("#field-answer", Input).value = "Top, outside of the thigh"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert shipped_file.read_text(encoding="utf-8") == DECK
    copy = load_deck(tmp_path / "decks" / "mini-copy.toml")
    assert copy.name == "Mini hip deck (my copy)"
    assert copy.note("tfl-place").text("answer") == "Top, outside of the thigh"


async def test_an_edit_of_a_shipped_card_says_it_went_into_the_copy_and_shows_the_copys_card(
        tmp_path, store, settings, clock):
    """Browser → Enter → e → y → edit → Ctrl+S: the detail shows the edited card of the copy, and a
    message says where the edit went and how to study it (it looked as if nothing had changed)."""
    app = make(tmp_path, store, settings, clock, with_shipped=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#browse-search", Input).value = "deck:mini"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardDetailScreen)
        await pilot.press("e", "y")
        await pilot.pause()
        app.screen.query_one("#field-answer", Input).value = "Top, outside of the thigh"
        await pilot.press("ctrl+s")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, CardDetailScreen)
        assert detail.card.deck_id == "mini-copy"
        assert "Top, outside of the thigh" in str(detail.query_one("#detail-card", Static).render())
        said = " ".join(str(n.message) for n in app._notifications)
        assert "Mini hip deck (my copy)" in said and "hipquiz study mini-copy" in said, said


async def test_adding_a_note_starts_in_the_question_so_letters_typed_at_once_are_kept(
        tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a", "W", "h", "y")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#field-question", Input).value == "Why"
        # The deck and type lists are still there, above it.
        await pilot.press("shift+tab")
        assert app.focused is app.screen.query_one("#editor-type", Select)


async def test_letters_typed_while_the_form_opens_are_kept(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        # As a terminal sends them: "a", then letters while the form is still being built.
        app.post_message(events.Key("a", "a"))
        for _ in range(1000):  # bounded: until the editor is the screen keys go to
            if isinstance(app.screen, NoteEditorScreen):
                break
            await asyncio.sleep(0)
        assert app.focused is None, "the form is still being built"
        for key in ("W", "h", "y"):
            app.post_message(events.Key(key, key))
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#field-question", Input).value == "Why"


async def test_escape_after_typing_asks_before_throwing_the_note_away(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    path = tmp_path / "decks" / "flexors.toml"
    before = path.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        await pilot.pause()
        editor = app.screen
        await type_into(pilot, "#field-question", "Which muscle")
        await type_into(pilot, "#field-answer", "psoas")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Discard this note?" in str(app.screen.query_one("#question", Static).render())
        # No (or Escape again) goes back to the form with the text and the cursor where they were.
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is editor
        assert editor.query_one("#field-question", Input).value == "Which muscle"
        assert app.focused is editor.query_one("#field-answer", Input)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is editor and editor.query_one("#field-answer", Input).value == "psoas"
        # Yes discards it.
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
    assert path.read_bytes() == before


async def test_escape_leaves_at_once_when_nothing_was_typed_or_changed(tmp_path, store, settings, clock):
    app = make(tmp_path, store, settings, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "a")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
        # Editing a note: its own text does not count as typed.
        app.screen.query_one("#browse-search", Input).value = "deck:flexors"
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CardBrowserScreen)
        await pilot.press("e", "x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert "Discard your changes to this note?" in str(app.screen.query_one("#question", Static).render())
