"""Quizlet's export: a term and its definition a row, a tab (or a comma) between them, rows
separated by new lines (or semicolons). Nothing is quoted, so it is not read as CSV."""

from __future__ import annotations

from pathlib import Path

from hipquiz.core.interchange.base import Importer, ImportOptions, ImportResult, InterchangeError
from hipquiz.core.interchange.table import Row, rows_to_notes


def _rows(text: str) -> list[str]:
    """The rows: one a line, or, for Quizlet's "between rows: semicolon", the parts of one line."""
    lines = text.replace("\r\n", "\n").split("\n")
    body = [line for line in lines if line.strip()]
    if len(body) == 1 and ";" in body[0] and body[0].count("\t") > 1:
        return body[0].split(";")
    return lines


class QuizletImporter(Importer):
    name = "quizlet"
    description = "Quizlet's Export (term and definition; tab or comma, new line or semicolon)"

    def sniff(self, text: str, path: Path) -> bool:
        # Quizlet gives text to copy into a .txt file; a .tsv or .csv (or a file with a header
        # row) is read as CSV, where quotes may hold line breaks.
        rows = [row for row in _rows(text) if row.strip()]
        return (path.suffix.lower() == ".txt" and bool(rows) and all(row.count("\t") == 1 for row in rows)
                and rows[0].split("\t")[0].strip().casefold() not in ("front", "term", "question"))

    def read(self, text: str, path: Path, options: ImportOptions) -> ImportResult:
        separator = "\t" if "\t" in text else ","
        rows: list[Row] = []
        for number, line in enumerate(_rows(text), start=1):
            if not line.strip():
                continue
            rows.append(Row(len(rows) + 1, number, line.split(separator, 1)))
        if not rows:
            raise InterchangeError(f"{path}: no rows to import")
        return ImportResult(rows_to_notes(rows, path, options, roles={}, has_header=False))
