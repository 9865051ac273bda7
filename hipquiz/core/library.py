"""Where decks come from: the shipped folder, the user's deck folder and paths given with --deck.

Shipped decks come first and are never replaced: a user deck that takes a shipped deck's id (or
an earlier deck's) is refused with a message saying what to change, so nobody studies someone
else's deck by accident under a familiar name.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from hipquiz.core.decks import (
    LEXICON_FILE,
    Deck,
    DeckError,
    DeckLibrary,
    _LineIndex,
    deck_files,
    load_deck,
    read_deck_text,
    shipped_decks_dir,
)

if TYPE_CHECKING:
    from hipquiz.core.problems import Problem


class DeckOrigin(str, Enum):
    """Where a deck was found; shipped decks are read-only in the app."""

    SHIPPED = "shipped"
    USER = "user"
    PATH = "path"

    @property
    def editable(self) -> bool:
        return self is not DeckOrigin.SHIPPED


def describe_origin(origin: DeckOrigin, path: Path) -> str:
    """One line for the home screen: where the highlighted deck comes from."""
    if origin is DeckOrigin.SHIPPED:
        return "Shipped with hipquiz (read-only)"
    if origin is DeckOrigin.USER:
        return f"Your deck: {path}"
    return f"From --deck: {path}"


def _id_line(path: Path) -> int:
    try:
        return _LineIndex(read_deck_text(path)).deck("id")
    except (OSError, DeckError):
        return 1


def _files_of(path: Path) -> list[Path] | Problem:
    if path.is_dir():
        return deck_files([path])
    if path.is_file():
        return [path]
    from hipquiz.core.problems import Problem  # (see its module)

    return Problem(path, 0, "no such deck file or folder (check the --deck path)")


def discover(user_decks_dir: Path | None = None, extra: Iterable[Path] = (),
             shipped: Path | None = None) -> DeckLibrary:
    """Load every deck: shipped, then the user's folder, then each --deck path (file or folder).

    A deck file with problems is skipped and its problems kept in ``library.problems``; so is a
    deck whose id is already taken, with a message naming the file that has it.
    """
    sources: list[tuple[DeckOrigin, Path]] = [(DeckOrigin.SHIPPED, shipped or shipped_decks_dir())]
    if user_decks_dir is not None:
        sources.append((DeckOrigin.USER, user_decks_dir))
    sources.extend((DeckOrigin.PATH, Path(path)) for path in extra)

    decks: dict[str, Deck] = {}
    origins: dict[str, DeckOrigin] = {}
    problems: list[Problem] = []
    loaded_files: set[Path] = set()
    for origin, place in sources:
        if origin is not DeckOrigin.PATH and not place.exists():
            continue  # the user's folder is made on the first run of the trainer
        files = _files_of(place)
        if not isinstance(files, list):  # a Problem
            problems.append(files)
            continue
        for path in files:
            # The same file given twice (the user folder and --deck on it) is one deck, not a clash.
            resolved = path.resolve()
            if resolved in loaded_files:
                continue
            loaded_files.add(resolved)
            try:
                deck = load_deck(path)
            except DeckError as exc:
                problems.extend(exc.problems)
                continue
            if deck.id in decks:
                from hipquiz.core.problems import Problem

                problems.append(Problem(path, _id_line(path), _clash_message(deck.id, decks[deck.id], origins[deck.id])))
                continue
            decks[deck.id] = deck
            origins[deck.id] = origin
    # The user's own anatomy terms (decks/README.md, "The lexicon") count in typed answers. Without
    # a lexicon file, the lexicon module is imported only when a question needs it (a flip card
    # never does), unless it is loaded already and may hold an earlier file's terms to forget.
    if user_decks_dir is not None and ((user_decks_dir / LEXICON_FILE).is_file() or "hipquiz.core.lexicon" in sys.modules):
        from hipquiz.core.lexicon import use_user_lexicon

        problems.extend(use_user_lexicon(user_decks_dir))
    return DeckLibrary(list(decks.values()), problems, origins, user_decks_dir)


def _clash_message(deck_id: str, first: Deck, origin: DeckOrigin) -> str:
    if origin is DeckOrigin.SHIPPED:
        return (f"deck id {deck_id!r} is the id of a deck shipped with hipquiz; this deck was not loaded: "
                "give it its own id in [deck]")
    return f"deck id {deck_id!r} is also used by {first.path}; this deck was not loaded: give each deck its own id"


def put_deck(library: DeckLibrary, deck: Deck, origin: DeckOrigin) -> None:
    """Put a deck just written by the app into the library: in place of its old version, or added."""
    for index, old in enumerate(library.decks):
        if old.id == deck.id:
            library.decks[index] = deck
            break
    else:
        library.decks.append(deck)
    library.origins[deck.id] = origin


def editable_decks(library: DeckLibrary) -> list[Deck]:
    """The decks the app may change: the user's own and those given with --deck."""
    return [deck for deck in library.decks
            if DeckOrigin(library.origins.get(deck.id, DeckOrigin.SHIPPED)).editable]
