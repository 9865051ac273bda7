"""Anki's "Notes in Plain Text" export: ``#separator``, ``#html``, ``#columns``, ``#deck``, ``#tags``
and the ``#… column`` headers, then one note a row (fields HTML when ``#html:true``)."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from hipquiz.core.interchange.base import Importer, ImportOptions, ImportResult, InterchangeError
from hipquiz.core.interchange.table import read_rows, rows_to_notes

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
HEADER = re.compile(r"^#([a-z ]+):(.*)$")
KNOWN_HEADERS = ("separator", "html", "columns", "deck", "notetype", "tags", "guid column",
                 "notetype column", "deck column", "tags column")
_BREAK = re.compile(r"<br\s*/?>|</div>\s*<div>|</?div>|</p>\s*<p>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str) -> str:
    """Anki fields are HTML: line breaks become newlines, other tags go, entities are decoded."""
    text = _TAG.sub("", _BREAK.sub("\n", value))
    return html.unescape(text).replace("\u00a0", " ").strip()


class AnkiTextImporter(Importer):
    name = "anki"
    description = "Anki's File > Export > Notes in Plain Text (.txt)"

    def sniff(self, text: str, path: Path) -> bool:
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        return bool(HEADER.match(first)) and HEADER.match(first).group(1) in KNOWN_HEADERS  # type: ignore[union-attr]

    def read(self, text: str, path: Path, options: ImportOptions) -> ImportResult:
        lines = text.split("\n")
        headers: dict[str, str] = {}
        count = 0
        for line in lines:
            found = HEADER.match(line.rstrip("\r"))
            if not found:
                break
            headers[found.group(1).strip()] = found.group(2).strip()
            count += 1
        raw = headers.get("separator", "tab")
        separator = SEPARATORS.get(raw.casefold(), raw)
        if len(separator) != 1:
            raise InterchangeError(f"{path}:1: unknown #separator {raw!r} (one of: {', '.join(SEPARATORS)})")
        rows = read_rows("\n".join(lines[count:]), path, separator, first_line=count + 1)
        special = {}
        named = {}  # the '#… column' header of each special column
        for role, name in (("key", "guid column"), ("tags", "tags column"),
                           ("notetype", "notetype column"), ("deck", "deck column")):
            if headers.get(name, "").isdigit():
                special[role] = int(headers[name]) - 1
                named[role] = name
        columns = headers["columns"].split(separator) if "columns" in headers else []
        if "tags" not in special and any(c.strip().casefold() == "tags" for c in columns):
            special["tags"] = [c.strip().casefold() for c in columns].index("tags")
        width = max((len(r.cells) for r in rows), default=2)
        fields = [i for i in range(max(width, len(columns))) if i not in special.values()]
        roles = {role: index for role, index in special.items() if role in ("key", "tags")}
        roles["front"], roles["back"] = (fields + [0, 1])[:2]
        options = ImportOptions(_by_name(options.front, columns), _by_name(options.back, columns))
        # How many cells a row has: as many as #columns names, else as the first row has (Anki
        # reads the file so), and at least up to the last column a '#… column' header names.
        if columns:
            stated = (len(columns), "#columns names")
        else:
            first = len(rows[0].cells) if rows else 0
            last = max(named, key=lambda role: special[role], default=None)
            stated = (first, "the first row has")
            if last is not None and special[last] + 1 > first:
                stated = (special[last] + 1, f"#{named[last]}:{special[last] + 1} makes")
        notes = rows_to_notes(rows, path, options, roles=roles, has_header=False, width=stated)
        if headers.get("html", "false").casefold() == "true":
            notes = [replace(n, front=html_to_text(n.front), back=html_to_text(n.back)) for n in notes]
        extra_tags = tuple(headers.get("tags", "").split())
        if extra_tags:
            notes = [replace(n, tags=tuple(dict.fromkeys(n.tags + extra_tags))) for n in notes]
        deck = headers.get("deck", "")
        if not deck and "deck" in special and rows and special["deck"] < len(rows[0].cells):
            deck = rows[0].cells[special["deck"]]
        # "Parent::Child" is a subdeck in Anki; the deck made here is named after the child.
        return ImportResult(notes, deck_name=deck.split("::")[-1].strip())


def _by_name(spec: str | None, columns: list[str]) -> str | None:
    """--front/--back may name a column of the #columns header; the rows themselves have no header."""
    if spec is None or spec.isdigit():
        return spec
    names = [c.strip().casefold() for c in columns]
    if spec.strip().casefold() in names:
        return str(names.index(spec.strip().casefold()) + 1)
    raise InterchangeError(f"no column called {spec!r}; the #columns header names: "
                           + (", ".join(repr(c) for c in columns) or "none"))
