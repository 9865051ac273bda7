"""Commands for the user's own decks: new-deck, import and export.

Kept apart from cli.py so that the deck commands and the trainer's commands can change
independently; cli.py hands over the parsed arguments and turns the exceptions into exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hipquiz.paths import ensure_user_decks_dir, user_decks_dir

if TYPE_CHECKING:
    import argparse

COMMANDS = ("new-deck", "import", "export")
IMPORT_FORMATS = ("csv", "anki", "quizlet")
EXPORT_FORMATS = ("csv", "apkg")


class DeckCommandError(Exception):
    """A problem with the user's data (exit 1); the message says what to do."""


class DeckUsageError(Exception):
    """A usage error (exit 2); the message says what to type instead."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    import argparse  # (here: a start names these commands, and reads its command line without argparse)

    new = commands.add_parser("new-deck", help="write a commented template deck into your deck folder")
    new.add_argument("name", metavar="NAME", help="the deck's name, shown on the home screen")


    imp = commands.add_parser("import", help="import a CSV/TSV, Anki plain-text or Quizlet file into a deck of yours")
    imp.add_argument("file", metavar="FILE", help="the file to import")
    imp.add_argument("--into", metavar="NAME",
                     help="the deck to import into (made in your deck folder if there is none)")
    # The old spelling of --into. Everywhere else --deck is a deck file to load, so it is no longer
    # listed; it still works, with a note, so that scripts written for it keep working.
    imp.add_argument("--deck", dest="old_into", metavar="NAME", help=argparse.SUPPRESS)
    imp.add_argument("--format", choices=IMPORT_FORMATS, help="the file's format (default: recognised from the file)")
    imp.add_argument("--front", metavar="COL", help="the column of the fronts: a number (1 = first) or a header name")
    imp.add_argument("--back", metavar="COL", help="the column of the backs: a number or a header name")
    exp = commands.add_parser("export", help="export a deck as CSV or as an Anki package (.apkg)")
    exp.add_argument("deck", metavar="DECK", help="deck id or name, as 'hipquiz decks' lists them")
    exp.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                     help="csv or apkg (default: from the -o file's ending, else csv)")
    exp.add_argument("-o", "--output", metavar="FILE",
                     help="where to write it (default: DECK.csv or DECK.apkg here; - for standard output, CSV only)")
    exp.add_argument("--with-progress", action="store_true",
                     help="also write your review log as CSV (Anki's revlog columns), beside FILE")


def run(args: argparse.Namespace, data: Path) -> int:
    if args.command == "new-deck":
        return _new_deck(data, args.name, args.deck_paths)
    if args.command == "import":
        return _import(data, args)
    if args.command == "export":
        return _export(data, args)
    raise AssertionError(f"not a deck command: {args.command}")


def _library(data: Path, extra: list[str]):
    from hipquiz.core.library import discover

    return discover(user_decks_dir(data), [Path(p) for p in extra])


def _import(data: Path, args: argparse.Namespace) -> int:
    from hipquiz.core.interchange import ImportOptions, InterchangeError
    from hipquiz.core.interchange.importing import MissingDeckName, import_file

    path = Path(args.file)
    if not path.is_file():
        raise DeckUsageError(f"{path}: no such file")
    into = args.into
    if args.old_into is not None:
        if into is not None:
            raise DeckUsageError("say the deck once: --into NAME (--deck NAME is its old spelling)")
        into = args.old_into
        print("hipquiz: note: 'import --deck NAME' is now 'import --into NAME'", file=sys.stderr)
    library = _library(data, args.deck_paths)
    try:
        summary = import_file(path, into, library, ensure_user_decks_dir(data),
                              ImportOptions(args.front, args.back), args.format)
    except MissingDeckName as exc:
        raise DeckUsageError(str(exc)) from None
    except InterchangeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise DeckCommandError(str(exc)) from None
    print(f"imported into {summary.path}: {summary.added} new, {summary.updated} updated, "
          f"{summary.unchanged} unchanged")
    return 0


def _export(data: Path, args: argparse.Namespace) -> int:
    from hipquiz.core.interchange import EXPORTERS

    library = _library(data, args.deck_paths)
    deck = library.find(args.deck)
    if deck is None:
        raise DeckUsageError(f"no deck called {args.deck!r}; the decks are: {', '.join(d.id for d in library.decks)}")
    by_suffix = {e.suffix: e.name for e in EXPORTERS.values()}
    to_stdout = args.output == "-"
    out = Path(args.output) if args.output and not to_stdout else None
    suffix = out.suffix.lower() if out else ""
    if args.format and suffix in by_suffix and by_suffix[suffix] != args.format:
        # Refused, not written: an Anki package called x.csv opens in no spreadsheet.
        raise DeckUsageError(f"{out} ends in {suffix} but --format is {args.format}: name it "
                             f"{out.with_suffix(EXPORTERS[args.format].suffix)}, or leave out --format")
    exporter = EXPORTERS[args.format or by_suffix.get(suffix, "csv")]
    if to_stdout:
        return _export_to_stdout(deck, exporter, args.with_progress)
    out = out or Path(f"{deck.id}{exporter.suffix}")
    if out.is_dir():
        raise DeckUsageError(f"{out} is a folder; give a file name with -o")
    try:
        exporter.export(deck, out)
    except OSError as exc:
        raise DeckCommandError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}: {len(deck.cards)} cards of {deck.name!r}")
    if args.with_progress:
        _export_progress(data, deck, out)
    return 0


def _export_to_stdout(deck, exporter, with_progress: bool) -> int:
    """``-o -``: the deck on standard output, for a pipe; only a text format can go there."""
    if not exporter.text:
        raise DeckUsageError(f"an Anki package is a binary file, not written to standard output: give a file "
                             f"name, -o {deck.id}{exporter.suffix}")
    if with_progress:
        raise DeckUsageError("--with-progress writes the review log beside the file: give a file name with -o")
    exporter.export_text(deck, sys.stdout)
    return 0


def _export_progress(data: Path, deck, out: Path) -> None:
    from hipquiz.core.collection import Collection
    from hipquiz.core.errors import StoreError
    from hipquiz.core.interchange.revlog import revlog_rows, write_revlog
    from hipquiz.core.library import discover

    log = out.with_name(f"{out.stem}-revlog.csv")
    try:
        with Collection.open(data, discover(user_decks_dir(data)), read_only=True) as collection:
            rows = revlog_rows(collection.reviews(), collection.all_progress(), {card.id for card in deck.cards})
    except StoreError as exc:
        raise DeckCommandError(str(exc)) from None
    try:
        write_revlog(log, rows)
    except OSError as exc:
        raise DeckCommandError(f"cannot write {log}: {exc.strerror or exc}") from None
    print(f"wrote {log}: {len(rows)} reviews")


def _taken_ids(data: Path, extra: list[str]) -> dict[str, Path]:
    return {deck.id: deck.path for deck in _library(data, extra).decks}


def _new_deck(data: Path, name: str, extra: list[str]) -> int:
    from hipquiz.core.userdecks import slug, template_deck, write_text_atomically

    if not name.strip():
        raise DeckUsageError("give the new deck a name: hipquiz new-deck \"My hip flexors\"")
    deck_id = slug(name)
    path = user_decks_dir(data) / f"{deck_id}.toml"
    if path.exists():
        raise DeckCommandError(f"{path} exists already; edit it, or choose another name")
    taken = _taken_ids(data, extra)
    if deck_id in taken:
        raise DeckCommandError(f"a deck with the id {deck_id!r} exists already ({taken[deck_id]}); choose another name")
    ensure_user_decks_dir(data)
    write_text_atomically(path, template_deck(deck_id, name.strip()))
    print(f"wrote {path}")
    print(f"edit it, then check it with: hipquiz validate {path}")
    return 0
