"""Rows of cells to notes: which column is the front, the back, the tags; every bad row reported.

CSV, Anki's plain-text export and Quizlet's export all come down to rows of cells; this module turns
them into notes the same way for each.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from hipquiz.core.interchange.base import ImportedNote, ImportOptions, InterchangeError, RowProblem

# Header names understood without --front/--back (compared case-insensitively).
ROLE_NAMES = {
    "front": ("front", "question", "term", "prompt"),
    "back": ("back", "answer", "definition"),
    "tags": ("tags", "tag"),
    "source": ("source",),
    "caveat": ("caveat",),
    "key": ("id", "guid", "key", "note id"),
}


@dataclass(frozen=True)
class Row:
    number: int  # 1-based record number in the file (a header row is row 1)
    line: int  # the line of the file the row starts on
    cells: list[str]


def read_rows(text: str, path: Path, delimiter: str, first_line: int = 1) -> list[Row]:
    """Split delimited text into rows, quoted cells may hold the delimiter and line breaks."""
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(Row(len(rows) + 1, start + first_line - 1, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        row = len(rows) + 1
        raise InterchangeError("1 malformed row(s); nothing was imported", [RowProblem(
            path, start + first_line - 1, row, f"{exc}: a quoted cell is not closed (check its quotes)")]) from None
    return rows


def sniff_delimiter(text: str, path: Path, candidates: Iterable[str] = ("\t", ";", ",")) -> str:
    """The delimiter that splits the most rows into the same number (at least two) of cells.

    csv.Sniffer guesses from a sample and is thrown by commas inside semicolon-separated text;
    parsing the whole file with each candidate and counting agreeing rows is not.
    """
    best, best_score = ",", (-1, 0)
    for delimiter in candidates:
        try:
            rows = read_rows(text, path, delimiter)
        except InterchangeError:
            continue
        if not rows or len(rows[0].cells) < 2:
            continue
        width = len(rows[0].cells)
        score = (sum(1 for row in rows if len(row.cells) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _column(spec: str, header: list[str] | None, what: str) -> int:
    if spec.isdigit() and int(spec) >= 1:
        return int(spec) - 1
    if header is not None:
        names = [cell.strip().casefold() for cell in header]
        if spec.strip().casefold() in names:
            return names.index(spec.strip().casefold())
        raise InterchangeError(f"no column called {spec!r} for {what}; the columns are: "
                               + ", ".join(repr(c) for c in header))
    raise InterchangeError(f"--{what} {spec!r}: give a column number or a header name")


def _header_roles(cells: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().casefold()
        for role, names in ROLE_NAMES.items():
            if name in names and role not in roles:
                roles[role] = index
    return roles


def rows_to_notes(rows: list[Row], path: Path, options: ImportOptions, *,
                  roles: dict[str, int] | None = None, has_header: bool | None = None,
                  width: tuple[int, str] | None = None) -> list[ImportedNote]:
    """Notes from rows. The first row is a header when it names a front and a back column (or the
    columns --front/--back name); without a header, column 1 is the front and column 2 the back.
    ``width``: how many cells a row has and what says so ("#columns names"), when the file says it
    otherwise than by a header; a row with another number of cells is refused (``width``: more).

    Raises InterchangeError listing every malformed row; no note is returned unless all are good.
    """
    if not rows:
        raise InterchangeError(f"{path}: no rows to import")
    header_roles = _header_roles(rows[0].cells)
    named = [spec for spec in (options.front, options.back) if spec and not spec.isdigit()]
    if has_header is None:
        has_header = bool(named) or ("front" in header_roles and "back" in header_roles)
    header = rows[0].cells if has_header else None
    found = dict(roles or {})
    if header is not None and roles is None:
        found.update(header_roles)
    if options.front:
        found["front"] = _column(options.front, header, "front")
    if options.back:
        found["back"] = _column(options.back, header, "back")
    found.setdefault("front", 0)
    found.setdefault("back", 1)
    if found["front"] == found["back"]:
        raise InterchangeError("the front and the back are the same column; give --front COL --back COL")
    # A row of more cells than the header (or the file) says would lose the cells past the last
    # column; fewer would shift them. Anki pads a short row, so a width the file states allows fewer.
    exact = width is None
    if header is not None:
        width = (len(header), "the header has")

    notes: list[ImportedNote] = []
    problems: list[RowProblem] = []
    for row in rows[1:] if header is not None else rows:
        def bad(message: str) -> None:
            problems.append(RowProblem(path, row.line, row.number, message))

        if width is not None and (len(row.cells) > width[0] or exact and len(row.cells) != width[0]):
            bad(f"{len(row.cells)} cells where {width[1]} {width[0]}: put a cell that holds the "
                "separator or a line break in double quotes")
            continue
        needed = max(found["front"], found["back"]) + 1
        if len(row.cells) < needed:
            bad(f"{len(row.cells)} cell(s), but the back is column {found['back'] + 1}: "
                "check the separator, or give --front COL --back COL")
            continue
        cell = {role: row.cells[index].strip() if index < len(row.cells) else "" for role, index in found.items()}
        if not cell["front"]:
            bad("the front is empty")
            continue
        if not cell["back"]:
            bad("the back is empty")
            continue
        notes.append(ImportedNote(
            key=cell.get("key") or cell["front"],
            front=cell["front"],
            back=cell["back"],
            row=row.number,
            line=row.line,
            tags=tuple(cell.get("tags", "").split()),
            source=cell.get("source", ""),
            caveat=cell.get("caveat", ""),
        ))
    if problems:
        raise InterchangeError(f"{len(problems)} malformed row(s); nothing was imported", problems)
    return notes
