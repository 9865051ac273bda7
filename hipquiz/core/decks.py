"""Deck files: load and validate TOML decks, turn notes into cards with stable ids.

The format is documented in decks/README.md. Every problem found is reported as
``FILE:LINE: message`` so that a person can go straight to the line and fix it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from hipquiz.core.errors import DeckError
from hipquiz.core.facts import STRUCTURED_FIELDS
from hipquiz.core.model import CardId
from hipquiz.core.parse_cache import cached
from hipquiz.core.untrusted import (
    NotARegularFile,
    TooLarge,
    control_chars,
    control_escapes,
    depth_exceeds,
    describe_char,
    nesting_line,
    read_regular,
    strings_in,
)

if TYPE_CHECKING:
    from hipquiz.core.problems import Problem

# The patterns of this module are texts (re.match(ID_PATTERN, text)), or compiled where a deck is
# parsed: re compiles each when first used and keeps it. A start reads its decks from the parse
# cache and uses none of them; compiled at import, they cost every start ~0.3 ms.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# Common mojibake of UTF-8 text decoded as Mac Roman or Windows-1252: a non-breaking space
# (``¬†`` / ``Â ``), curly quotes (``â€™``) and accented letters (``Ã©``).
MOJIBAKE = "¬†|Â[ \u00a0-\u00bf]|â€|Ã[\u0080-\u00bf]"

# Decks are refused above this size at once: the shipped ones are about 40 KB, and parsing and
# checking take about a second per MB (documented in decks/README.md).
MAX_DECK_BYTES = 1_000_000
# Arrays and inline tables nested deeper are refused before parsing (tomllib recurses and a few
# hundred levels exhaust the stack); a deck needs two levels at most (a list of texts in a note).
MAX_NESTING = 16

NOTE_TYPES = ("muscle", "basic", "list")
COMMON_KEYS = {"id", "type", "source", "facts", "caveat", "tags", "cards", "related"}
NOTE_KEYS = {
    "muscle": COMMON_KEYS
    | {"name", "aliases", "confusable", "group", "location", "region", "functions", "relations"}
    | set(STRUCTURED_FIELDS),
    "basic": COMMON_KEYS | {"question", "answer", "accept", "reverse", "typed", "distractors", "pictured"},
    "list": COMMON_KEYS | {"question", "items", "ordered", "distractors"},
}
REQUIRED_KEYS = {
    "muscle": ("id", "type", "source", "name"),
    "basic": ("id", "type", "source", "question", "answer"),
    "list": ("id", "type", "source", "question", "items"),
}
STRING_KEYS = {"id", "type", "source", "caveat", "name", "group", "location", "region", "question", "answer",
               "pictured"}
LIST_KEYS = {"facts", "tags", "cards", "aliases", "confusable", "functions", "relations", "accept", "items", "distractors",
             "related", "typed"}
BOOL_KEYS = {"reverse", "ordered"}
DECK_KEYS = {"id", "name", "description", "source"}

# The card templates a note's ``cards`` may name (a muscle note's structured fields add theirs:
# templates.FIELD_CARD_TEMPLATES).
TEMPLATES = {
    "muscle": ("location", "name-from-location", "functions", "name-from-functions", "group", "relations"),
    "basic": ("basic", "reverse"),
    "list": ("list",),
}


@dataclass(frozen=True)
class Note:
    """One ``[[notes]]`` table of a deck file (a muscle, basic or list note): its fields as read,
    from which its cards are made."""

    deck_id: str
    id: str
    type: str
    source: str
    line: int
    fields: dict[str, Any]
    facts: tuple[str, ...] = ()
    caveat: str = ""
    tags: tuple[str, ...] = ()
    # Notes whose cards could give this note's away (or the other way round): buried like siblings.
    related: tuple[str, ...] = ()

    def text(self, key: str) -> str:
        value = self.fields.get(key, "")
        return value if isinstance(value, str) else ""

    def items(self, key: str) -> tuple[str, ...]:
        return tuple(self.fields.get(key, ()) or ())

    @property
    def name(self) -> str:
        """What the note is about: a muscle's name, or the question of other notes."""
        return self.text("name") or self.text("question")


@dataclass(frozen=True)
class Card:
    """One thing to remember, generated from a note by a template."""

    id: str
    deck_id: str
    note_id: str
    template: str
    prompt: str
    answer: str
    # The note field that holds the answer: lets question types find distractors of the same kind.
    answer_field: str
    # Answers a typed reply may match (the first is the canonical one).
    accepted: tuple[str, ...]
    # Parts of a list answer (functions, relations, list items); empty for single answers.
    answer_items: tuple[str, ...]
    note: Note = field(repr=False, compare=False)
    # Short forms a typed answer may give where the answer shown is long ("ASIS").
    typed: tuple[str, ...] = ()
    # The works this card's answer comes from (book, page), where the deck cites works rather than
    # quoting a sentence; shown instead of the note's source.
    reference: str = ""
    # The caveat of this card's field (a structured muscle field), or None for the note's caveat.
    field_caveat: str | None = None
    # Options a question must never offer as a wrong answer: sources dispute them.
    unfair: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return self.reference or self.note.source

    @property
    def source_is_quote(self) -> bool:
        """True when the source is a sentence quoted from the text taught (shown in quotes)."""
        return not self.reference

    @property
    def caveat(self) -> str:
        return self.note.caveat if self.field_caveat is None else self.field_caveat

    @cached_property
    def answer_hash(self) -> str:
        """Changes when the answer changes, so an edited card can be flagged for re-learning.
        (Kept with the card, so a deck read from the parse cache has it without hashlib: see
        parse_deck.)"""
        import hashlib

        normalized = " ".join(self.answer.split()).casefold()
        return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Deck:
    """A deck file as loaded: its notes and the cards made from them."""

    id: str
    name: str
    path: Path
    notes: tuple[Note, ...]
    cards: tuple[Card, ...]
    description: str = ""
    source: str = ""
    # The works the deck cites, by key (its [sources] table).
    sources: dict[str, str] = field(default_factory=dict)

    def note(self, note_id: str) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def related_notes(self, note_id: str) -> frozenset[str]:
        """The note itself and every note related to it (declared either way round)."""
        return self._related_index.get(note_id, frozenset({note_id}))

    @cached_property
    def _related_index(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = {note.id: {note.id} for note in self.notes}
        for note in self.notes:
            for other in note.related:
                index[note.id].add(other)
                index.setdefault(other, {other}).add(note.id)
        return {note_id: frozenset(found) for note_id, found in index.items()}


class _LineIndex:
    """Maps TOML tables and keys back to line numbers (tomllib does not keep positions).

    ``array`` names the array of tables whose entries are indexed one by one (``[[notes]]`` in a
    deck, ``[[terms]]`` in the lexicon); keys of plain tables (``[deck]``, ``[lexicon]``) are kept
    per table name.
    """

    _KEY = r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*="
    # Before any table header, 'deck.name = …' (a dotted key) or 'deck = {…}' (an inline table)
    # is the [deck] table written another way.
    _ROOT_KEY = r"^\s*([A-Za-z0-9_-]+)\s*(?:\.\s*([A-Za-z0-9_-]+|\"[^\"]*\")\s*)?="
    _TABLE = r"^\s*\[\s*([A-Za-z0-9_-]+)\s*\]"
    _ANY_TABLE = r"^\s*\["

    def __init__(self, text: str, array: str = "notes", table: str = "deck"):
        key_line, root_key, plain_table, any_table = (
            re.compile(pattern) for pattern in (self._KEY, self._ROOT_KEY, self._TABLE, self._ANY_TABLE))
        header = re.compile(rf"^\s*\[\[\s*{re.escape(array)}\s*\]\]")
        subtable = re.compile(rf"^\s*\[\[?\s*{re.escape(array)}\s*\.\s*([A-Za-z0-9_-]+)")
        self.table_lines: dict[str, int] = {}
        self.table_keys: dict[str, dict[str, int]] = {}
        self.note_lines: list[int] = []
        self.note_keys: list[dict[str, int]] = []
        current: dict[str, int] | None = None
        at_root = True
        for number, line in enumerate(text.splitlines(), start=1):
            if at_root and (root := root_key.match(line)):
                self.table_lines.setdefault(root.group(1), number)
                if root.group(2):
                    self.table_keys.setdefault(root.group(1), {}).setdefault(root.group(2).strip('"'), number)
                continue
            if any_table.match(line):
                at_root = False
            if header.match(line):
                self.note_lines.append(number)
                current = {}
                self.note_keys.append(current)
            elif (sub := subtable.match(line)) and self.note_keys:
                self.note_keys[-1].setdefault(sub.group(1), number)
                current = None
            elif plain := plain_table.match(line):
                self.table_lines.setdefault(plain.group(1), number)
                current = self.table_keys.setdefault(plain.group(1), {})
            elif any_table.match(line):
                current = None
            elif current is not None and (match := key_line.match(line)):
                current.setdefault(match.group(1).strip('"'), number)
        self.deck_line = self.table_lines.get(table, 1)
        self.deck_keys = self.table_keys.get(table, {})

    def note(self, index: int, key: str | None = None) -> int:
        if index >= len(self.note_lines):
            return 1
        if key is not None and key in self.note_keys[index]:
            return self.note_keys[index][key]
        return self.note_lines[index]

    def deck(self, key: str | None = None) -> int:
        return self.deck_keys.get(key, self.deck_line) if key else self.deck_line

    def table(self, name: str, key: str | None = None) -> int:
        """The line of a plain table's key (or of the table's header, or line 1)."""
        header = self.table_lines.get(name, 1)
        return self.table_keys.get(name, {}).get(key, header) if key else header


def _clean(text: str) -> str:
    """Plain text for display: non-breaking spaces become spaces, runs of spaces collapse."""
    return re.sub(r"[ \t\u00a0]+", " ", text.replace("\r\n", "\n")).strip()


def _line_of_offset(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_deck_text(path: Path) -> str:
    """Read a deck file as UTF-8, raising DeckError with the line of the first bad byte.

    Only a regular file of at most MAX_DECK_BYTES is read: a FIFO or a link to a device would
    otherwise block or never end."""
    try:
        data = read_regular(path, MAX_DECK_BYTES)
    except NotARegularFile:
        from hipquiz.core.problems import Problem  # (see its module)

        raise DeckError([Problem(path, 1, "not a regular file; a deck must be a .toml file")]) from None
    except TooLarge:
        from hipquiz.core.problems import Problem

        raise DeckError([Problem(path, 1, f"the deck file is larger than {MAX_DECK_BYTES // 1_000_000} MB; "
                                          "split it into smaller decks")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        from hipquiz.core.problems import Problem

        line = data.count(b"\n", 0, exc.start) + 1
        raise DeckError([Problem(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]) from None
    return text.removeprefix("\ufeff")


def load_deck(path: str | Path) -> Deck:
    """Load and validate one deck file. Raises DeckError listing every problem found. The result
    is kept for the next run (hipquiz.core.parse_cache): an unchanged file is not parsed again."""
    path = Path(path)
    try:
        text = read_deck_text(path)
    except OSError as exc:
        from hipquiz.core.problems import Problem

        raise DeckError([Problem(path, 0, f"cannot read the deck: {exc.strerror or exc}")]) from None
    return cached("deck", path, text, lambda: parse_deck(text, path), Deck)


def _mojibake_hint(damage: str) -> str:
    """What the damaged text most likely was, so the person knows what to type instead."""
    if damage.startswith("â€"):
        return "it was a curly quote, apostrophe or dash"
    if damage.startswith("Ã"):
        return "it was an accented letter such as é"
    return "it was a non-breaking space"


_TOO_DEEP = f"lists or tables nested more than {MAX_NESTING} levels deep (a deck needs 2)"


def _dotted_line(text: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=", 1)[0].count(".") >= MAX_NESTING - 2:
            return number
    return 1


def parse_toml(text: str, path: Path, problems: list[Problem]) -> dict[str, Any]:
    """Parse TOML text, adding a Problem for each piece of encoding damage; raises DeckError with
    all problems so far when the text is not valid TOML, holds a control character (typed or
    written as an escape) or nests deeper than MAX_NESTING."""
    from hipquiz.core.problems import Problem  # (parsing: see its module)

    for offset in control_chars(text):
        problems.append(Problem(path, _line_of_offset(text, offset), f"control character "
                                f"{describe_char(text[offset])} is not allowed here: remove it"))
    deep = nesting_line(text, MAX_NESTING)
    if deep is not None:
        problems.append(Problem(path, deep, _TOO_DEEP))
    if problems:
        # Either would make the parser fail or recurse: report them alone.
        raise DeckError(problems)
    for match in re.finditer(MOJIBAKE, text):
        problems.append(Problem(
            path, _line_of_offset(text, match.start()),
            f"encoding damage {match.group()!r}: retype it ({_mojibake_hint(match.group())})",
        ))
    # Imported here: a start whose decks come from the parse cache (core/parse_cache.py) never
    # parses TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)".
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        problems.append(Problem(path, line, f"not valid TOML: {message}"))
        raise DeckError(problems) from None
    if depth_exceeds(data, MAX_NESTING):  # dotted keys (a.b.c = 1) nest without brackets
        problems.append(Problem(path, _dotted_line(text), _TOO_DEEP))
        raise DeckError(problems)
    if any(control_chars(value) for value in strings_in(data)):
        # Written as escapes ("\u001b"): point at each escape that makes one.
        for line, escape in control_escapes(text):
            problems.append(Problem(path, line, f"control character written as {escape!r}: remove it"))
        raise DeckError(problems)
    return data


def parse_deck(text: str, path: Path) -> Deck:
    from hipquiz.core.problems import Problem  # (parsing: see its module)

    problems: list[Problem] = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    data = parse_toml(text, path, problems)

    lines = _LineIndex(text)
    for key in data:
        if key not in ("deck", "notes", "sources"):
            problem(1, f"unknown table or key {key!r} (expected [deck], [sources] and [[notes]])")
    sources: dict[str, str] = {}
    raw_sources = data.get("sources", {})
    if not isinstance(raw_sources, dict) or not all(isinstance(v, str) and v.strip() for v in raw_sources.values()):
        problem(lines.table("sources"), "[sources] must map keys to the works cited, as text")
    else:
        sources = {key: _clean(value) for key, value in raw_sources.items()}

    deck_table = data.get("deck")
    deck_id = name = description = deck_source = ""
    if not isinstance(deck_table, dict):
        problem(1, "missing the [deck] table with id and name")
    else:
        for key in deck_table:
            if key not in DECK_KEYS:
                problem(lines.deck(key), f"unknown key {key!r} in [deck] (allowed: {', '.join(sorted(DECK_KEYS))})")
        for key in ("id", "name"):
            value = deck_table.get(key)
            if not isinstance(value, str) or not value.strip():
                problem(lines.deck(key), f"[deck] needs a non-empty text {key!r}")
        for key in ("description", "source"):
            if key in deck_table and not isinstance(deck_table[key], str):
                problem(lines.deck(key), f"[deck] {key!r} must be text")
        deck_id = str(deck_table.get("id", "")).strip()
        if deck_id and not re.match(ID_PATTERN, deck_id):
            problem(lines.deck("id"), f"deck id {deck_id!r} may hold only lower-case letters, digits and dashes")
        name = _clean(str(deck_table.get("name", "")))
        description = _clean(str(deck_table.get("description", "")))
        deck_source = _clean(str(deck_table.get("source", "")))

    raw_notes = data.get("notes", [])
    if not isinstance(raw_notes, list) or not raw_notes:
        problem(lines.deck(), "the deck has no [[notes]]")
        raw_notes = []

    notes: list[Note] = []
    seen: dict[str, int] = {}
    note_index: dict[str, int] = {}
    for index, raw in enumerate(raw_notes):
        note = _parse_note(raw, index, deck_id, lines, problem, sources)
        if note is None:
            continue
        if note.id in seen:
            problem(note.line, f"duplicate note id {note.id!r} (first used on line {seen[note.id]})")
            continue
        seen[note.id] = note.line
        note_index[note.id] = index
        notes.append(note)

    derived = _derived_notes(notes, deck_id, sources)
    for note, _card in derived:
        if note.id in seen:
            problem(seen[note.id], f"note id {note.id!r} is taken by a card made across the deck's muscles; "
                                   "choose another id")
    # Every id a note declares counts as known, even when that note has a problem of its own:
    # one mistake must not also make its look-alikes report "unknown note id".
    declared = {raw["id"] for raw in raw_notes if isinstance(raw, dict) and isinstance(raw.get("id"), str)}
    known = declared | {note.id for note, _card in derived}
    for note in notes:
        for key in ("confusable", "related"):
            for other in note.items(key):
                if other not in (declared if key == "confusable" else known):
                    problem(lines.note(note_index[note.id], key), f"{key} names unknown note id {other!r}")

    if problems:
        raise DeckError(sorted(problems, key=lambda p: p.line))
    cards = [card for note in notes for card in cards_for_note(note, sources)]
    cards.extend(card for _note, card in derived)
    for card in cards:
        card.answer_hash  # noqa: B018 - kept with the card, so a deck from the parse cache needs no hashlib
    all_notes = (*notes, *(note for note, _card in derived))
    return Deck(deck_id, name, path, all_notes, tuple(cards), description, deck_source, sources)


def _reference(keys: Iterable[str], sources: dict[str, str]) -> str:
    return "; ".join(sources[key] for key in keys if key in sources)


def _derived_notes(notes: list[Note], deck_id: str, sources: dict[str, str]) -> list[tuple[Note, Card]]:
    """The cards made across the deck's muscles, each with the note it belongs to: a note derived
    from the muscles it names and related to them (so that neither gives the other away)."""
    from hipquiz.core import templates  # (see cards_for_note)

    muscles = [(n.id, n.text("name"), n.fields) for n in notes if n.type == "muscle"]
    derived: list[tuple[Note, Card]] = []
    for cross in templates.cross_cards(muscles):
        spec = cross.spec
        many = bool(spec.answer_items)
        fields: dict[str, Any] = {"id": cross.note_id, "question": spec.prompt}
        fields.update({"items": spec.answer_items} if many else {"answer": spec.answer, "accept": spec.accepted})
        first = next(n for n in notes if n.id == cross.members[0])
        note = Note(deck_id, cross.note_id, "list" if many else "basic", first.source, first.line, fields,
                    related=cross.members)
        derived.append((note, Card(str(CardId(deck_id, note.id, spec.template)), deck_id, note.id, spec.template,
                                   spec.prompt, spec.answer, spec.answer_field, spec.accepted, spec.answer_items,
                                   note, reference=_reference(spec.sources, sources), unfair=spec.unfair)))
    return derived


def _parse_note(raw: Any, index: int, deck_id: str, lines: _LineIndex, problem,
                sources: dict[str, str] | None = None) -> Note | None:
    from hipquiz.core import templates  # (see cards_for_note)

    header = lines.note(index)
    if not isinstance(raw, dict):
        problem(header, "each note must be a [[notes]] table")
        return None
    note_type = raw.get("type")
    if note_type not in NOTE_TYPES:
        line = lines.note(index, "type")
        if note_type is None:
            problem(header, f"note is missing 'type' (one of: {', '.join(NOTE_TYPES)})")
        else:
            problem(line, f"unknown note type {note_type!r} (one of: {', '.join(NOTE_TYPES)})")
        any_type_keys = set().union(*NOTE_KEYS.values())
        for key in raw:
            if key not in any_type_keys:
                problem(lines.note(index, key), f"unknown key {key!r} in a note")
        return None

    ok = True
    missing = [key for key in REQUIRED_KEYS[note_type] if key not in raw]
    for key in raw:
        if key not in NOTE_KEYS[note_type]:
            # A misspelt required key is one mistake: say which key was meant, and do not also
            # report that key as missing.
            import difflib  # only for a key with a typo

            meant = difflib.get_close_matches(key, missing, n=1)
            if meant:
                missing.remove(meant[0])
                problem(lines.note(index, key), f"unknown key {key!r} in a {note_type} note: did you mean {meant[0]!r}?")
            else:
                problem(lines.note(index, key), f"unknown key {key!r} in a {note_type} note (allowed: {', '.join(sorted(NOTE_KEYS[note_type]))})")
            ok = False
    for key in missing:
        problem(header, f"{note_type} note is missing {key!r}")
        ok = False
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        line = lines.note(index, key)
        if key in STRING_KEYS:
            if not isinstance(value, str):
                problem(line, f"{key!r} must be text in quotes")
                ok = False
            elif not _clean(value):
                problem(line, f"{key!r} is empty")
                ok = False
            else:
                fields[key] = _clean(value)
        elif key in LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problem(line, f"{key!r} must be a list of texts, like [\"a\", \"b\"]")
                ok = False
            elif any(not _clean(v) for v in value):
                problem(line, f"{key!r} holds an empty entry")
                ok = False
            elif key in ("items", "functions", "relations") and not value:
                problem(line, f"{key!r} is empty")
                ok = False
            else:
                cleaned = tuple(_clean(v) for v in value)
                duplicates = {v for v in cleaned if cleaned.count(v) > 1}
                if duplicates and key not in ("tags", "facts"):
                    problem(line, f"{key!r} lists {sorted(duplicates)[0]!r} twice")
                    ok = False
                fields[key] = cleaned
        elif key in BOOL_KEYS:
            if not isinstance(value, bool):
                problem(line, f"{key!r} must be true or false")
                ok = False
            else:
                fields[key] = value
    note_id = fields.get("id", "")
    if note_id and not re.match(ID_PATTERN, note_id):
        problem(lines.note(index, "id"), f"note id {note_id!r} may hold only lower-case letters, digits and dashes")
        ok = False
    allowed = TEMPLATES[note_type] + (templates.FIELD_CARD_TEMPLATES if note_type == "muscle" else ())
    for template in fields.get("cards", ()):
        if template not in allowed:
            problem(lines.note(index, "cards"), f"unknown card template {template!r} for a {note_type} note (one of: {', '.join(allowed)})")
            ok = False
    if note_type == "list" and "items" in fields:
        overlap = set(fields["items"]) & set(fields.get("distractors", ()))
        if overlap:
            problem(lines.note(index, "distractors"), f"{sorted(overlap)[0]!r} is both an item and a distractor")
            ok = False
    if note_type == "basic" and "answer" in fields:
        overlap = {fields["answer"], *fields.get("accept", ())} & set(fields.get("distractors", ()))
        if overlap:
            problem(lines.note(index, "distractors"), f"{sorted(overlap)[0]!r} is both an answer and a distractor")
            ok = False
    if note_type == "muscle" and any(key in raw for key in STRUCTURED_FIELDS):
        structured = templates.parse_structured(raw, lambda key: lines.note(index, key), problem, sources or {})
        if structured is None:
            ok = False
        else:
            fields.update(structured)
    if not ok:
        return None
    note = Note(
        deck_id=deck_id,
        id=note_id,
        type=note_type,
        source=fields["source"],
        line=header,
        fields=fields,
        facts=fields.get("facts", ()),
        caveat=fields.get("caveat", ""),
        tags=fields.get("tags", ()),
        related=fields.get("related", ()),
    )
    if fields.get("cards") and not list(cards_for_note(note)):
        problem(lines.note(index, "cards"), "none of the listed card templates can be made from this note's fields")
        return None
    if "cards" not in fields and not list(cards_for_note(note)):
        problem(header, "this note makes no card: add a location, functions, group or relations")
        return None
    return note


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def cards_for_note(note: Note, sources: dict[str, str] | None = None) -> Iterable[Card]:
    """Generate the note's cards, in template order (which is also the order they are introduced).

    ``sources`` is the deck's [sources] table: a note whose source is one of its keys shows the work
    cited rather than a quote."""
    # The card templates are needed to parse a deck file, not to load one from the parse cache (as
    # every start does until a deck changes): imported then.
    from hipquiz.core import templates

    # ``cards = []`` makes none: a muscle note that only gives the deck a muscle's names.
    wanted = set(note.items("cards")) if "cards" in note.fields else None
    sources = sources or {}
    note_reference = sources.get(note.source, "")

    def make(template: str, prompt: str, answer: str, answer_field: str,
             accepted: tuple[str, ...], answer_items: tuple[str, ...] = (), *, typed: tuple[str, ...] = (),
             cites: tuple[str, ...] = (), caveat: str | None = None) -> Card | None:
        if wanted is not None and template not in wanted:
            return None
        return Card(
            id=str(CardId(note.deck_id, note.id, template)),
            deck_id=note.deck_id,
            note_id=note.id,
            template=template,
            prompt=prompt,
            answer=answer,
            answer_field=answer_field,
            accepted=accepted,
            answer_items=answer_items,
            note=note,
            typed=typed,
            reference=_reference(cites, sources) or note_reference,
            field_caveat=caveat,
        )

    candidates: list[Card | None] = []
    if note.type == "muscle":
        name = note.text("name")
        names = (name, *note.items("aliases"))
        location, group = note.text("location"), note.text("group")
        functions, relations = note.items("functions"), note.items("relations")
        if location:
            candidates.append(make("location", f"Where is the {name}?", location, "location", (location,)))
            candidates.append(make("name-from-location", f"Which muscle lies here: {_lower_first(location)}?", name, "name", names))
        if functions:
            candidates.append(make("functions", f"What does the {name} do?", _bullets(functions), "functions", functions, functions))
            candidates.append(make("name-from-functions", f"Which muscle does this?\n{_bullets(functions)}", name, "name", names))
        if group:
            candidates.append(make("group", f"Which group does the {name} belong to?", group, "group", (group,)))
        if relations:
            candidates.append(make("relations", f"What does the {name} connect to?", _bullets(relations), "relations", relations, relations))
        for spec in templates.field_cards(name, note.fields):
            candidates.append(make(spec.template, spec.prompt, spec.answer, spec.answer_field, spec.accepted,
                                   spec.answer_items, typed=spec.typed, cites=spec.sources, caveat=spec.caveat))
    elif note.type == "basic":
        question, answer = note.text("question"), note.text("answer")
        accepted = tuple(dict.fromkeys((answer, *note.items("accept"), *note.items("typed"))))
        candidates.append(make("basic", question, answer, "answer", accepted, typed=note.items("typed")))
        if note.fields.get("reverse"):
            candidates.append(make("reverse", answer, question, "question", (question,)))
    elif note.type == "list":
        items = note.items("items")
        ordered = note.fields.get("ordered", False)
        answer = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1)) if ordered else _bullets(items)
        candidates.append(make("list", note.text("question"), answer, "items", items, items))
    return [card for card in candidates if card is not None]


def shipped_decks_dir() -> Path:
    """The decks that come with hipquiz: inside the installed package, or the repo's decks/."""
    installed = Path(__file__).resolve().parent.parent / "decks"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "decks"


# A decks folder may hold a lexicon of anatomical terms (hipquiz/core/lexicon.py): not a deck.
LEXICON_FILE = "lexicon.toml"


def deck_files(folders: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(path for path in sorted(folder.glob("*.toml")) if path.name != LEXICON_FILE)
    return files


@dataclass
class DeckLibrary:
    """All decks found: the shipped ones and the user's, with the problems of those that failed."""

    decks: list[Deck]
    problems: list[Problem]
    # Where each deck (by id) was found: a hipquiz.core.library.DeckOrigin.
    origins: dict[str, Any] = field(default_factory=dict)
    # The user's deck folder, where notes added in the app and copies of shipped decks go.
    user_dir: Path | None = None

    def find(self, name: str) -> Deck | None:
        """A deck by id, file stem or (case-insensitive) name."""
        wanted = name.casefold()
        for deck in self.decks:
            if wanted in (deck.id.casefold(), deck.path.stem.casefold(), deck.name.casefold()):
                return deck
        return None

    def card(self, card_id: str) -> Card | None:
        try:
            wanted = CardId.parse(card_id)
        except ValueError:
            return None
        deck = next((d for d in self.decks if d.id == wanted.deck), None)
        return next((c for c in deck.cards if c.id == card_id), None) if deck else None


def load_library(user_decks_dir: Path | None = None, extra: Iterable[Path] = ()) -> DeckLibrary:
    """Load the shipped decks, the user's and any extra paths (see hipquiz.core.library)."""
    from hipquiz.core.library import discover

    return discover(user_decks_dir, extra)
