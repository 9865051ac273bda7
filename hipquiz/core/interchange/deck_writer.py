"""Imported notes into a TOML deck of the user's: a new file, or the same file updated in place.

tomlkit keeps the comments and layout of a deck the user has edited since the last import. Notes
are matched by id (derived from the import key), so re-importing updates them and never adds them
twice; notes the file no longer has are kept, as the user may have added them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import tomlkit
from tomlkit.items import AoT, Table

from hipquiz.core.decks import DeckError, parse_deck
from hipquiz.core.interchange.base import ImportedNote, InterchangeError
from hipquiz.core.userdecks import write_text_atomically


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    added: int
    updated: int
    unchanged: int


def toml_text(value: str):
    """A TOML string; text with line breaks is written as a multi-line string people can read."""
    if "\n" in value:
        return tomlkit.string(value.replace("\r\n", "\n"), multiline=True)
    return value


def note_table(note: ImportedNote, default_source: str) -> Table:
    table = tomlkit.table()
    table.add("id", note.note_id)
    table.add("type", "basic")
    _fill(table, note, default_source)
    return table


def _fill(table: Table, note: ImportedNote, default_source: str) -> None:
    """Set the fields an import owns; other keys (accept, reverse, cards…) the user added stay."""
    table["question"] = toml_text(note.front)
    table["answer"] = toml_text(note.back)
    table["source"] = toml_text(note.source or default_source)
    for key, value in (("caveat", note.caveat), ("tags", list(note.tags))):
        if value:
            table[key] = toml_text(value) if isinstance(value, str) else value
        elif key in table:
            del table[key]


def _same(table: Table, note: ImportedNote, default_source: str) -> bool:
    return (str(table.get("question", "")) == note.front and str(table.get("answer", "")) == note.back
            and str(table.get("source", "")) == (note.source or default_source)
            and str(table.get("caveat", "")) == note.caveat
            and tuple(str(t) for t in table.get("tags", [])) == note.tags)


def new_document(deck_id: str, name: str, origin: str) -> tomlkit.TOMLDocument:
    document = tomlkit.document()
    document.add(tomlkit.comment(f"Imported by hipquiz from {origin}. Re-importing that file updates these notes."))
    document.add(tomlkit.comment("The format is described in decks/README.md; check the file with 'hipquiz validate'."))
    deck = tomlkit.table()
    deck.add("id", deck_id)
    deck.add("name", name)
    deck.add("source", f"Imported from {origin}")
    deck.add(tomlkit.nl())
    document.add("deck", deck)
    document.add("notes", tomlkit.aot())
    return document


def write_import(path: Path, deck_id: str, name: str, notes: Sequence[ImportedNote], origin: str) -> ImportSummary:
    """Add or update ``notes`` in the deck file at ``path``; validated before anything is written."""
    default_source = f"Imported from {origin}"
    if path.exists():
        try:
            document = tomlkit.parse(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
            raise InterchangeError(f"{path}: cannot update this deck ({exc}); fix it first "
                                   f"(hipquiz validate {path})") from None
    else:
        document = new_document(deck_id, name, origin)
    notes_aot = document.get("notes")
    if notes_aot is None:
        notes_aot = tomlkit.aot()
        document.add("notes", notes_aot)
    if not isinstance(notes_aot, AoT):
        raise InterchangeError(f"{path}: 'notes' is not a list of [[notes]] tables; fix it first")
    existing = {str(table.get("id")): table for table in notes_aot}
    added = updated = unchanged = 0
    for note in notes:
        table = existing.get(note.note_id)
        if table is None:
            table = note_table(note, default_source)
            notes_aot.append(table)
            existing[note.note_id] = table
            added += 1
        elif _same(table, note, default_source):
            unchanged += 1
        else:
            _fill(table, note, default_source)
            updated += 1
    text = tomlkit.dumps(document)
    try:
        parse_deck(text, path)
    except DeckError as exc:
        raise InterchangeError("the deck would not be valid; nothing was imported:\n"
                               + "\n".join(str(p) for p in exc.problems)) from None
    write_text_atomically(path, text)
    return ImportSummary(path, added, updated, unchanged)
