"""CSV and TSV files (comma, semicolon or tab, sniffed), as spreadsheets and hipquiz's own export write them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TextIO

from hipquiz.core.interchange.base import Exporter, Importer, ImportOptions, ImportResult
from hipquiz.core.interchange.table import read_rows, rows_to_notes, sniff_delimiter

EXPORT_COLUMNS = ("front", "back", "source", "caveat", "tags", "id")


class CsvImporter(Importer):
    name = "csv"
    description = "CSV or TSV: comma, semicolon or tab; a header row or --front COL --back COL"

    def sniff(self, text: str, path: Path) -> bool:
        return True  # the fallback: asked last

    def read(self, text: str, path: Path, options: ImportOptions) -> ImportResult:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text, path)
        return ImportResult(rows_to_notes(read_rows(text, path, delimiter), path, options))


class CsvExporter(Exporter):
    """One row per card, with a header; hipquiz's importer reads it back to the same cards."""

    name = "csv"
    suffix = ".csv"
    text = True

    def export(self, deck, out: Path) -> None:
        # A byte-order mark, so spreadsheet programs read the file as UTF-8.
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            self._write(deck, csv.writer(handle))

    def export_text(self, deck, stream: TextIO) -> None:
        # Lines end in "\n" alone, as text on a pipe does (a file gets CSV's "\r\n").
        self._write(deck, csv.writer(stream, lineterminator="\n"))

    @staticmethod
    def _write(deck, writer) -> None:
        writer.writerow(EXPORT_COLUMNS)
        for card in deck.cards:
            note = card.note
            writer.writerow((card.prompt, card.answer, card.source, card.caveat, " ".join(note.tags), card.id))
