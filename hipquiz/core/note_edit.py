"""Adding and editing notes of the user's decks from the app.

The deck file is changed with tomlkit, so its comments and layout stay as the user wrote them; the
new text is validated by the deck loader before it is written (atomically), and nothing is written
when it would not load. A note keeps its id when edited, so its cards keep their ids and their
progress. Shipped decks are never written: they can be copied into the user's folder instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from hipquiz.core.decks import Deck, DeckError, Note, parse_deck
from hipquiz.core.interchange.deck_writer import toml_text
from hipquiz.core.userdecks import slug, write_text_atomically

# What the editor shows for each note type, in order; list fields are one item a line.
EDITOR_FIELDS = {
    "basic": ("question", "answer"),
    "list": ("question", "items", "ordered"),
    "muscle": ("name", "location", "functions"),
}
COMMON_FIELDS = ("source", "caveat", "tags")
LIST_FIELDS = {"items", "functions", "tags"}
REQUIRED = {"basic": ("question", "answer"), "list": ("question", "items"), "muscle": ("name",)}
DEFAULT_SOURCE = "My own note"
MY_NOTES = "My notes"


class NoteEditError(Exception):
    """The note was not saved; ``problems`` says what to fix (one line each)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class NoteDraft:
    """A note as the editor holds it: plain values, list fields as lists."""

    type: str
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, note: Note) -> NoteDraft:
        values: dict[str, Any] = {}
        for key in (*EDITOR_FIELDS[note.type], *COMMON_FIELDS):
            if key == "tags":
                values[key] = list(note.tags)
            elif key == "caveat":
                values[key] = note.caveat
            elif key == "source":
                values[key] = note.source
            elif key in LIST_FIELDS:
                values[key] = list(note.items(key))
            elif key == "ordered":
                values[key] = bool(note.fields.get("ordered", False))
            else:
                values[key] = note.text(key)
        return cls(note.type, values)

    def problems(self) -> list[str]:
        missing = [key for key in REQUIRED[self.type] if not self.values.get(key)]
        return [f"fill in the {key}" for key in missing]

    def table_values(self) -> dict[str, Any]:
        """Key → TOML value, or None for a key the note should no longer have."""
        out: dict[str, Any] = {}
        for key in (*EDITOR_FIELDS[self.type], *COMMON_FIELDS):
            value = self.values.get(key)
            if key == "ordered":
                out[key] = True if value else None
            elif key in LIST_FIELDS:
                items = [str(v).strip() for v in value or () if str(v).strip()]
                out[key] = items or None
            else:
                text = str(value or "").strip()
                out[key] = toml_text(text) if text else None
        if out.get("source") is None:
            out["source"] = DEFAULT_SOURCE
        return out


def _document(path: Path) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise NoteEditError([f"cannot read {path}: {exc}"]) from None


def _notes(document: tomlkit.TOMLDocument) -> AoT:
    notes = document.get("notes")
    if notes is None:
        notes = tomlkit.aot()
        document.add("notes", notes)
    if not isinstance(notes, AoT):
        raise NoteEditError(["the deck's 'notes' are not [[notes]] tables; fix the file by hand"])
    return notes


def _set(table: Table, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value is None:
            if key in table:
                del table[key]
        else:
            table[key] = value


def _save(path: Path, document: tomlkit.TOMLDocument) -> Deck:
    """Validate the new text with the deck loader, then write it; returns the deck as loaded."""
    text = tomlkit.dumps(document)
    try:
        deck = parse_deck(text, path)
    except DeckError as exc:
        raise NoteEditError([f"line {p.line}: {p.message}" for p in exc.problems]) from None
    write_text_atomically(path, text)
    return deck


def new_note_id(draft: NoteDraft, taken: set[str]) -> str:
    words = str(draft.values.get("name") or draft.values.get("question") or "")
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii").lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-") or "note"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def add_note(path: Path, draft: NoteDraft) -> tuple[Deck, str]:
    """Append a note to the deck file at ``path``; returns the reloaded deck and the new note's id."""
    return _add(path, _document(path), draft)


def _add(path: Path, document: tomlkit.TOMLDocument, draft: NoteDraft) -> tuple[Deck, str]:
    if problems := draft.problems():
        raise NoteEditError(problems)
    notes = _notes(document)
    note_id = new_note_id(draft, {str(t.get("id")) for t in notes})
    table = tomlkit.table()
    table.add("id", note_id)
    table.add("type", draft.type)
    _set(table, draft.table_values())
    table.add(tomlkit.nl())
    notes.append(table)
    return _save(path, document), note_id


def update_note(path: Path, note_id: str, draft: NoteDraft) -> Deck:
    """Change the fields the editor shows; other keys of the note (aliases, cards…) stay as they are."""
    if problems := draft.problems():
        raise NoteEditError(problems)
    document = _document(path)
    table = next((t for t in _notes(document) if t.get("id") == note_id), None)
    if table is None:
        raise NoteEditError([f"note {note_id!r} is no longer in {path}; was the file changed meanwhile?"])
    _set(table, draft.table_values())
    return _save(path, document)


def copy_deck(deck: Deck, user_decks_dir: Path, taken_ids: set[str]) -> Deck:
    """A copy of a (shipped) deck in the user's folder, under a new id, to edit freely.

    The copy's cards have new ids, so they start without the original's progress.
    """
    document = _document(deck.path)
    new_id, number = f"{deck.id}-copy", 2
    while new_id in taken_ids or (user_decks_dir / f"{new_id}.toml").exists():
        new_id, number = f"{deck.id}-copy-{number}", number + 1
    deck_table = document["deck"]
    deck_table["id"] = new_id
    deck_table["name"] = f"{deck.name} (my copy)"
    return _save(user_decks_dir / f"{new_id}.toml", document)


def new_deck_path(user_decks_dir: Path, taken_ids: set[str], name: str = MY_NOTES) -> tuple[Path, str]:
    """Where a new deck of the user's goes ("My notes" when they have none yet), and its id."""
    deck_id, number = slug(name), 2
    while deck_id in taken_ids or (user_decks_dir / f"{deck_id}.toml").exists():
        deck_id, number = f"{slug(name)}-{number}", number + 1
    return user_decks_dir / f"{deck_id}.toml", deck_id


def add_note_to_new_deck(path: Path, deck_id: str, name: str, draft: NoteDraft) -> tuple[Deck, str]:
    """Make a deck file holding just this note (a deck needs at least one)."""
    document = tomlkit.document()
    document.add(tomlkit.comment("Notes added in hipquiz. The format is described in decks/README.md."))
    table = tomlkit.table()
    table.add("id", deck_id)
    table.add("name", name)
    table.add(tomlkit.nl())
    document.add("deck", table)
    document.add("notes", tomlkit.aot())
    path.parent.mkdir(parents=True, exist_ok=True)
    return _add(path, document, draft)
