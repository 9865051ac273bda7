"""Commands for the user's own decks: new-deck, import and export.

Kept apart from cli.py so that the deck commands and the trainer's commands can change
independently; cli.py hands over the parsed arguments and turns the exceptions into exit codes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from hipquiz.paths import ensure_user_decks_dir, user_decks_dir

COMMANDS = ("new-deck",)


class DeckCommandError(Exception):
    """A problem with the user's data (exit 1); the message says what to do."""


class DeckUsageError(Exception):
    """A usage error (exit 2); the message says what to type instead."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    new = commands.add_parser("new-deck", help="write a commented template deck into your deck folder")
    new.add_argument("name", metavar="NAME", help="the deck's name, shown on the home screen")


def run(args: argparse.Namespace, data: Path) -> int:
    if args.command == "new-deck":
        return _new_deck(data, args.name, args.deck_paths)
    raise AssertionError(f"not a deck command: {args.command}")


def _taken_ids(data: Path, extra: list[str]) -> dict[str, Path]:
    from hipquiz.core.library import discover

    library = discover(user_decks_dir(data), [Path(p) for p in extra])
    return {deck.id: deck.path for deck in library.decks}


def _new_deck(data: Path, name: str, extra: list[str]) -> int:
    from hipquiz.core.userdecks import slug, template_deck, write_text_atomically

    if not name.strip():
        raise DeckUsageError("give the new deck a name: hipquiz new-deck \"My hip flexors\"")
    deck_id = slug(name)
    folder = ensure_user_decks_dir(data)
    path = folder / f"{deck_id}.toml"
    if path.exists():
        raise DeckCommandError(f"{path} exists already; edit it, or choose another name")
    taken = _taken_ids(data, extra)
    if deck_id in taken:
        raise DeckCommandError(f"a deck with the id {deck_id!r} exists already ({taken[deck_id]}); choose another name")
    write_text_atomically(path, template_deck(deck_id, name.strip()))
    print(f"wrote {path}")
    print(f"edit it, then check it with: hipquiz validate {path}")
    return 0
