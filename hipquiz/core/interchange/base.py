"""What every import and export format shares: the rows read from a file, the one interface each
format implements, and the errors that name a row."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TextIO


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported: the file, the line the row starts on and its row number."""

    path: Path
    line: int
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: row {self.row}: {self.message}"


class InterchangeError(Exception):
    """Nothing was imported or exported; ``problems`` (or the message) says what to fix."""

    def __init__(self, message: str, problems: Sequence[RowProblem] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message)


@dataclass(frozen=True)
class ImportedNote:
    """One question and answer read from a file, with what else the file said about it."""

    key: str  # what identifies the note across imports: a GUID or id column, else the front
    front: str
    back: str
    row: int
    line: int = 0
    tags: tuple[str, ...] = ()
    source: str = ""
    caveat: str = ""
    # Set when the key is already a note id of the deck imported into (see importing.own_note_ids).
    fixed_id: str = ""

    @property
    def note_id(self) -> str:
        return self.fixed_id or note_id_for(self.key)


@dataclass(frozen=True)
class ImportOptions:
    """How to read the columns: a header name or a 1-based column number for each side."""

    front: str | None = None
    back: str | None = None


@dataclass
class ImportResult:
    notes: list[ImportedNote]
    # A deck name the file itself gives (Anki's #deck header).
    deck_name: str = ""
    skipped_duplicates: list[int] = field(default_factory=list)


class Importer(ABC):
    """One file format to import. Register an instance in ``hipquiz.core.interchange.IMPORTERS``."""

    name: str
    description: str

    @abstractmethod
    def sniff(self, text: str, path: Path) -> bool:
        """Whether the text looks like this format (the importers are asked in registry order)."""

    @abstractmethod
    def read(self, text: str, path: Path, options: ImportOptions) -> ImportResult:
        """Every note of the file, or InterchangeError listing every malformed row."""


class Exporter(ABC):
    """One file format to export a deck to. Register an instance in ``EXPORTERS``."""

    name: str
    suffix: str
    # Whether the format is text that export_text can write to a stream (standard output, ``-o -``).
    text: bool = False

    @abstractmethod
    def export(self, deck: Any, out: Path) -> None:
        """Write the deck (a ``hipquiz.core.decks.Deck``) to ``out``, one note per card."""

    def export_text(self, deck: Any, stream: TextIO) -> None:
        """Write the deck to a text stream; only a format whose ``text`` is true can."""
        raise NotImplementedError(f"{self.name} is not a text format")


def anki_id(text: str) -> int:
    """A stable Anki id (a positive 63-bit number, as Anki's ids are) for one of hipquiz's text ids:
    the same text gives the same number on every export."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:15], 16) | (1 << 40)


def note_id_for(key: str) -> str:
    """A stable, readable note id from an import key: the same key gives the same id on every import.

    Letters of any script survive as the hash part, so two different non-Latin fronts never collide.
    """
    normalized = " ".join(unicodedata.normalize("NFC", key).split()).casefold()
    digest = hashlib.sha1(normalized.encode("utf-8")).hexdigest()[:8]
    plain = unicodedata.normalize("NFKD", normalized).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40].strip("-")
    return f"{words}-{digest}" if words else f"n-{digest}"


def decode(data: bytes, path: Path) -> str:
    """UTF-8 with or without a byte-order mark; anything else is refused with the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InterchangeError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                               "save or export the file as UTF-8") from None
