"""An import from start to end: read the file, choose the deck file, refuse what cannot be right,
then write every note or none."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from hipquiz.core.decks import ID_PATTERN, DeckLibrary
from hipquiz.core.interchange import ImportOptions, InterchangeError, RowProblem, read_import
from hipquiz.core.interchange.base import ImportedNote
from hipquiz.core.interchange.deck_writer import ImportSummary, write_import
from hipquiz.core.library import DeckOrigin
from hipquiz.core.userdecks import slug


class MissingDeckName(InterchangeError):
    """Neither --into nor the file names the deck to import into (a usage error)."""


def _one_per_key(notes: list[ImportedNote], path: Path) -> list[ImportedNote]:
    """The same row twice is imported once; the same front with another back is a mistake to fix,
    as both would become one note and one answer would be lost."""
    first: dict[str, ImportedNote] = {}
    kept: list[ImportedNote] = []
    problems: list[RowProblem] = []
    for note in notes:
        earlier = first.get(note.note_id)
        if earlier is None:
            first[note.note_id] = note
            kept.append(note)
        elif earlier.back != note.back:
            problems.append(RowProblem(path, note.line, note.row,
                                       f"the same front as row {earlier.row} with another back: make the "
                                       "fronts differ, or merge the two rows"))
    if problems:
        raise InterchangeError(f"{len(problems)} malformed row(s); nothing was imported", problems)
    return kept


def import_file(path: Path, deck_name: str | None, library: DeckLibrary, user_decks_dir: Path,
                options: ImportOptions = ImportOptions(), format: str | None = None) -> ImportSummary:
    importer, result = read_import(path, options, format)
    name = (deck_name or result.deck_name).strip()
    if not name:
        raise MissingDeckName("say which deck to import into: --into NAME (a new deck is made if there is none)")
    notes = _one_per_key(result.notes, path)
    if not notes:
        raise InterchangeError(f"{path}: no notes to import")
    deck = library.find(name)
    if deck is not None:
        if library.origins.get(deck.id) is DeckOrigin.SHIPPED:
            raise InterchangeError(f"{deck.name!r} is a deck shipped with hipquiz and cannot be changed; "
                                   "import into a deck of your own: --into \"A new name\"")
        target, deck_id, title = deck.path, deck.id, deck.name
    else:
        deck_id, title = slug(name), name
        target = user_decks_dir / f"{deck_id}.toml"
        clash = next((d for d in library.decks if d.id == deck_id), None)
        if clash is not None:
            into = "" if library.origins.get(clash.id) is DeckOrigin.SHIPPED else f"import into it with --into {clash.id}, or "
            raise InterchangeError(f"the deck {clash.name!r} ({clash.path}) has the id {deck_id!r} already; "
                                   f"{into}choose another name")
        if target.exists():
            raise InterchangeError(f"{target} exists but did not load; fix it first (hipquiz validate {target})")
    return write_import(target, deck_id, title, own_note_ids(notes, deck_id), path.name)


def own_note_ids(notes: list[ImportedNote], deck_id: str) -> list[ImportedNote]:
    """A CSV exported from this very deck names its cards "DECK/NOTE/basic": those rows update NOTE
    itself, so export, edit in a spreadsheet, import is a round trip that never duplicates."""
    prefix = f"{deck_id}/"
    result = []
    for note in notes:
        parts = note.key.split("/")
        if note.key.startswith(prefix) and len(parts) == 3 and parts[2] == "basic" and re.match(ID_PATTERN, parts[1]):
            note = replace(note, fixed_id=parts[1])
        result.append(note)
    return result
