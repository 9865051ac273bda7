"""Moving cards in and out of hipquiz: one module a file format, behind one Importer / Exporter
interface (``base``), registered here once.

Importers are asked in order whether a file looks like theirs (``sniff``); CSV, the most
forgiving, is asked last. ``--format`` names one directly.
"""

from __future__ import annotations

from pathlib import Path

from hipquiz.core.interchange.anki_text import AnkiTextImporter
from hipquiz.core.interchange.apkg import ApkgExporter
from hipquiz.core.interchange.base import (
    Exporter,
    ImportedNote,
    Importer,
    ImportOptions,
    ImportResult,
    InterchangeError,
    RowProblem,
    decode,
)
from hipquiz.core.interchange.csv_format import CsvExporter, CsvImporter
from hipquiz.core.interchange.quizlet import QuizletImporter

IMPORTERS: dict[str, Importer] = {i.name: i for i in (AnkiTextImporter(), QuizletImporter(), CsvImporter())}
EXPORTERS: dict[str, Exporter] = {e.name: e for e in (CsvExporter(), ApkgExporter())}

__all__ = [
    "EXPORTERS", "IMPORTERS", "Exporter", "ImportOptions", "ImportResult", "ImportedNote", "Importer",
    "InterchangeError", "RowProblem", "read_import",
]


def read_import(path: Path, options: ImportOptions, format: str | None = None) -> tuple[Importer, ImportResult]:
    """Read every note of an import file; InterchangeError (naming each bad row) if any is malformed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InterchangeError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    text = decode(data, path)
    if format is not None:
        importer = IMPORTERS[format]
    else:
        importer = next(i for i in IMPORTERS.values() if i.sniff(text, path))
    return importer, importer.read(text, path, options)
