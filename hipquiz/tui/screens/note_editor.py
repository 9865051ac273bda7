"""Add a note to one of your decks, or edit one: a form whose fields follow the note type, with the
lexicon's terms offered as you type a name or an answer. The deck file keeps its comments and
layout; nothing is written unless the deck still loads."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from hipquiz.core.decks import Deck, Note
from hipquiz.core.library import DeckOrigin, editable_decks, put_deck
from hipquiz.core.note_edit import (
    COMMON_FIELDS,
    EDITOR_FIELDS,
    LIST_FIELDS,
    MY_NOTES,
    NoteDraft,
    NoteEditError,
    add_note,
    add_note_to_new_deck,
    copy_deck,
    new_deck_path,
    update_note,
)
from hipquiz.core.errors import StoreError
from hipquiz.tui.widgets import KeyFooter

NEW_DECK = "__new__"
LABELS = {
    "question": "Question",
    "answer": "Answer",
    "items": "Items (one a line)",
    "ordered": "The order is part of the answer",
    "name": "Muscle name",
    "location": "Where it lies",
    "functions": "What it does (one a line)",
    "source": "Source (shown with the answer)",
    "caveat": "Caveat (optional)",
    "tags": "Tags (separated by spaces)",
}
# Fields where the lexicon's terms (muscle names, directions, bones…) are offered as you type.
SUGGESTED = {"name", "answer", "location"}


def lexicon_terms(user_dir) -> list[str]:
    """Every preferred name in the lexicon (the user's own terms too); none if it cannot be loaded."""
    from hipquiz.core.lexicon import Lexicon, LexiconError

    try:
        lexicon = Lexicon.load(user_dir) if user_dir is not None else Lexicon.shipped()
    except (LexiconError, OSError):  # a broken lexicon must not stop anyone adding a note
        return []
    return sorted({term.name for term in lexicon}, key=str.casefold)


class NoteEditorScreen(Screen[str | None]):
    """Dismissed with "DECK_ID/NOTE_ID" of the note saved, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, note: Note | None = None, deck: Deck | None = None, *,
                 copied_from: Deck | None = None) -> None:
        """``copied_from``: the shipped deck ``note``'s deck was just copied from, to say where the
        edit goes."""
        super().__init__()
        self.note = note
        self.start_deck = deck
        self.copied_from = copied_from
        self.draft = NoteDraft.of(note) if note is not None else NoteDraft("basic")
        self._as_opened: tuple = ()  # the form as first shown (on_mount)

    @property
    def editing(self) -> bool:
        return self.note is not None

    def compose(self) -> ComposeResult:
        title = f"Edit note · {self.note.id}" if self.note else "Add a note"
        yield Static(title, classes="title-bar", id="editor-title")
        terms = lexicon_terms(self.app.library.user_dir)
        with VerticalScroll(id="editor"):
            if not self.editing:
                decks = editable_decks(self.app.library)
                options = [(deck.name, deck.id) for deck in decks]
                options.append((f"A new deck: {MY_NOTES}", NEW_DECK))
                chosen = self.start_deck.id if self.start_deck and self.start_deck in decks else options[0][1]
                yield Label("Deck")
                yield Select(options, value=chosen, allow_blank=False, id="editor-deck")
                yield Label("Type")
                yield Select([("Question and answer", "basic"), ("List", "list"), ("Muscle", "muscle")],
                             value="basic", allow_blank=False, id="editor-type")
            for key in ("question", "answer", "items", "ordered", "name", "location", "functions", *COMMON_FIELDS):
                yield from self._field(key, terms)
            yield Static(id="editor-problems")
            yield Button("Save (Ctrl+S)", variant="primary", id="editor-save")
        yield KeyFooter()

    def _field(self, key: str, terms: list[str]) -> ComposeResult:
        value = self.draft.values.get(key)
        if key == "ordered":
            yield Checkbox(LABELS[key], value=bool(value), id=f"field-{key}", classes="field")
            return
        yield Label(LABELS[key], id=f"label-{key}", classes="field")
        if key in LIST_FIELDS and key != "tags":
            yield TextArea("\n".join(value or ()), id=f"field-{key}", classes="field", soft_wrap=True,
                           show_line_numbers=False)
        else:
            text = " ".join(value or ()) if key == "tags" else str(value or "")
            suggester = SuggestFromList(terms, case_sensitive=False) if key in SUGGESTED and terms else None
            yield Input(text, id=f"field-{key}", classes="field", suggester=suggester)

    def on_mount(self) -> None:
        self._show_fields()
        # The first field one types into (the question): letters typed at once are not lost on the
        # Deck and Type lists above it, which Shift+Tab reaches.
        self.query_one(f"#field-{EDITOR_FIELDS[self.note_type][0]}").focus()
        self._as_opened = self._form()

    def on_key(self, event: events.Key) -> None:
        """Letters typed while the form was being built came to the screen (no field had the focus
        yet): give them to the field that has it now, in the order typed."""
        focused = self.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)):
            event.stop()
            focused.post_message(events.Key(event.key, event.character))

    def _form(self) -> tuple:
        """Everything the form holds (hidden fields too), to tell whether anything was typed."""
        chosen = () if self.editing else tuple(self.query_one(f"#editor-{key}", Select).value
                                               for key in ("deck", "type"))
        fields = ("question", "answer", "items", "ordered", "name", "location", "functions", *COMMON_FIELDS)
        return (*chosen, *(self._value(key) for key in fields))

    @property
    def note_type(self) -> str:
        if self.editing:
            return self.draft.type
        return str(self.query_one("#editor-type", Select).value)

    @on(Select.Changed, "#editor-type")
    def _type_changed(self) -> None:
        self._show_fields()

    def _show_fields(self) -> None:
        wanted = {*EDITOR_FIELDS[self.note_type], *COMMON_FIELDS}
        for widget in self.query(".field"):
            key = (widget.id or "").split("-", 1)[1]
            widget.display = key in wanted

    def _value(self, key: str):
        widget: Widget = self.query_one(f"#field-{key}")
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, TextArea):
            return [line.strip() for line in widget.text.splitlines() if line.strip()]
        text = widget.value if isinstance(widget, Input) else ""
        return text.split() if key == "tags" else text

    def action_save(self) -> None:
        note_type = self.note_type
        draft = NoteDraft(note_type, {key: self._value(key) for key in (*EDITOR_FIELDS[note_type], *COMMON_FIELDS)})
        library = self.app.library
        try:
            if self.editing:
                assert self.note is not None
                deck = next(d for d in library.decks if d.id == self.note.deck_id)
                saved = update_note(deck.path, self.note.id, draft)
                note_id = self.note.id
            else:
                deck_id = str(self.query_one("#editor-deck", Select).value)
                if deck_id == NEW_DECK:
                    if library.user_dir is None:
                        raise NoteEditError(["there is no deck folder to put a new deck in"])
                    path, new_id = new_deck_path(library.user_dir, {d.id for d in library.decks})
                    saved, note_id = add_note_to_new_deck(path, new_id, MY_NOTES, draft)
                else:
                    deck = next(d for d in library.decks if d.id == deck_id)
                    saved, note_id = add_note(deck.path, draft)
        except (NoteEditError, OSError) as exc:
            problems = exc.problems if isinstance(exc, NoteEditError) else [str(exc)]
            self.query_one("#editor-problems", Static).update(
                Content.styled("Not saved: " + "; ".join(problems), "bold $error"))
            return
        origin = library.origins.get(saved.id, DeckOrigin.USER)
        put_deck(library, saved, DeckOrigin(origin))
        try:
            # An answer edited after the card was learned: that card is learned again, history kept.
            self.app.collection.reconcile_edits()
        except StoreError as exc:
            self.notify(str(exc), title="Progress not updated", severity="error", timeout=10, markup=False)
        if self.copied_from is not None:
            # The card on the screen below was the shipped one: without this it looked unchanged.
            self.notify(f"Your edit is in your deck '{saved.name}' ({len(saved.cards)} cards, new to you; "
                        f"'{self.copied_from.name}' is unchanged). Study it from the home screen or with "
                        f"`hipquiz study {saved.id}`.", title="Saved in your copy", timeout=12, markup=False)
        else:
            self.notify(f"Saved to {saved.path}", markup=False)
        self.dismiss(f"{saved.id}/{note_id}")

    def action_cancel(self) -> None:
        """Leave without saving; when something was typed or changed, ask first, as editors do."""
        if self._form() == self._as_opened:
            self.dismiss(None)
            return
        from hipquiz.tui.screens.confirm import ConfirmModal

        focused = self.focused

        def discard(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)
            elif focused is not None:
                focused.focus()

        what = "this note" if not self.editing else "your changes to this note"
        self.app.push_screen(ConfirmModal(f"Discard {what}? What you typed has not been saved.",
                                          "Discard", no_label="Keep editing"), discard)


def open_note_editor(screen: Screen, note: Note | None, deck: Deck | None = None, on_saved=None) -> None:
    """Edit ``note`` (or add one to ``deck``). A note of a shipped deck is read-only: offer to copy
    the deck into the user's folder first, then edit the copy's note."""
    from hipquiz.tui.screens.confirm import ConfirmModal

    app = screen.app
    library = app.library
    deck_id = note.deck_id if note is not None else (deck.id if deck else None)
    origin = DeckOrigin(library.origins.get(deck_id, DeckOrigin.SHIPPED)) if deck_id else DeckOrigin.USER
    if note is None or origin.editable:
        app.push_screen(NoteEditorScreen(note, deck if note is None and origin.editable else None), on_saved)
        return
    shipped = next(d for d in library.decks if d.id == note.deck_id)

    def copy(yes: bool | None) -> None:
        if not yes:
            return
        if library.user_dir is None:
            screen.notify("There is no deck folder to copy the deck into.", severity="error")
            return
        try:
            copied = copy_deck(shipped, library.user_dir, {d.id for d in library.decks})
        except (NoteEditError, OSError) as exc:
            screen.notify(str(exc), title="Not copied", severity="error", timeout=10, markup=False)
            return
        put_deck(library, copied, DeckOrigin.USER)
        screen.notify(f"Copied to {copied.path}", markup=False)
        app.push_screen(NoteEditorScreen(copied.note(note.id), copied_from=shipped), on_saved)

    app.push_screen(ConfirmModal(
        f"{shipped.name} is shipped with hipquiz and cannot be changed. Copy it into your deck folder "
        "and edit the copy? The copy's cards start without this deck's progress.",
        "Copy and edit", yes_variant="primary"), copy)
